/* SPDX-License-Identifier: MIT */
/*
 * Your own trampoline in the crash path: it runs when the kernel panics,
 * between the dead kernel and the capture kernel that will save its memory.
 *
 *   purgkit-load -p -l vmlinuz --initrd=initrd.img \
 *	--append="console=ttyS0 irqpoll nr_cpus=1 reset_devices" \
 *	--purgatory=crash-log.ro
 *
 * When pk_trampoline_main is called the runtime has already checked the
 * SHA-256 of every capture segment (on a mismatch it says which region
 * changed and halts, so this code never runs on a corrupted capture
 * kernel).  This one logs, on the console the loader chose (--console:
 * serial by default, or memlog for a ring the capture kernel can read),
 * what it is about to start and where the dump's ELF core header is, then
 * enters the capture kernel by the 64-bit Linux boot protocol, as the
 * built-in "linux" trampoline does.  The other CPUs are stopped: the
 * panicking kernel parked them before it jumped here.
 *
 * The loader fills pk_linux_entry, pk_linux_boot_params and
 * pk_linux_entry_mode because they are the built-in linux trampoline's
 * patchable data (purgkit/trampolines.h); -p always picks the 64- or
 * 32-bit entry, and this example does the 64-bit one.
 */
#include <purgkit/purgkit.h>
#include <purgkit/proto/linux_x86.h>
#include <purgkit/trampolines.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_boot_params) = 0;
PK_PATCH_DEFINE(pk_linux_entry_mode) = 64;

/* The value of "KEY=" in the command line, up to the next space. */
static const char *crash_log_find(const char *cmdline, const char *key,
				  size_t *length)
{
	size_t key_length = strlen(key);

	for (const char *p = cmdline; *p; p++) {
		if ((p == cmdline || p[-1] == ' ') &&
		    !strncmp(p, key, key_length)) {
			p += key_length;
			for (*length = 0; p[*length] && p[*length] != ' ';)
				(*length)++;
			return p;
		}
	}
	return NULL;
}

void pk_trampoline_main(void)
{
	const struct pk_linux_boot_params *bp =
		(const void *)(uintptr_t)pk_linux_boot_params;
	uint64_t cmdline_address = bp->hdr.cmd_line_ptr |
				   (uint64_t)bp->ext_cmd_line_ptr << 32;
	const char *cmdline = (const char *)(uintptr_t)cmdline_address;
	struct pk_x86_64_regs regs = { 0 };
	const char *header;
	size_t length = 0;

	if (pk_linux_entry_mode != 64)
		pk_panic("crash-log: entry mode %u: this example does the "
			 "64-bit entry only", pk_linux_entry_mode);
	header = crash_log_find(cmdline, "elfcorehdr=", &length);
	pk_printf("crash-log: the old kernel panicked; capture kernel at "
		  "0x%llx, %u e820 ranges, elfcorehdr=%.*s\n",
		  (unsigned long long)pk_linux_entry, bp->e820_entries,
		  header ? (int)length : 6, header ? header : "(none)");

	regs.rsi = pk_linux_boot_params;
	regs.rip = pk_linux_entry;
	pk_x86_64_enter_long64(&regs);
}
