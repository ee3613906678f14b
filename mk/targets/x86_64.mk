# SPDX-License-Identifier: MIT
# Target x86_64: 64-bit x86, Debian amd64.  One row of the target table
# (mk/targets.mk says what a row sets and why).
#   -mno-red-zone           the exception handler runs on the same stack.
#   -mgeneral-regs-only     no SSE/AVX/MMX/x87 code: CR4.OSFXSR is off at
#                           kexec entry, so any SSE instruction faults.  Only
#                           the SHA-NI module turns the unit on and uses it.
#   -fpie -mcmodel=small    PC-relative code that runs wherever the loader
#                           puts it below 4 GiB.
ARCH_x86_64                := x86_64
TRIPLET_x86_64             := x86_64-linux-gnu
DEB_ARCH_x86_64            := amd64
LINKER_FORMAT_x86_64       := elf64-x86-64
PK_ARCH_CFLAGS_x86_64      := -m64 -mno-red-zone -mgeneral-regs-only -fpie -mcmodel=small
PK_VECTOR_CFLAGS_x86_64    := -msse4.1 -msha
PK_NO_VECTOR_CFLAGS_x86_64 := -mgeneral-regs-only
BIG_ENDIAN_x86_64          := 0
PAGE_SIZE_x86_64           := 4096
QEMU_USER_x86_64           := qemu-x86_64
STATIC_TOOLS_x86_64        := yes
