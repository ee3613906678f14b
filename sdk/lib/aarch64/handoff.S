/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 hand-off's second half (purgkit/arch/aarch64/handoff.h says
 * the exit state; mmu.c's pk_aarch64_jump is the first).  When the
 * runtime turned the caches on, the trampoline's own image is cleaned and
 * invalidated to the point of coherency here, after its last write, and
 * the MMU and caches go off again; then the I-cache is invalidated so no
 * stale line of the old kernel is fetched from the payload's addresses.
 */
#include <purgkit/arch/aarch64/asm.h>
/* Offsets in struct pk_aarch64_regs (purgkit/regs.h), generated from the
 * structure at build time. */
#include <generated/pk-asm-offsets.h>

#define REGS_X(n)	(PK_AARCH64_REGS_X + (n) * PK_AARCH64_REGS_X_SIZE)

/*
 * void pk_aarch64_leave(const struct pk_aarch64_regs *regs, int caches_on)
 * Entry: x0 = regs, w1 = whether mmu.c turned the MMU and caches on (and
 * cleaned everything but this image), EL1 or EL2.  Writes no memory.
 * Never returns.
 */
	.section .text.pk_aarch64_leave, "ax", %progbits
	.globl	pk_aarch64_leave
	.type	pk_aarch64_leave, %function
pk_aarch64_leave:
	msr	daifset, #0xf
	mov	x9, x0
	cbz	w1, .Lmmu_off
	adrp	x0, pk_image_start
	add	x0, x0, :lo12:pk_image_start
	adrp	x1, pk_image_end
	add	x1, x1, :lo12:pk_image_end
	sub	x1, x1, x0
	bl	pk_aarch64_dcache_clean_invalidate_poc	/* a leaf: no stores */
	/* EL2 without VHE: SCTLR_EL2; EL1, or EL2 with VHE: the EL1 name. */
	mrs	x13, CurrentEL
	cmp	x13, #(2 << 2)
	b.ne	1f
	mrs	x13, hcr_el2
	tbnz	x13, #34, 1f
	mrs	x13, sctlr_el2
	bic	x13, x13, #PK_AARCH64_SCTLR_M
	bic	x13, x13, #PK_AARCH64_SCTLR_C
	bic	x13, x13, #PK_AARCH64_SCTLR_I
	msr	sctlr_el2, x13
	isb
	tlbi	alle2
	b	2f
1:	mrs	x13, sctlr_el1
	bic	x13, x13, #PK_AARCH64_SCTLR_M
	bic	x13, x13, #PK_AARCH64_SCTLR_C
	bic	x13, x13, #PK_AARCH64_SCTLR_I
	msr	sctlr_el1, x13
	isb
	mrs	x13, CurrentEL
	cmp	x13, #(2 << 2)
	b.eq	3f
	tlbi	vmalle1
	b	2f
3:	tlbi	alle2
2:	dsb	sy
	isb
.Lmmu_off:
	dsb	sy
	ic	iallu
	dsb	sy
	isb
	ldr	x10, [x9, #PK_AARCH64_REGS_PC]
	ldr	x11, [x9, #PK_AARCH64_REGS_SP]
	ldr	x12, [x9, #PK_AARCH64_REGS_EL]
	mrs	x13, CurrentEL
	ubfx	x13, x13, #2, #2
	cmp	x12, #1
	b.ne	.Lstay
	cmp	x13, #2
	b.ne	.Lstay
	/*
	 * EL2 to EL1h: EL1 is AArch64 and owns its regime (no VHE, no traps
	 * to EL2), may use the physical counter and timer and FP/SIMD, and
	 * starts with its MMU and caches off.
	 */
	mov	x13, #PK_AARCH64_HCR_RW
	msr	hcr_el2, x13
	isb
	mrs	x13, cnthctl_el2
	orr	x13, x13, #(PK_AARCH64_CNTHCTL_EL1PCTEN | PK_AARCH64_CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x13
	msr	cntvoff_el2, xzr
	mov	x13, #PK_AARCH64_CPTR_EL2_RES1
	msr	cptr_el2, x13
	mov	x13, #(PK_AARCH64_SCTLR_EL1_MMU_OFF & 0xffff)
	movk	x13, #(PK_AARCH64_SCTLR_EL1_MMU_OFF >> 16), lsl #16
	msr	sctlr_el1, x13
	msr	sp_el1, x11
	mov	x13, #PK_AARCH64_SPSR_EL1H_MASKED
	msr	spsr_el2, x13
	msr	elr_el2, x10
	bl	.Lload_x0_x7
	eret

.Lstay:
	cbz	x11, 1f
	mov	sp, x11
1:	bl	.Lload_x0_x7
	br	x10

/* x0..x7 from the block at x9 (x30 is the return). */
.Lload_x0_x7:
	ldp	x0, x1, [x9, #REGS_X(0)]
	ldp	x2, x3, [x9, #REGS_X(2)]
	ldp	x4, x5, [x9, #REGS_X(4)]
	ldp	x6, x7, [x9, #REGS_X(6)]
	ret
	.size	pk_aarch64_leave, . - pk_aarch64_leave

/*
 * void pk_aarch64_mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair,
 *			      int el2)
 * The identity map mmu.c built goes live: MAIR, TCR, TTBR0 of the EL2
 * regime (w3 = 1, EL2 without VHE) or of the EL1 names (EL1, and EL2 with
 * VHE, where they reach EL2's registers), the TLBs and the I-cache
 * invalidated, then SCTLR's M, C and I on (WXN and the alignment check
 * off).  The code runs on at the same address: the map is one to one.
 */
	.section .text.pk_aarch64_mmu_enable, "ax", %progbits
	.globl	pk_aarch64_mmu_enable
	.type	pk_aarch64_mmu_enable, %function
pk_aarch64_mmu_enable:
	dsb	sy
	ic	iallu
	cbz	w3, 1f
	msr	mair_el2, x2
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	sy
	isb
	mrs	x4, sctlr_el2
	orr	x4, x4, #PK_AARCH64_SCTLR_M
	orr	x4, x4, #PK_AARCH64_SCTLR_C
	orr	x4, x4, #PK_AARCH64_SCTLR_I
	bic	x4, x4, #PK_AARCH64_SCTLR_A
	bic	x4, x4, #(1 << 19)		/* WXN */
	msr	sctlr_el2, x4
	isb
	ret
1:	msr	mair_el1, x2
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	mrs	x4, CurrentEL
	cmp	x4, #(2 << 2)
	b.eq	2f
	tlbi	vmalle1
	b	3f
2:	tlbi	alle2
3:	dsb	sy
	isb
	mrs	x4, sctlr_el1
	orr	x4, x4, #PK_AARCH64_SCTLR_M
	orr	x4, x4, #PK_AARCH64_SCTLR_C
	orr	x4, x4, #PK_AARCH64_SCTLR_I
	bic	x4, x4, #PK_AARCH64_SCTLR_A
	bic	x4, x4, #(1 << 19)		/* WXN */
	msr	sctlr_el1, x4
	isb
	ret
	.size	pk_aarch64_mmu_enable, . - pk_aarch64_mmu_enable

	.section .note.GNU-stack, "", %progbits
