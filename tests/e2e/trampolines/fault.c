/* SPDX-License-Identifier: MIT */
/*
 * A trampoline that faults on purpose, for the exception-handler test:
 * known values in some registers, then an invalid opcode.  The runtime's
 * IDT must print the vector, RIP (as image base + offset, in fault_here)
 * and registers and halt, instead of the machine triple-faulting into a
 * silent reset; purgkit-run ends the run there and names the line.  It carries the multiboot
 * trampoline's patchable names so that --type=multiboot can load it.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_multiboot_entry) = 0;
PK_PATCH_DEFINE(pk_multiboot_info) = 0;

/* Its own function, so that the dump and purgkit-run can name it. */
static void __attribute__((noinline)) fault_here(void)
{
	/* The statement's first line is the line of its ud2: */
	__asm__ volatile(	/* FAULT LINE: the test looks for this line */
			 "movabs $0x1122334455667788, %%rbx\n\t"
			 "movabs $0x0badc0de0badc0de, %%r12\n\t"
			 "ud2"
			 : : : "rbx", "r12", "memory");
}

void pk_trampoline_main(void)
{
	pk_printf("fault: about to execute ud2\n");
	fault_here();
}
