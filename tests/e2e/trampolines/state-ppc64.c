/* SPDX-License-Identifier: MIT */
/*
 * A ppc64 trampoline that reports the machine state pk_trampoline_main
 * gets, for the test that holds docs/contract-ppc64.md's table ("Machine
 * state at pk_trampoline_main") to the code: MSR, the stack and TOC
 * pointers and the held secondaries, each on a "state:" line; then it
 * powers the machine off (the payload is never entered).
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_ppc64_regs) = { 0 };
PK_PATCH_DEFINE(pk_secondary_entry) = 0;
PK_PATCH_DEFINE(pk_ppc64_cpu_in_r3) = 0;
PK_PATCH_DEFINE(pk_ppc64_place_table) = { 0 };

void pk_trampoline_main(void)
{
	uint64_t r1, r2;

	__asm__ volatile("mr %0, 1" : "=r"(r1));
	__asm__ volatile("mr %0, 2" : "=r"(r2));
	/* Let every secondary reach the hold first. */
	pk_ppc64_delay(1u << 24);
	pk_printf("state: image 0x%llx 0x%llx\n",
		  (unsigned long long)(uintptr_t)pk_image_start,
		  (unsigned long long)(uintptr_t)pk_image_end);
	pk_printf("state: MSR 0x%llx\n",
		  (unsigned long long)pk_ppc64_mfmsr());
	pk_printf("state: r1 0x%llx\n", (unsigned long long)r1);
	pk_printf("state: r2 0x%llx\n", (unsigned long long)r2);
	pk_printf("state: held 0x%x\n", (unsigned)pk_ppc64_secondaries_arrived());
	pk_printf("state: done\n");
	pk_halt();
}
