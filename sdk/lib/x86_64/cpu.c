/* SPDX-License-Identifier: MIT */
/* x86_64 CPU helpers that are not inline. */
#include <purgkit/cpu.h>
#include <purgkit/runtime.h>

void pk_halt(void)
{
	for (;;) {
		pk_cli();
		pk_hlt();
	}
}
