# SPDX-License-Identifier: MIT
# aarch64-only sources of libpurgkit.a.
SDK_ARCH_SRCS_aarch64   := entry.S handoff.S vectors.S exception.c cpu.c cache.S mmu.c \
			   timer.c console_pl011.c sha256_armv8.c
# Built with PK_VECTOR_CFLAGS: the only code allowed to use FP/SIMD.
SDK_VECTOR_SRCS_aarch64 := sha256_armv8.c
# Those the hosted unit tests (tests/sdk) build beside the generic ones,
# and how they link.
SDK_HOSTED_SRCS_aarch64 := sha256_armv8.c timer.c
SDK_HOSTED_LDFLAGS_aarch64 :=
