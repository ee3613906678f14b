/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "raw16": a payload with its own convention, in 16-bit real mode.
 *
 * Hand-off contract: real mode (CR0.PE = 0, paging off, EFER.LME = 0),
 * IDTR = the real-mode IVT at physical 0 (limit 0x3ff) left as the
 * firmware put it, IF = 0, DF = 0, CS:IP, DS, ES, FS, GS, SS:SP and the
 * eight 32-bit general registers from pk_x86_16_regs.  The switch runs
 * from a page below 1 MiB that the loader reserved (pk_real_mode_stub);
 * that page belongs to the payload afterwards.  With pk_bios_irq_restore
 * (the default) the interrupt controllers are as a PC BIOS leaves them
 * (both 8259s at vectors 0x08 and 0x70, the BIOS's lines open; the PIT's
 * channel 0 at 18.2 Hz; the local APIC in virtual wire mode), so BIOS
 * services driven by interrupts work; with 0, as the old kernel left
 * them (pk_x86_64_enter_real16 in purgkit/arch/x86_64/handoff.h).
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/x86_64/trampolines.h>

PK_PATCH_DEFINE(pk_x86_16_regs) = { 0 };
PK_PATCH_DEFINE(pk_real_mode_stub) = 0;
PK_PATCH_DEFINE(pk_bios_irq_restore) = 1;

void pk_trampoline_main(void)
{
	if (pk_real_mode_stub == 0 || pk_real_mode_stub >= 0x100000 ||
	    (pk_real_mode_stub & 0xfff))
		pk_panic("raw16: pk_real_mode_stub 0x%x is not a page below "
			 "1 MiB", pk_real_mode_stub);
	pk_printf("purgkit: raw16: entering %04x:%04x in real mode "
		  "(switch stub at 0x%x), %s\n", pk_x86_16_regs.cs,
		  pk_x86_16_regs.ip, pk_real_mode_stub,
		  pk_bios_irq_restore ?
			  "BIOS interrupt state restored" :
			  "interrupt controllers as the old kernel left them");
	pk_x86_64_enter_real16(&pk_x86_16_regs, pk_real_mode_stub,
			       pk_bios_irq_restore ? PK_X86_REAL16_BIOS_IRQ :
						     0);
}
