# SPDX-License-Identifier: MIT
# Target riscv64: 64-bit RISC-V, little-endian, lp64; Debian riscv64 (from
# Debian 13, trixie).  One row of the target table (mk/targets.mk says what
# a row sets and why).  docs/contract-riscv64.md says what kexec hands over.
#   -march=rv64imac_zicsr_zifencei -mabi=lp64
#                           no FP or vector instruction: the old kernel leaves
#                           sstatus.FS/VS as it ran (off), so they trap.  Only
#                           the Zknh SHA-256 module adds its instructions,
#                           which need no unit turned on.
#   -mcmodel=medany -fno-pie
#                           PC-relative code that runs wherever it is placed;
#                           data pointers are R_RISCV_64 for the relocator.
#   -mno-relax              no linker relaxation: the relocator does none
#                           (relocator/reloc_riscv64.c), so the assembler pads
#                           alignments itself and emits no R_RISCV_ALIGN.
#   -mstrict-align          no misaligned access: in S-mode with satp = 0 one
#                           may trap to the firmware's slow emulation.
#   Debian's riscv64 kernels use 4 KiB pages.
ARCH_riscv64                := riscv64
TRIPLET_riscv64             := riscv64-linux-gnu
DEB_ARCH_riscv64            := riscv64
LINKER_FORMAT_riscv64       := elf64-littleriscv
PK_ARCH_CFLAGS_riscv64      := -march=rv64imac_zicsr_zifencei -mabi=lp64 \
	-mcmodel=medany -fno-pie -mno-relax -mstrict-align
PK_VECTOR_CFLAGS_riscv64    := -march=rv64imac_zicsr_zifencei_zknh
PK_NO_VECTOR_CFLAGS_riscv64 := -march=rv64imac_zicsr_zifencei
BIG_ENDIAN_riscv64          := 0
PAGE_SIZE_riscv64           := 4096
QEMU_USER_riscv64           := qemu-riscv64
STATIC_TOOLS_riscv64        := yes
# Debian 12 has no riscv64 port: the static tools link Debian 13's libraries.
SYSROOT_SUITE_riscv64       := trixie
