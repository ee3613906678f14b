/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "linux": the 64-bit Linux boot protocol
 * (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol").
 *
 * Hand-off contract: 64-bit long mode with the old kernel's identity map
 * (it covers every segment the loader placed), a GDT with flat 4 GiB
 * __BOOT_CS = 0x10 (code) and __BOOT_DS = 0x18 (data) descriptors, CS =
 * 0x10 and DS/ES/SS = 0x18 (the runtime's own GDT is laid out so), IF = 0,
 * RSI = physical address of boot_params (pk_linux_boot_params), and the
 * jump to pk_linux_entry (the protected-mode kernel's load address +
 * 0x200).  Every other general register is 0; RSP is 0 too, since the
 * kernel sets up its own stack before it touches one.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_boot_params) = 0;

void pk_trampoline_main(void)
{
	struct pk_x86_64_regs regs = { 0 };

	regs.rsi = pk_linux_boot_params;
	regs.rip = pk_linux_entry;
	pk_printf("purgkit: linux: entering 0x%llx, boot_params at 0x%llx\n",
		  (unsigned long long)regs.rip, (unsigned long long)regs.rsi);
	pk_x86_64_enter_long64(&regs);
}
