/* SPDX-License-Identifier: MIT */
/*
 * aarch64 test payload entry: keep x0..x3 as the hand-off gave them (in
 * payload_entry_regs), take a stack, run payload_main.
 */
	.section .text.start, "ax", %progbits
	.globl	_start
_start:
	adrp	x9, payload_entry_regs
	add	x9, x9, :lo12:payload_entry_regs
	stp	x0, x1, [x9]
	stp	x2, x3, [x9, #16]
	adrp	x9, payload_stack_top
	add	x9, x9, :lo12:payload_stack_top
	mov	sp, x9
	bl	payload_main
1:	wfe
	b	1b

	.bss
	.balign	16
	.space	8192
payload_stack_top:
	.section .note.GNU-stack, "", %progbits
