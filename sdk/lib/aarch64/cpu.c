/* SPDX-License-Identifier: MIT */
/* aarch64 CPU helpers (purgkit/arch/aarch64/cpu.h) and pk_halt. */
#include <purgkit/cpu.h>
#include <purgkit/runtime.h>

int pk_aarch64_vhe(void)
{
	uint64_t hcr;

	if (pk_aarch64_current_el() != 2)
		return 0;
	__asm__ volatile("mrs %0, hcr_el2" : "=r"(hcr));
	return (hcr & PK_AARCH64_HCR_E2H) != 0;
}

/* Wait for events with everything masked: only a reset leaves. */
void pk_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		__asm__ volatile("wfe");
}
