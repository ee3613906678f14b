/* SPDX-License-Identifier: MIT */
/*
 * ppc64 time stamps: the timebase (see purgkit/time.h), readable in any
 * mode.  Its frequency is the device tree's timebase-frequency, which a
 * loader may patch into pk_timebase_hz; POWER8 and later (and QEMU's
 * pseries) run it at 512 MHz, the default when no loader said.
 */
#include <purgkit/patch.h>
#include <purgkit/time.h>

#define PPC64_TIMEBASE_DEFAULT_HZ 512000000u

uint64_t pk_time_now(void)
{
	uint64_t tb;

	__asm__ volatile("mftb %0" : "=r"(tb));
	return tb;
}

uint64_t pk_time_hz(void)
{
	return pk_timebase_hz ? pk_timebase_hz : PPC64_TIMEBASE_DEFAULT_HZ;
}
