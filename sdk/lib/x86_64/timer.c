/* SPDX-License-Identifier: MIT */
/*
 * x86_64 time stamps: the TSC (see purgkit/time.h).  Its rate is not
 * architectural, so it is read from CPUID leaf 0x15 where the CPU names
 * its crystal, else measured once against the 8254 PIT, whose input clock
 * is 1.193182 MHz on every PC: channel 2 counts down a fixed number of
 * PIT ticks in mode 0 while we watch its output on port 0x61.
 */
#include <purgkit/arch/x86_64/cpu.h>
#include <purgkit/time.h>

#define PIT_HZ		1193182u
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_CH2_MODE0	0xb0	/* channel 2, low then high byte, mode 0 */
#define PORT_B		0x61
#define PORT_B_GATE2	0x01	/* channel 2 counts while set */
#define PORT_B_SPEAKER	0x02	/* kept off: no beep */
#define PORT_B_OUT2	0x20	/* channel 2's output: high once it hit 0 */
#define PIT_TICKS	1193u	/* 1 ms a window */
#define PIT_WINDOWS	3
/* Give up on a PIT that never answers (some machines gate it off). */
#define PIT_MAX_POLLS	(1u << 22)

static uint64_t tsc_hz;
static int tsc_hz_known;

uint64_t pk_time_now(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t tsc_hz_from_cpuid(void)
{
	struct pk_cpuid leaf;

	if (pk_cpuid(0, 0).eax < 0x15)
		return 0;
	/* EAX/EBX = TSC/crystal ratio, ECX = crystal Hz (0: not named). */
	leaf = pk_cpuid(0x15, 0);
	if (!leaf.eax || !leaf.ebx || !leaf.ecx)
		return 0;
	return (uint64_t)leaf.ecx * leaf.ebx / leaf.eax;
}

#ifndef PK_HOSTED
/*
 * TSC ticks in one window of PIT_TICKS, counted from just before the
 * write that starts channel 2 to the first read that sees its output
 * high.  Whatever delays us (an SMI, a host that deschedules this virtual
 * CPU) can only lengthen the window, so the shortest of a few is the
 * truest.  0 if the PIT never answered.
 */
static uint64_t pit_window_ticks(void)
{
	uint64_t start, end;
	uint32_t polls = 0;

	pk_outb(PIT_MODE, PIT_CH2_MODE0);
	pk_outb(PIT_CH2, PIT_TICKS & 0xff);
	start = pk_time_now();
	pk_outb(PIT_CH2, PIT_TICKS >> 8);	/* counting starts here */
	while (!(pk_inb(PORT_B) & PORT_B_OUT2) && ++polls < PIT_MAX_POLLS)
		;
	end = pk_time_now();
	return polls < PIT_MAX_POLLS && end > start ? end - start : 0;
}

static uint64_t tsc_hz_from_pit(void)
{
	uint8_t port_b = pk_inb(PORT_B);
	uint64_t best = 0, ticks;
	int window;

	pk_outb(PORT_B, (port_b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	for (window = 0; window < PIT_WINDOWS; window++) {
		ticks = pit_window_ticks();
		if (!ticks)
			break;
		if (!best || ticks < best)
			best = ticks;
	}
	pk_outb(PORT_B, port_b);
	return best * PIT_HZ / PIT_TICKS;
}
#endif

uint64_t pk_time_hz(void)
{
	if (!tsc_hz_known) {
		tsc_hz = tsc_hz_from_cpuid();
#ifndef PK_HOSTED
		if (!tsc_hz)
			tsc_hz = tsc_hz_from_pit();
#endif
		tsc_hz_known = 1;
	}
	return tsc_hz;
}
