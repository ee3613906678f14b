/* SPDX-License-Identifier: MIT */
/*
 * Your own trampoline, in one C file.  The runtime has already set up a
 * stack, the console the loader chose, and checked the SHA-256 of every
 * segment when pk_trampoline_main is called.  This one greets, shows what
 * the SDK offers (CPU identification, formatted output, the memory map
 * the loader wrote for it), and then hands a
 * Multiboot kernel the state it expects, so it can stand in for the
 * built-in multiboot trampoline:
 *
 *   purgkit-load -l kernel.elf --type=multiboot --purgatory=hello.ro
 *
 * The loader fills pk_multiboot_entry and pk_multiboot_info because they
 * have the names and sizes of the built-in trampoline's patchable data
 * (purgkit/trampolines.h).
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_multiboot_entry) = 0;
PK_PATCH_DEFINE(pk_multiboot_info) = 0;
/* A value of our own, settable with --set hello_greeting="...". */
PK_PATCHABLE char hello_greeting[32] = "hello from my trampoline";

void pk_trampoline_main(void)
{
	struct pk_cpuid vendor = pk_cpuid(0, 0);
	char name[13];
	struct pk_x86_32_regs regs = { 0 };
	const struct pk_memory_range *range;
	uint32_t step, count = pk_memory_map(&range, &step);
	uint64_t free_ram = 0;

	memcpy(name, &vendor.ebx, 4);
	memcpy(name + 4, &vendor.edx, 4);
	memcpy(name + 8, &vendor.ecx, 4);
	name[12] = '\0';
	pk_printf("hello: %.*s (cpu vendor %s)\n", (int)sizeof(hello_greeting),
		  hello_greeting, name);
	/* RAM no segment of this kexec occupies: free once we jump. */
	for (uint32_t i = 0; i < count; i++, range = pk_memory_next(range, step))
		if (range->type == PK_MEMORY_RAM)
			free_ram += range->size;
	pk_printf("hello: %u memory ranges, %llu MiB of RAM free\n", count,
		  (unsigned long long)(free_ram >> 20));

	regs.eax = 0x2BADB002u;		/* the Multiboot 1 boot magic */
	regs.ebx = pk_multiboot_info;
	regs.eip = pk_multiboot_entry;
	pk_x86_64_enter_protected32(&regs);
}
