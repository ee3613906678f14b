# SPDX-License-Identifier: MIT
# riscv64-only sources of libpurgkit.a.
SDK_ARCH_SRCS_riscv64   := entry.S handoff.S cpu.c trap.c devtree.c timer.c \
			   console_sbi.c sha256_zknh.c libgcc.c
# Built with PK_VECTOR_CFLAGS: the only code allowed to use Zknh.
SDK_VECTOR_SRCS_riscv64 := sha256_zknh.c
# Those the hosted unit tests (tests/sdk) build beside the generic ones,
# and how they link (libgcc.c: Debian's libgcc is lp64d, not lp64).
SDK_HOSTED_SRCS_riscv64 := sha256_zknh.c timer.c devtree.c libgcc.c
SDK_HOSTED_LDFLAGS_riscv64 :=
# No sha256-bench (tests/sdk/sdk-tests.mk): the SDK is built for lp64, the
# soft-float ABI, and Debian's riscv64 C library and libcrypto for lp64d;
# ld refuses to link the two.
SDK_BENCH_LIBC_riscv64 := no
