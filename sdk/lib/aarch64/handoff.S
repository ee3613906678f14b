/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 hand-off (purgkit/arch/aarch64/handoff.h says the exit
 * state).  The MMU and caches are off on the way in, as kexec left them
 * and as the runtime keeps them, so nothing of ours is in a data cache;
 * the I-cache is invalidated so no stale line of the old kernel is
 * fetched from the payload's addresses.
 */
#include <purgkit/arch/aarch64/asm.h>
/* Offsets in struct pk_aarch64_regs (purgkit/regs.h), generated from the
 * structure at build time. */
#include <generated/pk-asm-offsets.h>

#define REGS_X(n)	(PK_AARCH64_REGS_X + (n) * PK_AARCH64_REGS_X_SIZE)

/*
 * void pk_aarch64_jump(const struct pk_aarch64_regs *regs)
 * Entry: x0 = regs, EL1 or EL2, MMU off.  Never returns.
 */
	.section .text.pk_aarch64_jump, "ax", %progbits
	.globl	pk_aarch64_jump
	.type	pk_aarch64_jump, %function
pk_aarch64_jump:
	msr	daifset, #0xf
	mov	x9, x0
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
	.size	pk_aarch64_jump, . - pk_aarch64_jump

	.section .note.GNU-stack, "", %progbits
