/* SPDX-License-Identifier: MIT */
/*
 * Your own trampoline in the riscv64 crash path: it runs when the kernel
 * panics, between the dead kernel and the capture kernel that will save
 * its memory.
 *
 *   purgkit-load -p -l vmlinux --initrd=initrd.img \
 *	--append="console=ttyS0 nr_cpus=1 reset_devices" \
 *	--purgatory=crash-log.ro
 *
 * The panicking kernel enters it through a trap (stvec = the entry, satp
 * = 0) on the hart that panicked, a0 = its hart id, a1 = the device tree;
 * it stopped the other harts in the firmware (SBI HSM).  When
 * pk_trampoline_main is called the runtime has already checked the
 * SHA-256 of every capture segment (on a mismatch it says which region
 * changed and halts, so this code never runs on a corrupted capture
 * kernel).  This one logs where the capture kernel, its device tree and
 * the dump's ELF core header are, and how the trap that brought it here
 * looked (scause, stval), then enters the capture kernel by the
 * RISC-V boot protocol (a0 = the hart id, a1 = the tree), as the built-in
 * "linux" trampoline does.
 *
 * The loader fills pk_linux_entry and pk_linux_dtb because they are the
 * built-in linux trampoline's patchable data (purgkit/trampolines.h).
 */
#include <purgkit/purgkit.h>
#include <purgkit/fdt.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_dtb) = 0;

/*
 * "elfcorehdr=..." in the device tree: bootargs is a NUL-terminated
 * string in its structure block, so a bounded search finds it (the tree's
 * linux,elfcorehdr property says the same).
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
	struct pk_riscv64_regs regs = { { 0 }, 0, 0 };
	struct pk_fdt_header header;
	const char *found;
	size_t length = 0;

	if (pk_fdt_read_header((const void *)(uintptr_t)pk_linux_dtb,
			       &header))
		pk_panic("crash-log: no device tree at 0x%llx",
			 (unsigned long long)pk_linux_dtb);
	found = crash_log_find((const char *)(uintptr_t)pk_linux_dtb,
			       header.totalsize, &length);
	pk_printf("crash-log: the old kernel panicked on hart %llu; capture "
		  "kernel at 0x%llx, device tree at 0x%llx, %.*s\n",
		  (unsigned long long)pk_riscv64_boot_hart,
		  (unsigned long long)pk_linux_entry,
		  (unsigned long long)pk_linux_dtb,
		  found ? (int)length : 17,
		  found ? found : "elfcorehdr=(none)");

	/* The panicking kernel jumped here through a trap (stvec = the
	 * entry, satp = 0): nothing has trapped since, so scause and stval
	 * still say how it came. */
	{
		uint64_t scause, stval;

		__asm__ volatile("csrr %0, scause" : "=r"(scause));
		__asm__ volatile("csrr %0, stval" : "=r"(stval));
		pk_printf("crash-log: entered through a trap: scause %llu, "
			  "stval 0x%llx\n", (unsigned long long)scause,
			  (unsigned long long)stval);
	}

	regs.a[0] = pk_riscv64_boot_hart;
	regs.a[1] = pk_linux_dtb;
	regs.pc = pk_linux_entry;
	pk_riscv64_enter(&regs);
}
