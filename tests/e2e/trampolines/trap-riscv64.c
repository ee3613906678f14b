/* SPDX-License-Identifier: MIT */
/*
 * A riscv64 trampoline that faults on purpose, for the trap test: known
 * values in two registers, then an illegal instruction (exception 2).
 * The runtime's trap handler must print the cause, where (image base +
 * offset, in trap_here) and the registers, and halt; purgkit-run ends the
 * run there and names the line.  It carries the riscv64 raw trampoline's
 * patchable names so that --type=elf can load it.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_riscv64_regs) = { { 0 }, 0, 0 };
PK_PATCH_DEFINE(pk_riscv64_boot_args) = 1;

static void __attribute__((noinline, noclone)) trap_here(void)
{
	/* The statement's first line is the line of its trap: */
	__asm__ volatile(	/* TRAP LINE: the test looks for this line */
			 "li s4, 0x11223344\n\t"
			 "li s5, 0x0badc0de\n\t"
			 "unimp"
			 : : : "s4", "s5", "memory");
}

void pk_trampoline_main(void)
{
	pk_printf("trap: about to execute unimp\n");
	trap_here();
}
