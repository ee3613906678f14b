/* SPDX-License-Identifier: MIT */
/*
 * Every aarch64 relocation the relocator takes, in the instructions and
 * data they patch: what the code models emit and what only assembly
 * does (the MOVW groups, 16-bit data, the GOT's 15-bit and literal
 * forms, a call to an undefined weak function).  Values whose fields
 * are checked are kept in reach at every base: absolute symbols, or
 * places near each other.
 */
	.arch	armv8-a+fp+simd
	.text
	.globl	pk_entry
	.type	pk_entry, %function
pk_entry:
	/* Calls and branches: imm26, imm19, imm14. */
	bl	near_function
	b	near_function
	b.eq	near_function
	cbz	x0, near_function
	cbnz	w3, near_function
	tbz	x0, #3, near_function
	tbnz	w1, #31, near_function
	/* A call to an undefined weak function: ld makes it a nop. */
	bl	missing_function
	b	missing_function

	/* PC-relative addresses and loads. */
	adr	x0, word_data
	adrp	x1, word_data
	adrp	x2, :pg_hi21_nc:word_data
	add	x1, x1, :lo12:word_data
	ldr	x3, literal
	ldr	w4, literal
	ldrsw	x5, literal

	/* Low 12 bits into loads and stores of each size. */
	adrp	x0, data_start
	ldrb	w1, [x0, :lo12:byte_data]
	strb	w1, [x0, :lo12:byte_data]
	ldrh	w1, [x0, :lo12:half_data]
	ldr	w1, [x0, :lo12:word_data]
	ldr	x1, [x0, :lo12:dword_data]
	ldr	q0, [x0, :lo12:quad_data]
	str	d1, [x0, :lo12:dword_data]

	/* The MOVW groups: a full 64-bit address, unchecked... */
	movz	x0, #:abs_g3:word_data
	movk	x0, #:abs_g2_nc:word_data
	movk	x0, #:abs_g1_nc:word_data
	movk	x0, #:abs_g0_nc:word_data
	/* ...checked, on small absolute values... */
	movz	x1, #:abs_g0:small_value
	movz	x1, #:abs_g1:medium_value
	movz	x1, #:abs_g2:large_value
	/* ...signed: MOVZ or MOVN by the sign... */
	movz	x2, #:abs_g0_s:small_value
	movz	x2, #:abs_g0_s:negative_value
	movz	x2, #:abs_g1_s:negative_large
	movz	x2, #:abs_g2_s:medium_value
	/* ...and PC-relative, checked near, unchecked anywhere. */
	movz	x3, #:prel_g0:near_function
	movz	x3, #:prel_g1:word_data
	movz	x3, #:prel_g2:word_data
	movz	x4, #:prel_g3:missing_data_far
	movk	x4, #:prel_g2_nc:word_data
	movk	x4, #:prel_g1_nc:word_data
	movk	x4, #:prel_g0_nc:word_data

	/* The GOT: adrp + ldr, 15-bit offsets from it, literal loads. */
	adrp	x0, :got:word_data
	ldr	x0, [x0, :got_lo12:word_data]
	adrp	x1, :got:near_function
	ldr	x1, [x1, :got_lo12:near_function]
	adrp	x2, _GLOBAL_OFFSET_TABLE_
	ldr	x2, [x2, #:gotpage_lo15:dword_data]
	ldr	x3, :got:byte_data
	ldr	x4, :got:word_data
	.reloc	., R_AARCH64_LD64_GOTOFF_LO15, half_data
	ldr	x5, [x28]
	/* An undefined weak symbol's slot holds 0. */
	adrp	x6, :got:missing_data
	ldr	x6, [x6, :got_lo12:missing_data]
	ret

	/* In a section of their own, so that gas leaves every reference a
	   relocation. */
	.section .text.near, "ax", %progbits
	.globl	near_function
	.type	near_function, %function
near_function:
	ret

	.align	3
literal:
	.quad	0x1122334455667788

	.set	small_value, 0x1234
	.set	medium_value, 0x12345678
	.set	large_value, 0x123456789abc
	.set	negative_value, -0x1234
	.set	negative_large, -0x123456
	.globl	small_value, medium_value, large_value, negative_value
	.globl	negative_large, missing_data_far
	.weak	missing_function
	.weak	missing_data
	.set	missing_data_far, 0x7654321012345678

	.data
	/* Global: gas writes a GOT load of a local label as .data plus an
	   offset, which ld (and so the relocator) refuses to honour. */
	.globl	byte_data, half_data, word_data, dword_data
	.align	4
data_start:
byte_data:
	.byte	1
	.align	1
half_data:
	.hword	2
	.align	2
word_data:
	.word	3
	.align	3
dword_data:
	.quad	4
	.align	4
quad_data:
	.quad	5, 6

	/* Data: absolute and PC-relative, 64, 32 and 16 bits. */
	.quad	word_data
	.quad	word_data + 0x10
	.quad	near_function - .
	.quad	missing_data
	.word	near_function - .
	.hword	near_function - .
	/* 32- and 16-bit absolute: only small values fit at every base. */
	.word	missing_data + 0x12345678
	.hword	missing_data + 0x1234
