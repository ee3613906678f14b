/* SPDX-License-Identifier: MIT */
/*
 * Process entry of the SDK unit-test programs (static, no libc).
 * In: r1 -> argc, argv..., NULL, envp..., NULL, auxv pairs.
 * ELFv2 (little-endian): entry is code; we find our TOC from our own
 * address.  ELFv1 (big-endian): entry is a function descriptor, and the
 * loader sets r2 from it.  Calls pk_test_start(initial r1) on a fresh,
 * aligned frame; it exits.
 */
#if defined(_CALL_ELF) && _CALL_ELF == 2
	.abiversion 2
	.text
	.globl _start
	.type _start, @function
_start:
	bcl	20, 31, 1f
1:	mflr	12
	addis	2, 12, (.TOC. - 1b)@ha
	addi	2, 2, (.TOC. - 1b)@l
#else
	.section ".opd", "aw"
	.align 3
	.globl _start
_start:
	.quad	.L_start, .TOC.@tocbase, 0
	.text
.L_start:
#endif
	mr	3, 1
	clrrdi	1, 1, 4
	li	0, 0
	stdu	0, -128(1)
	bl	pk_test_start
	nop
	b	.
	.section .note.GNU-stack, "", @progbits
