/* SPDX-License-Identifier: MIT */
/*
 * Process entry of the SDK unit-test programs (static, no libc).
 * In: sp -> argc, argv..., NULL, envp..., NULL, auxv pairs (16-byte
 * aligned).  Calls pk_test_start(initial sp) with a zero frame chain; it
 * exits.
 */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x0, sp
	mov	x29, #0
	mov	x30, #0
	bl	pk_test_start
1:	b	1b
	.size	_start, . - _start
	.section .note.GNU-stack, "", %progbits
