/* SPDX-License-Identifier: MIT */
/*
 * riscv64 "linux": a RISC-V Linux Image, entered as the boot protocol
 * asks (Documentation/arch/riscv/boot.rst): S-mode, satp = 0, a0 = the
 * hart id of the hart that enters, a1 = the device tree's physical
 * address, the kernel at a 2 MiB-aligned address (the loader's choice,
 * pk_linux_entry).  The image was verified (SHA-256) first.
 *
 * The tree is the loader's (pk_linux_dtb), which kexec also took as "the"
 * device tree: the loader puts it first among the segments, so the two
 * agree; the trampoline says so when they do not.  The other harts are
 * stopped in the firmware; the kernel starts them with SBI HSM.
 */
#include <purgkit/purgkit.h>
#include <purgkit/fdt.h>
#include <purgkit/arch/riscv64/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_dtb) = 0;

void pk_trampoline_main(void)
{
	struct pk_riscv64_regs regs = { { 0 }, 0, 0 };
	struct pk_fdt_header header;

	if (!pk_linux_entry || !pk_linux_dtb)
		pk_panic("linux: no kernel or device tree was patched in");
	if (pk_fdt_read_header((const void *)(uintptr_t)pk_linux_dtb,
			       &header))
		pk_panic("linux: no device tree at 0x%llx",
			 (unsigned long long)pk_linux_dtb);
	if (pk_linux_dtb != pk_riscv64_boot_fdt)
		pk_printf("purgkit: linux: kexec's device tree is at 0x%llx, "
			  "the kernel gets 0x%llx\n",
			  (unsigned long long)pk_riscv64_boot_fdt,
			  (unsigned long long)pk_linux_dtb);
	pk_printf("purgkit: linux: hart %llu; kernel at 0x%llx, device tree "
		  "at 0x%llx\n", (unsigned long long)pk_riscv64_boot_hart,
		  (unsigned long long)pk_linux_entry,
		  (unsigned long long)pk_linux_dtb);
	regs.a[0] = pk_riscv64_boot_hart;
	regs.a[1] = pk_linux_dtb;
	regs.pc = pk_linux_entry;
	pk_riscv64_enter(&regs);
}
