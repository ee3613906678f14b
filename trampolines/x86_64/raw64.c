/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "raw64": a payload with its own convention, in long mode.
 *
 * Hand-off contract: 64-bit long mode, paging as the old kernel left it
 * (an identity map of RAM and of every segment), the runtime's GDT (CS =
 * 0x10, data 0x18), IF = 0, DF = 0, all sixteen general registers and RIP
 * from pk_x86_64_regs exactly as patched.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/x86_64/trampolines.h>

PK_PATCH_DEFINE(pk_x86_64_regs) = { 0 };

void pk_trampoline_main(void)
{
	pk_printf("purgkit: raw64: entering 0x%llx in 64-bit long mode\n",
		  (unsigned long long)pk_x86_64_regs.rip);
	pk_x86_64_enter_long64(&pk_x86_64_regs);
}
