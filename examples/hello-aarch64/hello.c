/* SPDX-License-Identifier: MIT */
/*
 * Your own aarch64 trampoline, in one C file.  When pk_trampoline_main
 * runs, the runtime has made a stack and its exception vectors, turned on
 * the console the loader chose (the PL011 or 8250 of the device tree's
 * stdout-path, or --console=pl011,ADDR) and checked the SHA-256 of every
 * segment, with the MMU and caches on over an identity map of what it
 * was handed (pk_aarch64_enter turns them off again for the payload);
 * kexec entered at EL1 or EL2 (pk_aarch64_entry_el), and the other CPUs
 * are offline.
 *
 * This one greets, then does what the built-in "raw" trampoline does:
 * enters the payload with x0..x7, SP and the entry from pk_aarch64_regs, at
 * the level kexec entered at.  Because its patchable data have the raw
 * trampoline's name and size (purgkit/trampolines.h), the loader fills it:
 *
 *   purgkit-load -l payload.elf --type=elf --reg=x1=0x9000000 \
 *	--purgatory=hello.ro
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_aarch64_regs) = { { 0 }, 0, 0, 0 };
/* A value of our own, settable with --set hello_greeting="...". */
PK_PATCHABLE char hello_greeting[32] = "hello from my trampoline";

void pk_trampoline_main(void)
{
	struct pk_aarch64_regs regs = pk_aarch64_regs;

	pk_printf("hello: %.*s (EL%llu%s, %s)\n",
		  (int)sizeof(hello_greeting), hello_greeting,
		  (unsigned long long)pk_aarch64_entry_el,
		  pk_aarch64_vhe() ? ", VHE" : "", pk_aarch64_cache_mode());
	/* The level kexec entered at: a payload may not ask for a higher. */
	regs.el = pk_aarch64_entry_el;
	pk_aarch64_enter(&regs);
}
