/* SPDX-License-Identifier: MIT */
/*
 * Your own ppc64 "linux" trampoline: it stands in for the built-in one
 * (trampolines/ppc64/linux.c) between two Linux kernels, and is where you
 * add what you need before the new kernel runs.  This one reads the new
 * kernel's device tree and the memory map the loader wrote, prints what
 * it found, and boots the kernel:
 *
 *   purgkit-load -l vmlinux --type=linux --initrd=initrd.img \
 *       --append="console=hvc0" --purgatory=my-linux.ro
 *
 * What a linux-type trampoline on ppc64 must do, and why:
 *  - The loader copied the new kernel's first 0x100 bytes over this
 *    trampoline's, all but the first PK_PPC64_ENTRY_KEEP (the branch to
 *    the runtime).  kexec copies the trampoline segment to physical 0, so
 *    the kernel's own low code lies there when the secondary CPUs, sent to
 *    0x60 by the old kernel, arrive: they wait in the kernel's
 *    __secondary_hold loop until the new kernel releases them.  Keep that
 *    code (a trampoline built with PURGKIT_LINK_RO has it at 0), and never
 *    release the secondaries yourself.
 *  - Give them time to get there before the kernel starts: the built-in
 *    trampoline waits (pk_ppc64_delay) as this one does.
 *  - Tell the kernel which CPU is the primary: boot_cpuid_phys in the
 *    tree's header (pk_fdt_set_boot_cpuid, pk_ppc64_boot_cpu).
 *  - Enter the kernel in real mode, 64-bit, external interrupts off, in
 *    its own byte order (pk_kernel_le), with r3 = the tree, r4 = where the
 *    kernel was loaded, r5 = 0 (pk_ppc64_enter does the mode switch).
 *  - On the crash path (-p), back the first memory up first when the
 *    loader asks (pk_crash_backup): the capture kernel overwrites it.
 *
 * The patchable data have the built-in trampoline's names and sizes
 * (purgkit/trampolines.h), so the loader fills them.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_dtb) = 0;
PK_PATCH_DEFINE(pk_kernel_le) = 0;
PK_PATCH_DEFINE(pk_crash_backup) = 0;

/* Time for the secondaries to reach the kernel's hold loop. */
#define SECONDARY_SETTLE_LOOPS 0x100000

/* Add up the RAM no segment of this kexec lies in. */
static uint64_t free_ram(void)
{
	const struct pk_memory_range *r;
	uint32_t step, n = pk_memory_map(&r, &step);
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < n; i++, r = pk_memory_next(r, step))
		if (r->type == PK_MEMORY_RAM)
			bytes += r->size;
	return bytes;
}

static int count_range(void *ctx, uint64_t base, uint64_t size)
{
	(void)base;
	(void)size;
	(*(int *)ctx)++;
	return 0;
}

void pk_trampoline_main(void)
{
	struct pk_ppc64_regs regs = { { 0 }, 0, 0 };
	void *tree = (void *)(uintptr_t)pk_linux_dtb;
	struct pk_fdt t;
	const char *bootargs;
	uint32_t len;
	int chosen, memory = 0;

	if (!pk_linux_entry || pk_fdt_open(&t, tree, PK_FDT_ANY_SIZE))
		pk_panic("my-linux: no kernel or no device tree patched in");
	chosen = pk_fdt_path(&t, "/chosen");
	bootargs = pk_fdt_prop(&t, chosen, "bootargs", &len);
	pk_fdt_for_each_memory(&t, count_range, &memory);
	pk_printf("my-linux: bootargs \"%.*s\"\n", bootargs ? (int)len : 0,
		  bootargs ? bootargs : "");
	pk_printf("my-linux: %d memory range(s) in the tree, %llu MiB of RAM "
		  "free\n", memory, (unsigned long long)(free_ram() >> 20));

	if (pk_fdt_set_boot_cpuid(tree, (uint32_t)pk_ppc64_boot_cpu))
		pk_panic("my-linux: cannot set boot_cpuid_phys");
	if (pk_crash_backup)
		pk_ppc64_read_low_memory((void *)(uintptr_t)pk_crash_backup,
					 PK_PPC64_CRASH_BACKUP_SIZE);
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
	pk_printf("my-linux: entering the kernel at 0x%llx on cpu %llu\n",
		  (unsigned long long)pk_linux_entry,
		  (unsigned long long)pk_ppc64_boot_cpu);
	pk_ppc64_enter(&regs);
}
