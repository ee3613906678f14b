/* SPDX-License-Identifier: MIT */
/*
 * A trampoline that gives up on purpose, for the halt test on ppc64:
 * pk_panic from a function of its own.  The runtime must
 * print where it was called (image base + offset, in give_up) and
 * "purgkit: halted"; purgkit-run ends the run there and names the line.
 * It carries the ppc64 raw trampoline's patchable names so that
 * --type=elf can load it there.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_ppc64_regs) = { 0 };
PK_PATCH_DEFINE(pk_secondary_entry) = 0;
PK_PATCH_DEFINE(pk_ppc64_cpu_in_r3) = 0;
PK_PATCH_DEFINE(pk_ppc64_place_table) = { 0 };

static void __attribute__((noinline, noclone)) give_up(int why)
{
	pk_panic("panic test: giving up (%d)", why);	/* PANIC LINE */
}

void pk_trampoline_main(void)
{
	pk_printf("panic: about to give up\n");
	give_up(42);
}
