/* SPDX-License-Identifier: MIT */
/*
 * riscv64 time stamps: the time CSR (rdtime), readable in S-mode on every
 * platform Linux runs on.  Its rate is the device tree's /cpus
 * timebase-frequency: the loader's (pk_timebase_hz) when it patched one,
 * else the tree kexec handed over, else QEMU virt's 10 MHz.
 */
#include <purgkit/patch.h>
#include <purgkit/time.h>

#ifndef PK_HOSTED
#include <purgkit/arch/riscv64/cpu.h>
#endif

#define RISCV64_TIMEBASE_DEFAULT_HZ 10000000u

uint64_t pk_time_now(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

uint64_t pk_time_hz(void)
{
	static uint64_t from_tree;

	if (pk_timebase_hz)
		return pk_timebase_hz;
#ifndef PK_HOSTED
	if (!from_tree)
		from_tree = pk_riscv64_fdt_timebase_hz();
#endif
	return from_tree ? from_tree : RISCV64_TIMEBASE_DEFAULT_HZ;
}
