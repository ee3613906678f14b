/* SPDX-License-Identifier: MIT */
/*
 * Tick conversion; the counter itself is per arch (sdk/lib/<arch>/timer.c:
 * pk_time_now, pk_time_hz).
 */
#include <purgkit/time.h>

uint64_t pk_time_to_us(uint64_t ticks)
{
	uint64_t hz = pk_time_hz();

	if (!hz)
		return 0;
	/* Whole seconds first, so ticks * 1e6 cannot overflow. */
	return ticks / hz * 1000000u + ticks % hz * 1000000u / hz;
}
