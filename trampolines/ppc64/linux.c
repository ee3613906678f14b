/* SPDX-License-Identifier: MIT */
/*
 * ppc64 "linux": boot a Linux vmlinux with a flattened device tree.
 *
 * The loader copies the new kernel's first 0x100 bytes over this
 * trampoline's, all but the first PK_PPC64_ENTRY_KEEP (the endian-neutral
 * branch to our primary code).  So kexec puts the kernel's own low code
 * at physical 0, and the secondary CPUs, sent to 0x60, wait in the
 * kernel's __secondary_hold loop exactly as they would after firmware,
 * until the new kernel itself releases them.  Only the primary runs here.
 *
 * Hand-off contract (the kernel's "flat device tree" entry): real mode,
 * 64-bit, MSR[EE] = 0, MSR[LE] = pk_kernel_le, r3 = pk_linux_dtb (whose
 * boot_cpuid_phys we set to the primary's hardware CPU number), r4 =
 * pk_linux_entry (where the kernel was loaded), r5 = 0, and when
 * pk_opal_base is non-zero r8 = pk_opal_base, r9 = pk_opal_entry (the
 * kernel's early OPAL debug console).  The image was verified first.
 *
 * The crash path (-p) differs in one step: when pk_crash_backup is set,
 * the first PK_PPC64_CRASH_BACKUP_SIZE bytes of memory (the crashed
 * kernel's, less the first 0x100 that kexec itself has just replaced) are
 * copied there first, because the capture kernel copies its exception
 * vectors to 0; the dump reads them from the copy.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/ppc64/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_dtb) = 0;
PK_PATCH_DEFINE(pk_kernel_le) = 0;
PK_PATCH_DEFINE(pk_crash_backup) = 0;

/* Give the secondaries time to reach the kernel's hold loop (they were
 * sent to 0x60 as we were sent here) before the kernel runs. */
#define SECONDARY_SETTLE_LOOPS 0x100000

void pk_trampoline_main(void)
{
	struct pk_ppc64_regs regs = { { 0 }, 0, 0 };
	void *dtb = (void *)(uintptr_t)pk_linux_dtb;

	if (!pk_linux_entry || !dtb)
		pk_panic("linux: no kernel or device tree was patched in");
	if (pk_fdt_set_boot_cpuid(dtb, (uint32_t)pk_ppc64_boot_cpu) != 0)
		pk_panic("linux: no device tree (version >= 2) at 0x%llx",
			 (unsigned long long)pk_linux_dtb);
	pk_printf("purgkit: linux: primary is cpu %llu; kernel at 0x%llx, "
		  "device tree at 0x%llx, %s-endian\n",
		  (unsigned long long)pk_ppc64_boot_cpu,
		  (unsigned long long)pk_linux_entry,
		  (unsigned long long)pk_linux_dtb,
		  pk_kernel_le ? "little" : "big");
	if (pk_crash_backup) {
		/* As the crashed kernel left it: the runtime's vectors
		 * are not part of the dump. */
		pk_ppc64_read_low_memory((void *)(uintptr_t)pk_crash_backup,
					 PK_PPC64_CRASH_BACKUP_SIZE);
		pk_printf("purgkit: linux: crash: first 0x%x bytes of memory "
			  "backed up to 0x%llx\n", PK_PPC64_CRASH_BACKUP_SIZE,
			  (unsigned long long)pk_crash_backup);
	}
	pk_ppc64_delay(SECONDARY_SETTLE_LOOPS);

	regs.gpr[3] = pk_linux_dtb;
	regs.gpr[4] = pk_linux_entry;
	regs.gpr[5] = 0;
	if (pk_opal_base) {
		regs.gpr[8] = pk_opal_base;
		regs.gpr[9] = pk_opal_entry;
	}
	regs.nia = pk_linux_entry;
	regs.msr_le = pk_kernel_le ? 1 : 0;
	pk_ppc64_enter(&regs);
}
