/* SPDX-License-Identifier: MIT */
/*
 * aarch64 hand-off.  One way out for every aarch64 payload: the MMU and
 * caches as kexec left them (off), the I-cache invalidated, x0..x7, SP and
 * the entry from the register block, at EL2 or EL1.
 */
#ifndef PURGKIT_ARCH_AARCH64_HANDOFF_H
#define PURGKIT_ARCH_AARCH64_HANDOFF_H

#include <stdint.h>
#include <purgkit/regs.h>
#include <purgkit/runtime.h>

/* The switch itself (handoff.S); call pk_aarch64_enter, which reports the
 * trampoline's time first. */
void pk_aarch64_jump(const struct pk_aarch64_regs *regs)
	__attribute__((noreturn));

/*
 * Exit state: SCTLR_ELx.M, .C, .I = 0 (as kexec entered us), the
 * I-cache invalidated, D, A, I, F masked; x0..x7 = regs->x[0..7], SP =
 * regs->sp when non-zero (else undefined), PC = regs->pc; other general
 * registers undefined.  The exception level: regs->el 0 or the entry's
 * level stays there; regs->el 1 at EL2 drops to EL1h by eret with
 * HCR_EL2 = RW only (no VHE, no traps), CNTHCTL_EL2 letting EL1 use the
 * physical counter and timer, CPTR_EL2 trapping nothing, SCTLR_EL1 with
 * the MMU and caches off.  regs->el 2 at EL1 cannot be done: check with
 * pk_aarch64_entry_el first (the trampolines refuse it by name).
 */
static inline __attribute__((noreturn)) void
pk_aarch64_enter(const struct pk_aarch64_regs *regs)
{
	pk_runtime_report_handoff();
	pk_aarch64_jump(regs);
}

#endif /* PURGKIT_ARCH_AARCH64_HANDOFF_H */
