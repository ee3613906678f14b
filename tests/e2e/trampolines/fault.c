/* SPDX-License-Identifier: MIT */
/*
 * A trampoline that faults on purpose, for the exception-handler test:
 * known values in some registers, then an invalid opcode.  The runtime's
 * IDT must print the vector, RIP and registers and halt, instead of the
 * machine triple-faulting into a silent reset.  It carries the multiboot
 * trampoline's patchable names so that --type=multiboot can load it.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_multiboot_entry) = 0;
PK_PATCH_DEFINE(pk_multiboot_info) = 0;

void pk_trampoline_main(void)
{
	pk_printf("fault: about to execute ud2\n");
	__asm__ volatile("movabs $0x1122334455667788, %%rbx\n\t"
			 "movabs $0x0badc0de0badc0de, %%r12\n\t"
			 "ud2"
			 : : : "rbx", "r12", "memory");
}
