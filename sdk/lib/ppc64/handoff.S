/* SPDX-License-Identifier: MIT */
/*
 * ppc64 mode switches: the hand-off to a payload, and the round trip
 * through big-endian OPAL.  Both ABIs, both endiannesses.
 */
#include <purgkit/arch/ppc64/asm.h>

/* Offsets in struct pk_ppc64_regs (purgkit/regs.h), generated from the
 * structure at build time. */
#include <generated/pk-asm-offsets.h>
#define REGS_GPR(n)	(PK_PPC64_REGS_GPR + (n) * PK_PPC64_REGS_GPR_SIZE)
#define REGS_NIA	PK_PPC64_REGS_NIA
#define REGS_MSR_LE	PK_PPC64_REGS_MSR_LE

/*
 * void pk_ppc64_enter(const struct pk_ppc64_regs *regs)
 * Entry: r3 = regs, real mode.
 * Exit (by rfid, never returns): NIA = regs->nia; MSR as now but
 * MSR[LE] = regs->msr_le & 1 and MSR[EE] = 0; r3..r10 from regs->gpr[];
 * r1 = regs->gpr[1] if non-zero; SMT priority medium.  r11, r12 and the
 * rest are undefined.
 */
PK_FUNC(pk_ppc64_enter)
	or	2, 2, 2
	mr	12, 3
	ld	11, REGS_NIA(12)
	mtsrr0	11
	mfmsr	11
	rldicr	11, 11, 0, 62		/* LE off ... */
	ld	10, REGS_MSR_LE(12)
	andi.	10, 10, 1
	or	11, 11, 10		/* ... then as the payload wants */
	li	10, 0
	ori	10, 10, PK_PPC64_MSR_EE
	andc	11, 11, 10
	mtsrr1	11
	ld	10, REGS_GPR(1)(12)
	cmpdi	10, 0
	beq	1f
	mr	1, 10
1:	ld	3, REGS_GPR(3)(12)
	ld	4, REGS_GPR(4)(12)
	ld	5, REGS_GPR(5)(12)
	ld	6, REGS_GPR(6)(12)
	ld	7, REGS_GPR(7)(12)
	ld	8, REGS_GPR(8)(12)
	ld	9, REGS_GPR(9)(12)
	ld	10, REGS_GPR(10)(12)
	rfid
PK_FUNC_END(pk_ppc64_enter)

/*
 * int64_t pk_opal_call(token, a0, a1, a2, opal_base, opal_entry)
 * Entry: r3 = token, r4..r6 = arguments, r7 = OPAL base, r8 = OPAL entry;
 * real mode, either endianness.
 * OPAL wants: r0 = token, r2 = its base, r3.. = arguments, LR = return,
 * real mode, MSR[LE] = 0 (it is big-endian), MSR[EE] = 0.  It keeps r1
 * and the non-volatile registers, and returns to LR still big-endian;
 * the landing pad is PK_FIXUP_ENDIAN, which brings a little-endian build
 * back to little-endian.
 * Exit: r3 = OPAL's status, our endianness, r2 = our TOC.
 */
PK_FUNC(pk_opal_call)
	mflr	0
	std	0, 16(1)
	stdu	1, -PK_PPC64_FRAME(1)
	std	2, PK_PPC64_FRAME - 8(1)
	mtsrr0	8
	mfmsr	11
	rldicr	11, 11, 0, 62		/* big-endian for OPAL */
	li	10, 0
	ori	10, 10, PK_PPC64_MSR_EE
	andc	11, 11, 10
	mtsrr1	11
	bcl	20, 31, 1f
1:	mflr	12
	addi	12, 12, 2f - 1b
	mtlr	12
	mr	0, 3
	mr	2, 7
	mr	3, 4
	mr	4, 5
	mr	5, 6
	rfid
2:	PK_FIXUP_ENDIAN
	ld	2, PK_PPC64_FRAME - 8(1)
	addi	1, 1, PK_PPC64_FRAME
	ld	0, 16(1)
	mtlr	0
	blr
PK_FUNC_END(pk_opal_call)

	.section .note.GNU-stack, "", @progbits
