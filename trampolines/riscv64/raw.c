/* SPDX-License-Identifier: MIT */
/*
 * riscv64 "raw": a payload with its own convention.
 *
 * Hand-off contract: S-mode, satp = 0, interrupts off (sstatus.SIE = 0,
 * sie = 0), after a fence.i; a0..a7 = pk_riscv64_regs.a[0..7] except that
 * while pk_riscv64_boot_args is 1 (the default) a0 = the hart id and a1 =
 * the device tree kexec handed over, which is what every OpenSBI next
 * stage (a boot loader, a kernel) expects; sp = pk_riscv64_regs.sp when
 * non-zero; pc = pk_riscv64_regs.pc.  The image was verified (SHA-256)
 * before anything ran.  The other harts are stopped in the firmware
 * (docs/contract-riscv64.md); the payload starts them with SBI HSM.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/riscv64/trampolines.h>

PK_PATCH_DEFINE(pk_riscv64_regs) = { { 0 }, 0, 0 };
PK_PATCH_DEFINE(pk_riscv64_boot_args) = 1;

void pk_trampoline_main(void)
{
	struct pk_riscv64_regs regs = pk_riscv64_regs;

	if (pk_riscv64_boot_args) {
		regs.a[0] = pk_riscv64_boot_hart;
		regs.a[1] = pk_riscv64_boot_fdt;
	}
	pk_printf("purgkit: raw: hart %llu; entering 0x%llx, a0=0x%llx "
		  "a1=0x%llx a2=0x%llx\n",
		  (unsigned long long)pk_riscv64_boot_hart,
		  (unsigned long long)regs.pc, (unsigned long long)regs.a[0],
		  (unsigned long long)regs.a[1],
		  (unsigned long long)regs.a[2]);
	pk_riscv64_enter(&regs);
}
