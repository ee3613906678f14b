/* SPDX-License-Identifier: MIT */
/*
 * riscv64 hand-off: one way out for every riscv64 payload.
 */
#ifndef PURGKIT_ARCH_RISCV64_HANDOFF_H
#define PURGKIT_ARCH_RISCV64_HANDOFF_H

#include <stdint.h>
#include <purgkit/regs.h>
#include <purgkit/runtime.h>

/* The jump itself (handoff.S); call pk_riscv64_enter, which reports the
 * trampoline's time first. */
void pk_riscv64_jump(const struct pk_riscv64_regs *regs)
	__attribute__((noreturn));

/*
 * Exit state: S-mode, satp = 0 (as kexec left it), sstatus.SIE = 0,
 * sie = 0; a0..a7 = regs->a[0..7]; sp = regs->sp (0: undefined, the
 * payload brings its own stack); pc = regs->pc, after a fence.i.  Other
 * registers are undefined; stvec still points at the SDK's trap handler,
 * which a payload replaces before it enables anything.
 */
static inline __attribute__((noreturn)) void
pk_riscv64_enter(const struct pk_riscv64_regs *regs)
{
	pk_runtime_report_handoff();
	pk_riscv64_jump(regs);
}

#endif /* PURGKIT_ARCH_RISCV64_HANDOFF_H */
