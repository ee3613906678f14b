/* SPDX-License-Identifier: MIT */
/*
 * Time stamps, for a trampoline that measures itself: how long from the
 * runtime's entry to the hand-off, how fast the SHA-256 check ran, which
 * hashing engine is fastest on this machine.
 *
 * Ticks come from a free-running counter that needs no set-up: the TSC on
 * x86_64, the timebase on ppc64.  pk_time_hz() says how many ticks make a
 * second:
 *   - x86_64: CPUID leaf 0x15 when it names the TSC's crystal, else
 *     measured once against the PIT (channel 2, gated by port 0x61, the
 *     shortest of three 1 ms windows; channel 0 and the speaker are left
 *     as found);
 *   - ppc64: pk_timebase_hz if a loader patched it (the device tree's
 *     timebase-frequency), else 512 MHz, the timebase of POWER8 and
 *     later and of QEMU's pseries.
 * 0 means unknown (hosted builds, no PIT): callers then speak in ticks.
 */
#ifndef PURGKIT_TIME_H
#define PURGKIT_TIME_H

#include <stdint.h>

/* The counter now. */
uint64_t pk_time_now(void);

/* Ticks per second, or 0 when unknown (the first x86_64 call measures). */
uint64_t pk_time_hz(void);

/* Microseconds in `ticks`, or 0 when pk_time_hz() is unknown. */
uint64_t pk_time_to_us(uint64_t ticks);

#endif /* PURGKIT_TIME_H */
