/* SPDX-License-Identifier: MIT */
/*
 * The runtime's interrupt vectors (little-endian ELFv2 builds): a fault
 * between two kernels prints what happened and where, instead of running
 * the old kernel's handlers in low memory.
 *
 * pk_ppc64_install_exception_handlers (exception.c) copies the template
 * below to each vector's real address (0x200, 0x300, ...), with the
 * vector's number and the common path's address filled in.  A vector is
 * entered in real mode with MSR[LE] = LPCR[ILE] (the old kernel's
 * endianness, so only a build of the same endianness may install these);
 * SRR0/SRR1 hold where and how.  The template saves r12 in SPRG2 and r11
 * in SPRG3, puts the vector in r11 and jumps to the common path through
 * CTR (CTR is lost).  The common path saves every register in
 * pk_ppc64_exception_frame (struct pk_ppc64_exception_frame, exception.c),
 * takes its own stack and our TOC and calls pk_ppc64_exception(frame),
 * which prints and halts.  Nothing returns to the faulting code.
 */
#include <purgkit/arch/ppc64/asm.h>

#if defined(_CALL_ELF) && _CALL_ELF == 2 && defined(__LITTLE_ENDIAN__)

	.section .text.pk_exception, "ax", @progbits
	.balign 8
	.globl pk_ppc64_vector_template
pk_ppc64_vector_template:
	mtsprg	2, 12
	mtsprg	3, 11
	li	11, 0			/* the vector: filled in */
	ld	12, 0(0)		/* vector + 24: filled in */
	mtctr	12
	bctr
	.quad	0			/* pk_ppc64_exception_common */
	.globl pk_ppc64_vector_template_end
pk_ppc64_vector_template_end:

/* Entry: r11 = vector, SPRG2 = r12, SPRG3 = r11, real mode. */
	.globl pk_ppc64_exception_common
pk_ppc64_exception_common:
	mtsprg	0, 1			/* r1 */
	mflr	1
	mtsprg	1, 1			/* LR */
	bcl	20, 31, 1f
1:	mflr	12
	addis	1, 12, (pk_ppc64_exception_frame - 1b)@ha
	addi	1, 1, (pk_ppc64_exception_frame - 1b)@l
	std	0, 0(1)
	mfsprg	0, 0
	std	0, 8(1)
	std	2, 16(1)
	std	3, 24(1)
	std	4, 32(1)
	std	5, 40(1)
	std	6, 48(1)
	std	7, 56(1)
	std	8, 64(1)
	std	9, 72(1)
	std	10, 80(1)
	mfsprg	0, 3
	std	0, 88(1)
	mfsprg	0, 2
	std	0, 96(1)
	std	13, 104(1)
	std	14, 112(1)
	std	15, 120(1)
	std	16, 128(1)
	std	17, 136(1)
	std	18, 144(1)
	std	19, 152(1)
	std	20, 160(1)
	std	21, 168(1)
	std	22, 176(1)
	std	23, 184(1)
	std	24, 192(1)
	std	25, 200(1)
	std	26, 208(1)
	std	27, 216(1)
	std	28, 224(1)
	std	29, 232(1)
	std	30, 240(1)
	std	31, 248(1)
	mfsrr0	0
	std	0, 256(1)
	mfsrr1	0
	std	0, 264(1)
	mfsprg	0, 1
	std	0, 272(1)		/* lr */
	mfcr	0
	std	0, 280(1)
	mfxer	0
	std	0, 288(1)
	mfdar	0
	std	0, 296(1)
	mfdsisr	0
	std	0, 304(1)
	std	11, 312(1)		/* vector */
	mr	3, 1
	addis	2, 12, (.TOC. - 1b)@ha
	addi	2, 2, (.TOC. - 1b)@l
	addis	1, 12, (pk_ppc64_exception_stack_top - 1b)@ha
	addi	1, 1, (pk_ppc64_exception_stack_top - 1b)@l
	li	0, 0
	stdu	0, -PK_PPC64_FRAME(1)
	bl	pk_ppc64_exception
	nop
2:	b	2b

	.section .bss.pk_exception, "aw", @nobits
	.balign 16
	.globl pk_ppc64_exception_frame
pk_ppc64_exception_frame:
	.skip	320
pk_ppc64_exception_stack:
	.skip	8192
pk_ppc64_exception_stack_top:

#endif

	.section .note.GNU-stack, "", @progbits
