/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 linker scripts, from this one source (linker/linker.mk runs
 * it through cpp into build/linker/, PK_OUTPUT_FORMAT "elf64-littleriscv"):
 *
 * riscv64.lds, the relocatable trampoline: `ld -r -T riscv64.lds
 * -u pk_entry` of the trampoline's objects and libpurgkit.a gives a
 * trampoline.ro that the relocator places at load time.
 *
 * riscv64-flat.lds (PK_FLAT), the trampoline at a fixed address, for a
 * flat image:
 *   ld -T riscv64-flat.lds --no-relax --defsym=PK_BASE=0x80200000 \
 *      -o t.elf t.ro
 *   objcopy -O binary t.elf t.bin
 * PK_BASE defaults to 0x80200000 (2 MiB into RAM on QEMU virt, where
 * OpenSBI's next stage goes).  The build also links every trampoline this
 * way once, without -r, so that an undefined symbol fails the build
 * instead of the boot.  --no-relax: the relocator does no linker
 * relaxation (relocator/reloc_riscv64.c), and the flat link must give the
 * same bytes.
 *
 * Contract for the relocator and the loader (the shared part in
 * common.lds.h):
 *   - output sections in this order: .text (pk_entry first, 4-byte
 *     aligned: on the crash path the kernel writes the entry into stvec,
 *     whose two low bits are the trap mode; docs/contract-riscv64.md),
 *     .rodata, .data (with the small-data sections: nothing here uses gp),
 *     .pk.patch (the patchable data, never discarded), .got (the GOT the
 *     relocator builds for -fpic objects), .bss;
 *   - pk_image_start and pk_image_end bound the placed image;
 *   - nothing the runtime needs is discarded; only notes, comments,
 *     unwind tables and the RISC-V attributes section are.
 */
#include "common.lds.h"

OUTPUT_FORMAT(PK_OUTPUT_FORMAT)
OUTPUT_ARCH(riscv)
#ifdef PK_FLAT
ENTRY(pk_entry)
#endif

SECTIONS
{
#ifdef PK_FLAT
	. = DEFINED(PK_BASE) ? PK_BASE : 0x80200000;
#endif
	.text ALIGN(4) : {
		PK_TEXT_INPUTS
	}
	.rodata : {
		*(.rodata .rodata.*)
		*(.srodata .srodata.*)
	}
	.data : {
		*(.data .data.*)
		*(.sdata .sdata.*)
	}
	PK_PATCH_OUTPUT_SECTION
	.got : {
		*(.got.plt)
		*(.got)
	}
	.bss : {
		*(.sbss .sbss.*)
		PK_BSS_TAIL_INPUTS
	}
	PK_DISCARDED_SECTIONS
	/DISCARD/ : {
		*(.riscv.attributes)
	}
}
