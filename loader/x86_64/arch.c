/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 row of the architecture table (arch.h): what generic code
 * knows of x86_64, and the hooks through which it reaches x86_64 code.
 */
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <purgkit/proto/linux_x86.h>

#include "x86_64/x86_64.h"

/* From <linux/kexec.h>, spelled here so any libc's headers will do. */
#define KEXEC_ARCH_X86_64	(62 << 16)

static int x86_64_read_system_memmap(struct pk_memmap *map)
{
	return pk_memmap_read_sysfs(map, "/sys/firmware/memmap");
}

/* The trampoline writes its log with paging as its 32- and 16-bit
 * hand-offs leave it: below 4 GiB. */
static uint64_t x86_64_memlog_ceiling(const struct pk_plan *plan)
{
	return PK_X86_4G;
}

/* A setup-header field of the file, little-endian whatever the host. */
#define X86_HDR(data, field)						\
	pk_load_uint((data) + PK_LINUX_SETUP_HEADER_OFFSET +		\
		     offsetof(struct pk_linux_setup_header, field),	\
		     sizeof(((struct pk_linux_setup_header *)0)->field), false)

/* What the kernel's bzImage64 kexec_file loader probes, in its order. */
static int x86_64_kexec_file_check(const struct pk_arch *arch,
				   const uint8_t *data, size_t size,
				   char *why, size_t why_size)
{
	uint32_t version, xloadflags;

	(void)arch;
	if (size < 2 * PK_LINUX_SECTOR) {
		snprintf(why, why_size, "%zu bytes, shorter than a bzImage's "
			 "boot sector and setup header", size);
		return -1;
	}
	if (memcmp(data + PK_LINUX_SETUP_HEADER_OFFSET +
		   offsetof(struct pk_linux_setup_header, header),
		   PK_LINUX_HEADER_MAGIC, 4)) {
		snprintf(why, why_size, "not a bzImage (no \"HdrS\" setup "
			 "header at 0x202)");
		return -1;
	}
	if (X86_HDR(data, boot_flag) != PK_LINUX_BOOT_FLAG) {
		snprintf(why, why_size, "no boot sector flag 0xaa55 at 0x1fe");
		return -1;
	}
	version = X86_HDR(data, version);
	if (version < 0x020c) {
		snprintf(why, why_size, "boot protocol %u.%02u, older than the "
			 "2.12 the kernel's loader needs", version >> 8,
			 version & 0xff);
		return -1;
	}
	if (!(X86_HDR(data, loadflags) & PK_LINUX_LOADED_HIGH)) {
		snprintf(why, why_size, "a zImage (loadflags without "
			 "LOADED_HIGH)");
		return -1;
	}
	xloadflags = X86_HDR(data, xloadflags);
	if (!(xloadflags & PK_LINUX_XLF_KERNEL_64) ||
	    !(xloadflags & PK_LINUX_XLF_CAN_BE_LOADED_ABOVE_4G)) {
		snprintf(why, why_size, "xloadflags 0x%x lack %s", xloadflags,
			 !(xloadflags & PK_LINUX_XLF_KERNEL_64) ?
				 "XLF_KERNEL_64 (a 64-bit entry)" :
				 "XLF_CAN_BE_LOADED_ABOVE_4G");
		return -1;
	}
	return 0;
}

static const struct pk_kexec_file_arch pk_x86_64_kexec_file = {
	.image = "a bzImage of boot protocol 2.12 or later with a 64-bit "
		 "entry, loadable above 4 GiB (arch/x86/kernel/"
		 "kexec-bzimage64.c)",
	.check = x86_64_kexec_file_check,
};

static const struct pk_arch pk_x86_64_arch = {
	.name = "x86_64",
	.machine = PK_RELOC_X86_64,
	.elf_machine = EM_X86_64,
	.kexec_flags = KEXEC_ARCH_X86_64,
	.page_size = 4096,
	.big_endian = false,
	.default_console = PK_CONSOLE_SERIAL,
#if defined(__x86_64__)
	.is_host = true,
#endif
	.read_system_memmap = x86_64_read_system_memmap,
	.memlog_ceiling = x86_64_memlog_ceiling,
	.crash = &pk_x86_64_crash_arch,
	.kexec_file = &pk_x86_64_kexec_file,
};
PK_ARCH(pk_x86_64_arch);
