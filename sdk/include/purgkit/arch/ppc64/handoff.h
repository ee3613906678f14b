/* SPDX-License-Identifier: MIT */
/*
 * ppc64 hand-off.  One way out for every ppc64 payload: load the
 * registers, pick the endianness, and rfid to the entry.
 */
#ifndef PURGKIT_ARCH_PPC64_HANDOFF_H
#define PURGKIT_ARCH_PPC64_HANDOFF_H

#include <stdint.h>
#include <purgkit/regs.h>
#include <purgkit/runtime.h>

/* The switch itself (handoff.S); call pk_ppc64_enter, which reports the
 * trampoline's time first. */
void pk_ppc64_jump(const struct pk_ppc64_regs *regs)
	__attribute__((noreturn));

/*
 * Exit state: real mode (MSR[IR] = MSR[DR] = 0), 64-bit, MSR[EE] = 0,
 * MSR[LE] = regs->msr_le, every other MSR bit as the old kernel left it;
 * r3..r10 = regs->gpr[3..10]; r1 = regs->gpr[1] when non-zero, else
 * undefined; NIA = regs->nia.  Other registers are undefined.  The
 * caller's SMT priority is put back to medium first.
 */
static inline __attribute__((noreturn)) void
pk_ppc64_enter(const struct pk_ppc64_regs *regs)
{
	pk_runtime_report_handoff();
	pk_ppc64_jump(regs);
}

#endif /* PURGKIT_ARCH_PPC64_HANDOFF_H */
