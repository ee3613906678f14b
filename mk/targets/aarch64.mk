# SPDX-License-Identifier: MIT
# Target aarch64: 64-bit Arm (arm64), little-endian; Debian arm64.  One row
# of the target table (mk/targets.mk says what a row sets and why).
#   -march=armv8-a          the base architecture: nothing a v8.0 CPU lacks
#                           (the SHA-256 module asks for +sha2 itself).
#   -mgeneral-regs-only     no FP/SIMD code: the runtime enables FP/SIMD
#                           (CPACR_EL1, CPTR_EL2) only around the SHA-256
#                           module, so the payload finds the state the old
#                           kernel left.
#   -mstrict-align          kexec enters with the MMU off, where every access
#                           is Device memory and an unaligned one faults.
#   -mno-outline-atomics    Debian's gcc calls libgcc's __aarch64_* helpers
#                           for atomics by default; a trampoline has none.
#   -mbranch-protection=none
#                           no PAC/BTI instructions: the keys and SCTLR bits
#                           are the old kernel's, not ours.
#   -fpie -mcmodel=small    PC-relative code (adrp/add, +-4 GiB) that runs
#                           wherever the loader puts it.
#   Debian's arm64 kernels use 4 KiB pages.
ARCH_aarch64                := aarch64
TRIPLET_aarch64             := aarch64-linux-gnu
DEB_ARCH_aarch64            := arm64
LINKER_FORMAT_aarch64       := elf64-littleaarch64
PK_ARCH_CFLAGS_aarch64      := -march=armv8-a -mgeneral-regs-only \
	-mstrict-align -mno-outline-atomics -mbranch-protection=none \
	-fpie -mcmodel=small
PK_VECTOR_CFLAGS_aarch64    := -march=armv8-a+crypto
PK_NO_VECTOR_CFLAGS_aarch64 := -mgeneral-regs-only -march=armv8-a
BIG_ENDIAN_aarch64          := 0
PAGE_SIZE_aarch64           := 4096
QEMU_USER_aarch64           := qemu-aarch64
STATIC_TOOLS_aarch64        := yes
