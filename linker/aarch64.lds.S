/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 linker scripts (linker/linker.mk runs this through cpp into
 * build/linker/, PK_OUTPUT_FORMAT "elf64-littleaarch64"):
 *
 * aarch64.lds, the relocatable trampoline: `ld -r -T aarch64.lds -u
 * pk_entry` of the trampoline's objects and libpurgkit.a gives a
 * trampoline.ro that the relocator places at load time.
 *
 * aarch64-flat.lds (PK_FLAT), the trampoline at a fixed address, for a
 * flat image:
 *   ld -T aarch64-flat.lds --defsym=PK_BASE=0x40200000 -o t.elf t.ro
 *   objcopy -O binary t.elf t.bin
 * PK_BASE defaults to 0x40200000 (2 MiB into RAM on QEMU's virt machine)
 * and must be 4 KiB-aligned.  The build also links every trampoline this
 * way once, without -r, so that an undefined symbol fails the build
 * instead of the boot.
 *
 * Contract for the relocator and the loader:
 *   - output sections in this order: .text (pk_entry first, at offset
 *     0; the runtime's vector table is 2 KiB-aligned within it), .rodata,
 *     .data, .pk.patch (the patchable data, never discarded), .got (for
 *     objects that reach a symbol through the GOT; the SDK's do not),
 *     .bss;
 *   - the largest alignment is 2 KiB (the vectors), so a 4 KiB-aligned
 *     base places every section as linked;
 *   - pk_image_start and pk_image_end bound the placed image;
 *   - nothing the runtime needs is discarded; only notes, comments and
 *     unwind tables are.
 */
#include "common.lds.h"

OUTPUT_FORMAT(PK_OUTPUT_FORMAT)
OUTPUT_ARCH(aarch64)
#ifdef PK_FLAT
ENTRY(pk_entry)
#endif

SECTIONS
{
#ifdef PK_FLAT
	. = DEFINED(PK_BASE) ? PK_BASE : 0x40200000;
#endif
	.text : {
		PK_TEXT_INPUTS
	}
	PK_RODATA_SECTION
	.data : {
		*(.data .data.*)
	}
	PK_PATCH_OUTPUT_SECTION
	.got : {
		*(.got)
	}
	.bss : {
		PK_BSS_TAIL_INPUTS
	}
	PK_DISCARDED_SECTIONS
}
