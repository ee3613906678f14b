/* SPDX-License-Identifier: MIT */
/*
 * A ppc64 trampoline that faults on purpose, for the exception test:
 * known values in two registers, then a trap instruction (a program
 * interrupt, vector 0x700).  The runtime's vectors must print the
 * vector, where (image base + offset, in trap_here) and the registers,
 * and halt; purgkit-run ends the run there and names the line.  It
 * carries the ppc64 raw trampoline's patchable names so that --type=elf
 * can load it.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_ppc64_regs) = { 0 };
PK_PATCH_DEFINE(pk_secondary_entry) = 0;
PK_PATCH_DEFINE(pk_ppc64_cpu_in_r3) = 0;
PK_PATCH_DEFINE(pk_ppc64_place_table) = { 0 };

static void __attribute__((noinline, noclone)) trap_here(void)
{
	/* The statement's first line is the line of its trap: */
	__asm__ volatile(	/* TRAP LINE: the test looks for this line */
			 "lis 14, 0x1122\n\t"
			 "ori 14, 14, 0x3344\n\t"
			 "lis 15, 0x0bad\n\t"
			 "ori 15, 15, 0xc0de\n\t"
			 "trap"
			 : : : "r14", "r15", "memory");
}

void pk_trampoline_main(void)
{
	pk_printf("trap: about to execute trap\n");
	trap_here();
}
