/* SPDX-License-Identifier: MIT */
/*
 * x86_64 hand-offs.  Each one leaves in the mode its payload's protocol
 * wants and never returns.  They do not touch CR0's or CR4's SSE bits:
 * the SHA-NI engine already put those back after each use, so SSE is as
 * the old kernel left it.  The code that drops out of long mode runs from
 * the trampoline, so the trampoline must lie below 4 GiB.
 */
#ifndef PURGKIT_ARCH_X86_64_HANDOFF_H
#define PURGKIT_ARCH_X86_64_HANDOFF_H

#include <stdint.h>
#include <purgkit/regs.h>
#include <purgkit/runtime.h>
#include <purgkit/arch/x86_64/asm.h>

/*
 * The mode switches themselves (handoff.S).  Call the pk_x86_64_enter_*
 * functions below instead: they report the trampoline's time first.
 */
void pk_x86_64_jump_long64(const struct pk_x86_64_regs *regs)
	__attribute__((noreturn));
void pk_x86_64_jump_protected32(const struct pk_x86_32_regs *regs)
	__attribute__((noreturn));
void pk_x86_64_jump_real16(const struct pk_x86_16_regs *regs,
			   uint32_t low_stub, uint32_t flags)
	__attribute__((noreturn));

/*
 * The top of the runtime's 16 KiB stack, in the trampoline's image (below
 * 4 GiB).  A hand-off may give it to a payload that is owed no stack but
 * may push before it sets up its own (Multiboot leaves ESP undefined;
 * GRUB gives such kernels a low-memory address): the trampoline no longer
 * needs it once it jumps.
 */
extern char pk_stack_top[];

/*
 * 64-bit long mode, paging as the old kernel left it (identity map),
 * interrupts off, every general register and RIP from regs.  IDTR still
 * holds the runtime's 64-bit IDT (valid in long mode): an exception before
 * the payload loads its own prints through the runtime's fault dump and
 * halts, as long as the payload left the trampoline's image intact.
 */
static inline __attribute__((noreturn)) void
pk_x86_64_enter_long64(const struct pk_x86_64_regs *regs)
{
	pk_runtime_report_handoff();
	pk_x86_64_jump_long64(regs);
}

/*
 * 32-bit protected mode with paging off, EFER.LME clear, flat 4 GiB code
 * and data segments (CS = PK_X86_SEL_CODE32, others PK_X86_SEL_DATA),
 * interrupts off, registers and EIP from regs.  This is the state
 * Multiboot 1 and 2 require (with eax/ebx set by the caller).  IDTR is
 * emptied (limit 0): the runtime's IDT has the long-mode format, so an
 * exception before the payload loads its own IDT triple-faults (a reset)
 * rather than running garbage.
 */
static inline __attribute__((noreturn)) void
pk_x86_64_enter_protected32(const struct pk_x86_32_regs *regs)
{
	pk_runtime_report_handoff();
	pk_x86_64_jump_protected32(regs);
}

/*
 * 16-bit real mode: protected mode off, segment registers and cs:ip,
 * ss:sp from regs, the IDT register pointing at the real-mode IVT at 0.
 * The switch runs from a stub copied below 1 MiB, at low_stub (a
 * page-aligned, free physical address below 0x100000 that the loader
 * reserved, at least 4 KiB).
 *
 * flags: 0, or PK_X86_REAL16_BIOS_IRQ to put the interrupt controllers
 * back as a PC BIOS leaves them before it boots (both 8259s at vectors
 * 0x08 and 0x70 with the BIOS's lines open, the PIT's channel 0 at
 * 18.2 Hz, the local APIC in virtual wire mode), so that BIOS services
 * driven by the timer or the keyboard interrupt work again.  It runs
 * last, with paging off, so nothing between it and the payload can take
 * an interrupt.  Without it the controllers stay as the old kernel left
 * them (Linux: both 8259s masked, at vectors 0x30 and 0x38).
 */
static inline __attribute__((noreturn)) void
pk_x86_64_enter_real16(const struct pk_x86_16_regs *regs, uint32_t low_stub,
		       uint32_t flags)
{
	pk_runtime_report_handoff();
	pk_x86_64_jump_real16(regs, low_stub, flags);
}

#endif /* PURGKIT_ARCH_X86_64_HANDOFF_H */
