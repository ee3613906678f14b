/* SPDX-License-Identifier: MIT */
/*
 * aarch64 kexec entry: the first code after reboot(LINUX_REBOOT_CMD_KEXEC).
 *
 * Entry state (docs/contract-aarch64.md, section 1): EL2 or EL1, MMU, D-
 * and I-cache off, D, A, I, F masked, SP_ELx selected; x0 = 0 under
 * kexec_load (the device tree's address only on the kexec_file path), x1-x3
 * = 0, nothing else defined.  No stack.
 *
 * pk_entry notes the exception level, takes its own stack, installs the
 * runtime's vectors (a fault prints why instead of hanging), turns the
 * MMU and caches on over what the runtime touches (mmu.c) and runs C.
 * Position-independent: the relocator placed it, but only adrp/add are
 * used, so it would run anywhere.
 */
#include <purgkit/arch/aarch64/asm.h>

	.section .text.pk_entry, "ax", %progbits
	.balign	4
	.globl	pk_entry
	.type	pk_entry, %function
pk_entry:
	msr	daifset, #0xf		/* masked already; say so */
	mrs	x0, CurrentEL
	ubfx	x0, x0, #2, #2
	adrp	x1, pk_aarch64_entry_el
	str	x0, [x1, :lo12:pk_aarch64_entry_el]
	adrp	x1, pk_aarch64_stack
	add	x1, x1, :lo12:pk_aarch64_stack
	add	x1, x1, #PK_AARCH64_STACK_SIZE
	mov	sp, x1
	mov	x29, #0			/* the end of the frame chain */
	mov	x30, #0
	adrp	x1, pk_aarch64_vectors
	add	x1, x1, :lo12:pk_aarch64_vectors
	cmp	x0, #2
	b.ne	1f
	msr	vbar_el2, x1
	b	2f
1:	msr	vbar_el1, x1
2:	isb
	bl	pk_aarch64_caches_init	/* the identity map, caches on */
	bl	pk_runtime_main
3:	wfe				/* pk_runtime_main never returns */
	b	3b
	.size	pk_entry, . - pk_entry

	.data
	.balign	8
	.globl	pk_aarch64_entry_el
pk_aarch64_entry_el:
	.quad	0
	.size	pk_aarch64_entry_el, 8

	.bss
	.balign	16
pk_aarch64_stack:
	.space	PK_AARCH64_STACK_SIZE
	.size	pk_aarch64_stack, PK_AARCH64_STACK_SIZE

	.section .note.GNU-stack, "", %progbits
