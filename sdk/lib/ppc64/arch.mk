# SPDX-License-Identifier: MIT
# ppc64-only sources of libpurgkit.a (both endiannesses).
SDK_ARCH_SRCS_ppc64   := entry.S handoff.S savres.S cpu.c timer.c place.c console_hvterm.c \
			 console_opal.c sha256_vcrypto.c exception_entry.S exception.c
# Built with PK_VECTOR_CFLAGS: the only code allowed to use AltiVec/VSX.
SDK_VECTOR_SRCS_ppc64 := sha256_vcrypto.c
# Those the hosted unit tests (tests/sdk) build beside the generic ones,
# and how they link.
SDK_HOSTED_SRCS_ppc64 := sha256_vcrypto.c timer.c
SDK_HOSTED_LDFLAGS_ppc64 :=
