/* SPDX-License-Identifier: MIT */
/*
 * riscv64 hand-off to a payload.
 */
#include <purgkit/arch/riscv64/asm.h>

/* Offsets in struct pk_riscv64_regs (purgkit/regs.h), generated from the
 * structure at build time. */
#include <generated/pk-asm-offsets.h>
#define REGS_A(n)	(PK_RISCV64_REGS_A + (n) * 8)
#define REGS_SP		PK_RISCV64_REGS_SP
#define REGS_PC		PK_RISCV64_REGS_PC

/*
 * void pk_riscv64_jump(const struct pk_riscv64_regs *regs)
 * Entry: a0 = regs; S-mode, satp = 0.
 * Exit (never returns): pc = regs->pc; a0..a7 = regs->a[0..7]; sp =
 * regs->sp if non-zero; sstatus.SIE = 0, sie = 0; after a fence.i, so a
 * payload the trampoline copied or changed is what the hart fetches.
 * t0 and t1 are undefined, the rest as the trampoline left them.
 */
	.text
	.balign 4
	.globl pk_riscv64_jump
	.type pk_riscv64_jump, @function
pk_riscv64_jump:
	csrci	sstatus, PK_RISCV64_SSTATUS_SIE
	csrw	sie, zero
	fence.i
	mv	t1, a0
	ld	t0, REGS_SP(t1)
	beqz	t0, 1f
	mv	sp, t0
1:	ld	t0, REGS_PC(t1)
	ld	a0, REGS_A(0)(t1)
	ld	a1, REGS_A(1)(t1)
	ld	a2, REGS_A(2)(t1)
	ld	a3, REGS_A(3)(t1)
	ld	a4, REGS_A(4)(t1)
	ld	a5, REGS_A(5)(t1)
	ld	a6, REGS_A(6)(t1)
	ld	a7, REGS_A(7)(t1)
	jr	t0
	.size pk_riscv64_jump, . - pk_riscv64_jump

	.section .note.GNU-stack, "", @progbits
