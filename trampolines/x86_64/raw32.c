/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "raw32": a payload with its own convention, in 32-bit protected
 * mode.
 *
 * Hand-off contract: 32-bit protected mode, paging off, EFER.LME = 0,
 * CR4.PAE = 0, flat 4 GiB segments (CS = 0x08, data 0x18), IF = 0,
 * DF = 0, all eight general registers and EIP from pk_x86_32_regs.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/x86_64/trampolines.h>

PK_PATCH_DEFINE(pk_x86_32_regs) = { 0 };

void pk_trampoline_main(void)
{
	pk_printf("purgkit: raw32: entering 0x%x in 32-bit protected mode\n",
		  pk_x86_32_regs.eip);
	pk_x86_64_enter_protected32(&pk_x86_32_regs);
}
