/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 row of the architecture table (arch.h): what generic code
 * knows of x86_64, and the hooks through which it reaches x86_64 code.
 */
#include <elf.h>

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
};
PK_ARCH(pk_x86_64_arch);
