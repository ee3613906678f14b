/* SPDX-License-Identifier: MIT */
/*
 * The ppc64 relocations GCC uses rarely or not at all, written out: the
 * 16-bit pieces of a 64-bit address, TOC-relative and PC-relative forms,
 * a conditional branch.  Assembled for ppc64le and ppc64; every value
 * here fits at any base the tests use.
 */
	.text
	.p2align 2
	.globl pk_entry
	.type pk_entry, @function
pk_entry:
	lis	3, data@highest
	ori	3, 3, data@higher
	rldicr	3, 3, 32, 31
	oris	3, 3, data@high
	ori	3, 3, data@l
	lis	4, data@highesta
	addi	4, 4, data@highera
	sldi	4, 4, 32
	addis	4, 4, data@higha
	addi	4, 4, data@l
	addis	5, 4, data@higha
	ld	6, data@l(4)
	addis	7, 2, data@toc@ha
	ld	7, data@toc@l(7)
	addis	7, 2, data@toc@ha
	addi	7, 7, data@toc@l
	addi	8, 2, small@toc
	addis	8, 2, small@toc@h
	ld	9, small@toc(2)
	/* DS forms whose low two bits are the opcode's, not the offset's. */
	lwa	11, data@toc@l(7)
	ldu	11, data@l(4)
	stdu	11, small@toc(2)
	beq	0, near
	bne	0, other
	bl	func
	nop
0:	addis	10, 12, data - 0b@ha
	addi	10, 10, data - 0b@l
	addis	10, 12, data - 0b@h
	bl	other
	nop
	.globl near
near:
	blr
	.globl func
func:
	blr

	.section .text.other, "ax", @progbits
	.p2align 2
	.globl other
other:
	blr

	.section .rodata
	.p2align 3
	.long	func - .
	.long	0
	.quad	func - .
	.quad	data + 8

	.data
	.p2align 3
data:
	.quad	1, 2, 3, 4

	.section .toc, "aw"
	.p2align 3
small:
	.quad	data
