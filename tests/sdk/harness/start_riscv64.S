/* SPDX-License-Identifier: MIT */
/*
 * Process entry of the SDK unit-test programs (static, no libc).
 * In: sp -> argc, argv..., NULL, envp..., NULL, auxv pairs.
 * Calls pk_test_start(initial sp) on a 16-byte aligned stack; it exits.
 * Built with -mno-relax, so nothing is addressed through gp.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	mv	a0, sp
	andi	sp, sp, -16
	call	pk_test_start
1:	j	1b
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
