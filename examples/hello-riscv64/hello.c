/* SPDX-License-Identifier: MIT */
/*
 * Your own riscv64 trampoline, in one C file.  When pk_trampoline_main
 * runs, the runtime has made a stack and its trap handler, turned on the
 * consoles the loader chose (the SBI debug console by default) and
 * checked the SHA-256 of every segment; the hart runs in S-mode with
 * satp = 0, and pk_riscv64_boot_hart and pk_riscv64_boot_fdt hold what
 * kexec passed in a0 and a1.  The other harts wait in the firmware.
 *
 * This one greets, then does what the built-in "raw" trampoline does:
 * enters the payload with a0 = the hart id, a1 = the device tree (what
 * every OpenSBI next stage expects) and the entry from pk_riscv64_regs.
 * Because its patchable data have the raw trampoline's names and sizes
 * (purgkit/trampolines.h), the loader fills them:
 *
 *   purgkit-load -l payload.elf --type=elf --purgatory=hello.ro
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_riscv64_regs) = { { 0 }, 0, 0 };
PK_PATCH_DEFINE(pk_riscv64_boot_args) = 1;
/* A value of our own, settable with --set hello_greeting="...". */
PK_PATCHABLE char hello_greeting[32] = "hello from my trampoline";

void pk_trampoline_main(void)
{
	struct pk_riscv64_regs regs = pk_riscv64_regs;

	pk_printf("hello: %.*s (hart %llu, Zknh %s)\n",
		  (int)sizeof(hello_greeting), hello_greeting,
		  (unsigned long long)pk_riscv64_boot_hart,
		  pk_riscv64_has_extension("zknh") ? "yes" : "no");
	if (pk_riscv64_boot_args) {
		regs.a[0] = pk_riscv64_boot_hart;
		regs.a[1] = pk_riscv64_boot_fdt;
	}
	pk_riscv64_enter(&regs);
}
