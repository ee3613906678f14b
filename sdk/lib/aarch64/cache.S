/* SPDX-License-Identifier: MIT */
/*
 * Cache maintenance by virtual address range (purgkit/arch/aarch64/cpu.h),
 * named for what each guarantees.  The data cache line size is CTR_EL0's
 * DminLine (log2 of words), the smallest line of any cache: stepping by it
 * touches every line whatever each level's size.
 */
#include <purgkit/arch/aarch64/asm.h>

/* \op every data cache line of [x0, x0 + x1) to the PoC, then dsb sy. */
	.macro	dcache_range op
	cbz	x1, 2f
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	add	x1, x0, x1		/* end */
	sub	x3, x2, #1
	bic	x0, x0, x3		/* first line */
1:	dc	\op, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	1b
2:	dsb	sy
	ret
	.endm

	.section .text.pk_aarch64_dcache_clean_poc, "ax", %progbits
	.globl	pk_aarch64_dcache_clean_poc
	.type	pk_aarch64_dcache_clean_poc, %function
pk_aarch64_dcache_clean_poc:
	dcache_range cvac
	.size	pk_aarch64_dcache_clean_poc, . - pk_aarch64_dcache_clean_poc

	.section .text.pk_aarch64_dcache_clean_invalidate_poc, "ax", %progbits
	.globl	pk_aarch64_dcache_clean_invalidate_poc
	.type	pk_aarch64_dcache_clean_invalidate_poc, %function
pk_aarch64_dcache_clean_invalidate_poc:
	dcache_range civac
	.size	pk_aarch64_dcache_clean_invalidate_poc, . - pk_aarch64_dcache_clean_invalidate_poc

	.section .text.pk_aarch64_icache_invalidate_all, "ax", %progbits
	.globl	pk_aarch64_icache_invalidate_all
	.type	pk_aarch64_icache_invalidate_all, %function
pk_aarch64_icache_invalidate_all:
	dsb	sy
	ic	iallu
	dsb	sy
	isb
	ret
	.size	pk_aarch64_icache_invalidate_all, . - pk_aarch64_icache_invalidate_all

	.section .note.GNU-stack, "", %progbits
