/* SPDX-License-Identifier: MIT */
/*
 * An aarch64 trampoline that faults on purpose, for the exception test:
 * known values in two registers, then a BRK (a synchronous exception of
 * class 0x3c).  The runtime's vectors must print the vector, where
 * (image base + offset, in brk_here), ESR, ELR and the registers, and
 * halt; purgkit-run ends the run there and names the line.  It carries
 * the aarch64 raw trampoline's patchable names so that --type=elf can
 * load it.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_aarch64_regs) = { { 0 }, 0, 0, 0 };

static void __attribute__((noinline, noclone)) brk_here(void)
{
	/* The statement's first line is the line of its brk: */
	__asm__ volatile(	/* BRK LINE: the test looks for this line */
			 "movz x19, #0x1122, lsl #16\n\t"
			 "movk x19, #0x3344\n\t"
			 "movz x20, #0x0bad, lsl #16\n\t"
			 "movk x20, #0xc0de\n\t"
			 "brk #0x123"
			 : : : "x19", "x20", "memory");
}

void pk_trampoline_main(void)
{
	pk_printf("brk: about to execute brk\n");
	brk_here();
}
