/* SPDX-License-Identifier: MIT */
/*
 * The ppc64 linker scripts, both endiannesses, from this one source
 * (linker/linker.mk runs it through cpp into build/linker/, with
 * PK_OUTPUT_FORMAT "elf64-powerpcle" for ppc64le, ELFv2, and
 * "elf64-powerpc" for ppc64, ELFv1 big-endian):
 *
 * <target>.lds, the relocatable trampoline: `ld -r -T <target>.lds
 * -u pk_entry` of the trampoline's objects and libpurgkit.a gives a
 * trampoline.ro that the relocator places at load time.
 *
 * <target>-flat.lds (PK_FLAT), the trampoline at a fixed address, for a
 * flat image:
 *   ld -T <target>-flat.lds --defsym=PK_BASE=0x4000000 -o t.elf t.ro
 *   objcopy -O binary t.elf t.bin
 * PK_BASE defaults to 64 MiB and must be 64 KiB-aligned.  The build also
 * links every trampoline this way once, without -r, so that an undefined
 * symbol fails the build instead of the boot.
 *
 * Contract for the relocator and the loader:
 *   - output sections in this order: .text (pk_entry first, at offset 0:
 *     kexec copies its first 0x100 bytes to physical 0 and the secondary
 *     CPUs run them there), .opd (ELFv1 function descriptors), .rodata,
 *     .data, .pk.patch (the patchable data, never discarded), .got (the
 *     TOC: .got then .toc; the TOC pointer is .got + 0x8000, so .TOC. and
 *     every R_PPC64_TOC* relocation resolve against that), .bss;
 *   - .text is 256-byte aligned and the loader places the image on a
 *     64 KiB boundary, so pk_entry's low 0x100 bytes are one block;
 *   - pk_image_start and pk_image_end bound the placed image;
 *   - nothing the runtime needs is discarded; only notes, comments and
 *     unwind tables are.
 */
#include "common.lds.h"

OUTPUT_FORMAT(PK_OUTPUT_FORMAT)
OUTPUT_ARCH(powerpc:common64)
#ifdef PK_FLAT
ENTRY(pk_entry)
#define PK_TEXT_ALIGN
#else
#define PK_TEXT_ALIGN ALIGN(256)
#endif

SECTIONS
{
#ifdef PK_FLAT
	. = DEFINED(PK_BASE) ? PK_BASE : 0x4000000;
#endif
	.text PK_TEXT_ALIGN : {
		PK_TEXT_INPUTS
	}
	.opd : {
		KEEP(*(.opd))
	}
	PK_RODATA_SECTION
	.data : {
		*(.data .data.*)
		*(.sdata .sdata.*)
	}
	PK_PATCH_OUTPUT_SECTION
	.got : {
		*(.got)
		*(.toc)
	}
	.bss : {
		*(.sbss .sbss.*)
		PK_BSS_TAIL_INPUTS
	}
	PK_DISCARDED_SECTIONS
}
