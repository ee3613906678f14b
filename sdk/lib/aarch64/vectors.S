/* SPDX-License-Identifier: MIT */
/*
 * The runtime's exception vectors (VBAR_EL1 or VBAR_EL2, set by
 * pk_entry): sixteen entries of 0x80 bytes, 2 KiB-aligned, as the
 * architecture lays them out.  Every one saves x0..x30 on the current
 * stack and calls pk_aarch64_exception(frame, entry number), which prints
 * the syndrome and registers and halts: nothing between two kernels
 * expects an exception, so any is a bug to report, not to resume.
 */
#include <purgkit/arch/aarch64/asm.h>

	.macro	vector number
	.balign	0x80
	sub	sp, sp, #PK_AARCH64_EXCEPTION_FRAME
	stp	x0, x1, [sp, #0]
	mov	x0, #\number
	b	pk_aarch64_vector_common
	.endm

	.section .text.pk_aarch64_vectors, "ax", %progbits
	.balign	2048
	.globl	pk_aarch64_vectors
pk_aarch64_vectors:
	/* current EL with SP_EL0, current EL with SP_ELx, lower EL AArch64,
	 * lower EL AArch32: synchronous, IRQ, FIQ, SError each. */
	vector	0
	vector	1
	vector	2
	vector	3
	vector	4
	vector	5
	vector	6
	vector	7
	vector	8
	vector	9
	vector	10
	vector	11
	vector	12
	vector	13
	vector	14
	vector	15

/* x0 = the entry's number; x0 and x1 of the interrupted code at [sp]. */
pk_aarch64_vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x1, x0
	mov	x0, sp
	bl	pk_aarch64_exception
1:	wfe				/* pk_aarch64_exception never returns */
	b	1b

	.section .note.GNU-stack, "", %progbits
