/* SPDX-License-Identifier: MIT */
/*
 * Your own trampoline in the ppc64 crash path: it runs when the kernel
 * panics, between the dead kernel and the capture kernel that will save
 * its memory.
 *
 *   purgkit-load -p -l vmlinux --initrd=initrd.img \
 *	--append="console=hvc0 nr_cpus=1 reset_devices" \
 *	--purgatory=crash-log.ro
 *
 * When pk_trampoline_main is called the runtime has already checked the
 * SHA-256 of every capture segment (on a mismatch it says which region
 * changed and halts, so this code never runs on a corrupted capture
 * kernel).  It then does what every ppc64 crash-path trampoline must
 * (docs/contract-ppc64.md, section 9): copy the first
 * PK_PPC64_CRASH_BACKUP_SIZE bytes of memory to pk_crash_backup before the
 * capture kernel's exception vectors overwrite them, since the dump reads
 * them there.  It logs where everything is, and enters the capture kernel
 * as the built-in "linux" trampoline does.  The other CPUs wait at 0x60 in
 * the capture kernel's own hold loop: kexec sent them there.
 *
 * The loader fills pk_linux_entry, pk_linux_dtb, pk_kernel_le and
 * pk_crash_backup because they are the built-in linux trampoline's
 * patchable data (purgkit/trampolines.h); under -p it refuses a trampoline
 * without pk_crash_backup.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_dtb) = 0;
PK_PATCH_DEFINE(pk_kernel_le) = 0;
PK_PATCH_DEFINE(pk_crash_backup) = 0;

/* Time for the other CPUs to reach the kernel's hold loop at 0x60. */
#define SETTLE_LOOPS 0x100000

/*
 * "elfcorehdr=..." in the device tree: bootargs is a NUL-terminated
 * string in its structure block, so a bounded search finds it.
 */
static const char *crash_log_find(const char *blob, uint32_t size,
				  size_t *length)
{
	static const char key[] = "elfcorehdr=";

	for (uint32_t i = 0; i + sizeof(key) - 1 < size; i++) {
		if (memcmp(blob + i, key, sizeof(key) - 1))
			continue;
		*length = strnlen(blob + i, size - i);
		return blob + i;
	}
	return NULL;
}

void pk_trampoline_main(void)
{
	struct pk_ppc64_regs regs = { { 0 }, 0, 0 };
	struct pk_fdt_header header;
	const char *found;
	uintptr_t low = 0;
	size_t length = 0;

	if (!pk_crash_backup)
		pk_panic("crash-log: not a crash load (no pk_crash_backup): "
			 "load with purgkit-load -p");
	if (pk_fdt_set_boot_cpuid((void *)(uintptr_t)pk_linux_dtb,
				  (uint32_t)pk_ppc64_boot_cpu) ||
	    pk_fdt_read_header((const void *)(uintptr_t)pk_linux_dtb,
			       &header))
		pk_panic("crash-log: no device tree at 0x%llx",
			 (unsigned long long)pk_linux_dtb);

	/* Real address 0, hidden from the compiler (a pointer to 0 is
	 * undefined to it). */
	__asm__("" : "+r"(low));
	memcpy((void *)(uintptr_t)pk_crash_backup, (const void *)low,
	       PK_PPC64_CRASH_BACKUP_SIZE);

	found = crash_log_find((const char *)(uintptr_t)pk_linux_dtb,
			       header.totalsize, &length);
	pk_printf("crash-log: the old kernel panicked on cpu %llu; capture "
		  "kernel at 0x%llx, first 0x%x bytes saved at 0x%llx, "
		  "%.*s\n", (unsigned long long)pk_ppc64_boot_cpu,
		  (unsigned long long)pk_linux_entry,
		  PK_PPC64_CRASH_BACKUP_SIZE,
		  (unsigned long long)pk_crash_backup,
		  found ? (int)length : 17,
		  found ? found : "elfcorehdr=(none)");
	pk_ppc64_delay(SETTLE_LOOPS);

	regs.gpr[3] = pk_linux_dtb;
	regs.gpr[4] = pk_linux_entry;
	regs.nia = pk_linux_entry;
	regs.msr_le = pk_kernel_le ? 1 : 0;
	pk_ppc64_enter(&regs);
}
