/* SPDX-License-Identifier: MIT */
/*
 * Your own ppc64 trampoline, in one C file, for either endianness.  When
 * pk_trampoline_main runs, the runtime has switched the CPU to this
 * build's byte order, set up a stack and a TOC, turned on the consoles
 * the loader chose (hvterm on pSeries) and checked the SHA-256 of every
 * segment; the secondary CPUs wait in the SDK's hold loop.
 *
 * This one greets, then does what the built-in "raw" trampoline does:
 * releases the secondaries (if the loader gave a secondary entry) and
 * enters the payload with registers from pk_ppc64_regs.  Because its
 * patchable data have the raw trampoline's names and sizes
 * (purgkit/trampolines.h), the loader fills them:
 *
 *   purgkit-load -l payload.elf --type=elf --purgatory=hello.ro
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_ppc64_regs) = { { 0 }, 0, 0 };
PK_PATCH_DEFINE(pk_secondary_entry) = 0;
PK_PATCH_DEFINE(pk_ppc64_cpu_in_r3) = 1;
/* A value of our own, settable with --set hello_greeting="...". */
PK_PATCHABLE char hello_greeting[32] = "hello from my trampoline";

void pk_trampoline_main(void)
{
	struct pk_ppc64_regs regs = pk_ppc64_regs;

	pk_printf("hello: %.*s (cpu %llu, %s-endian, %u secondaries held)\n",
		  (int)sizeof(hello_greeting), hello_greeting,
		  (unsigned long long)pk_ppc64_boot_cpu,
		  pk_ppc64_little_endian() ? "little" : "big",
		  (unsigned)pk_ppc64_secondaries_arrived());
	if (pk_ppc64_cpu_in_r3)
		regs.gpr[3] = pk_ppc64_boot_cpu;
	if (pk_secondary_entry)
		pk_ppc64_release_secondaries(pk_secondary_entry,
					     (int)(regs.msr_le & 1));
	pk_ppc64_enter(&regs);
}
