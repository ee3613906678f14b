/* SPDX-License-Identifier: MIT */
/*
 * What every linker/<arch>.lds.S shares, so that no architecture's script
 * can drift from the contract the relocator and the loader rely on:
 *   - pk_entry first in .text (the entry is the image's first byte);
 *   - pk_image_start and pk_image_end bound the placed image (relocatable
 *     scripts only: a flat link defines no image bounds);
 *   - .pk.patch (PK_PATCH_SECTION in purgkit/patch.h) kept whole, never
 *     discarded or merged;
 *   - only notes, comments and unwind tables discarded.
 * An architecture's script adds its own sections (ppc64's .opd and TOC)
 * between these and chooses .text's alignment and the flat base.
 */
#ifdef PK_FLAT
#define PK_IMAGE_START
#define PK_IMAGE_END
#else
#define PK_IMAGE_START pk_image_start = .;
#define PK_IMAGE_END pk_image_end = .;
#endif

/* The inputs of .text: the entry first. */
#define PK_TEXT_INPUTS							\
	PK_IMAGE_START							\
	KEEP(*(.text.pk_entry))						\
	*(.text .text.*)

#define PK_RODATA_SECTION .rodata : { *(.rodata .rodata.*) }

/* The patchable data: one output section, every input kept. */
#define PK_PATCH_OUTPUT_SECTION .pk.patch : { KEEP(*(.pk.patch)) }

/* The last inputs of .bss, which end the image. */
#define PK_BSS_TAIL_INPUTS						\
	*(.bss .bss.*)							\
	*(COMMON)							\
	PK_IMAGE_END

#define PK_DISCARDED_SECTIONS						\
	/DISCARD/ : {							\
		*(.note.GNU-stack) *(.note.gnu.property) *(.comment)	\
		*(.eh_frame) *(.eh_frame_hdr)				\
	}
