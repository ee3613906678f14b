/* SPDX-License-Identifier: MIT */
/*
 * aarch64 time stamps: the generic timer's virtual count (CNTVCT_EL0) at
 * the rate firmware programmed in CNTFRQ_EL0 (the boot protocol requires
 * it; see purgkit/time.h).  Both read at EL2, EL1 and, under Linux, EL0,
 * so the hosted tests run this same code.
 */
#include <purgkit/time.h>

uint64_t pk_time_now(void)
{
	uint64_t count;

	/* isb: not read ahead of the code it is to time. */
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count) : : "memory");
	return count;
}

uint64_t pk_time_hz(void)
{
	uint64_t hz;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz & 0xffffffffu;	/* the upper half is RES0 */
}
