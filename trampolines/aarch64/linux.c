/* SPDX-License-Identifier: MIT */
/*
 * aarch64 "linux": the arm64 Image protocol
 * (Documentation/arch/arm64/booting.rst; docs/contract-aarch64.md,
 * section 4).
 *
 * Hand-off contract: x0 = pk_linux_dtb (the device tree's physical
 * address), x1 = x2 = x3 = 0, PC = pk_linux_entry (the Image's first
 * byte, at a 2 MiB-aligned base plus text_offset, placed by the loader);
 * MMU, D-cache and I-cache off, the I-cache invalidated, D, A, I, F
 * masked; at the exception level kexec entered at (EL2 stays EL2, for
 * KVM).  The kernel's bytes are clean to the point of coherency: kexec
 * cleaned them when it copied them, and the runtime writes nothing
 * through a cache.  The image was verified (SHA-256) before anything ran.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/aarch64/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_dtb) = 0;

void pk_trampoline_main(void)
{
	struct pk_aarch64_regs regs = { { 0 }, 0, 0, 0 };

	if (!pk_linux_entry || !pk_linux_dtb)
		pk_panic("linux: no kernel or no device tree was patched in "
			 "(entry 0x%llx, device tree 0x%llx)",
			 (unsigned long long)pk_linux_entry,
			 (unsigned long long)pk_linux_dtb);
	regs.x[0] = pk_linux_dtb;
	regs.pc = pk_linux_entry;
	regs.el = pk_aarch64_entry_el;
	pk_printf("purgkit: linux: entering the Image at 0x%llx at EL%llu%s, "
		  "device tree at 0x%llx (%s)\n", (unsigned long long)regs.pc,
		  (unsigned long long)regs.el,
		  pk_aarch64_vhe() ? " (VHE)" : "",
		  (unsigned long long)regs.x[0], pk_aarch64_cache_mode());
	pk_aarch64_enter(&regs);
}
