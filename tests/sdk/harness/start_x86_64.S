/* SPDX-License-Identifier: MIT */
/*
 * Process entry of the SDK unit-test programs (static, no libc).
 * In: rsp -> argc, argv..., NULL, envp..., NULL, auxv pairs.
 * Calls pk_test_start(initial rsp) on a 16-byte aligned stack; it exits.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor	%ebp, %ebp
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	pk_test_start
	hlt
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
