/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 linker scripts, from this one source (linker/linker.mk runs
 * it through cpp into build/linker/):
 *
 * x86_64.lds, the relocatable trampoline: `ld -r -T x86_64.lds -u pk_entry`
 * of the trampoline's objects and libpurgkit.a gives a trampoline.ro that
 * the relocator places at load time.
 *
 * x86_64-flat.lds (PK_FLAT), the trampoline at a fixed address, for a
 * flat image:
 *   ld -T x86_64-flat.lds --defsym=PK_BASE=0x200000 -o t.elf t.ro
 *   objcopy -O binary t.elf t.bin
 * PK_BASE defaults to 1 MiB.  The build also links every trampoline this
 * way once, without -r, so that an undefined symbol fails the build
 * instead of the boot.
 *
 * Contract for the relocator and the loader:
 *   - five output sections in this order: .text (pk_entry first), .rodata,
 *     .data, .pk.patch (the patchable data, never discarded), .bss;
 *   - pk_image_start and pk_image_end bound the placed image;
 *   - nothing the runtime needs is discarded; only notes, comments and
 *     unwind tables are.
 */
#include "common.lds.h"

OUTPUT_FORMAT(PK_OUTPUT_FORMAT)
OUTPUT_ARCH(i386:x86-64)
#ifdef PK_FLAT
ENTRY(pk_entry)
#endif

SECTIONS
{
#ifdef PK_FLAT
	. = DEFINED(PK_BASE) ? PK_BASE : 0x100000;
#endif
	.text : {
		PK_TEXT_INPUTS
	}
	PK_RODATA_SECTION
	.data : {
		*(.data .data.*)
	}
	PK_PATCH_OUTPUT_SECTION
	.bss : {
		PK_BSS_TAIL_INPUTS
	}
	PK_DISCARDED_SECTIONS
}
