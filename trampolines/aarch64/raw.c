/* SPDX-License-Identifier: MIT */
/*
 * aarch64 "raw": a payload with its own convention.
 *
 * Hand-off contract (docs/contract-aarch64.md, "raw"): MMU, D-cache and
 * I-cache off, the I-cache invalidated, D, A, I, F masked; x0..x7 =
 * pk_aarch64_regs.x[0..7], SP = pk_aarch64_regs.sp when non-zero, PC =
 * pk_aarch64_regs.pc, at the exception level pk_aarch64_regs.el asks (0:
 * the one kexec entered at; 1: EL1, dropping from EL2; 2: EL2, refused
 * when kexec entered at EL1).  The image was verified (SHA-256) before
 * anything ran.  Other CPUs are offline, as kexec left them.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/aarch64/trampolines.h>

PK_PATCH_DEFINE(pk_aarch64_regs) = { { 0 }, 0, 0, 0 };

void pk_trampoline_main(void)
{
	struct pk_aarch64_regs regs = pk_aarch64_regs;
	uint64_t el = regs.el ? regs.el : pk_aarch64_entry_el;

	if (el > pk_aarch64_entry_el)
		pk_panic("raw: the payload asks for EL%llu, but kexec "
			 "entered the trampoline at EL%llu",
			 (unsigned long long)el,
			 (unsigned long long)pk_aarch64_entry_el);
	pk_printf("purgkit: raw: entered at EL%llu%s (%s); entering 0x%llx "
		  "at EL%llu, x0=0x%llx x1=0x%llx x2=0x%llx x3=0x%llx\n",
		  (unsigned long long)pk_aarch64_entry_el,
		  pk_aarch64_vhe() ? " (VHE)" : "", pk_aarch64_cache_mode(),
		  (unsigned long long)regs.pc, (unsigned long long)el,
		  (unsigned long long)regs.x[0], (unsigned long long)regs.x[1],
		  (unsigned long long)regs.x[2], (unsigned long long)regs.x[3]);
	regs.el = el;
	pk_aarch64_enter(&regs);
}
