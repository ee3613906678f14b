/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 row of the architecture table (arch.h): what generic code
 * knows of aarch64 (arm64), and the hooks through which it reaches
 * aarch64 code.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include <purgkit/patch.h>

#include "aarch64/aarch64.h"

#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif
/* From <linux/kexec.h>, spelled here so any libc's headers will do. */
#define KEXEC_ARCH_ARM64	(183 << 16)

/* The trampoline writes its log with the MMU off: any RAM will do. */
static uint64_t aarch64_memlog_ceiling(const struct pk_plan *plan)
{
	(void)plan;
	return 0;
}

/* What the kernel's arm64 Image kexec_file loader probes and reads from
 * the 64-byte header (arch/arm64/kernel/kexec_image.c). */
static int aarch64_kexec_file_check(const struct pk_arch *arch,
				    const uint8_t *data, size_t size,
				    char *why, size_t why_size)
{
	(void)arch;
	if (size < 64 || memcmp(data + 56, "ARM\x64", 4)) {
		snprintf(why, why_size, "not an arm64 Image (no \"ARM\\x64\" "
			 "magic at offset 0x38)");
		return -1;
	}
	if (!pk_load_uint(data + 16, 8, false)) {
		snprintf(why, why_size, "an Image without image_size (older "
			 "than Linux 3.17), which the kernel's loader refuses");
		return -1;
	}
	if (pk_load_uint(data + 24, 8, false) & 1) {
		snprintf(why, why_size, "a big-endian Image (flags bit 0) for "
			 "a little-endian kernel");
		return -1;
	}
	return 0;
}

static const struct pk_kexec_file_arch pk_aarch64_kexec_file = {
	.image = "an uncompressed arm64 Image (arch/arm64/kernel/"
		 "kexec_image.c)",
	.check = aarch64_kexec_file_check,
};

static const struct pk_arch pk_aarch64_arch = {
	.name = "aarch64",
	.machine = PK_RELOC_AARCH64,
	.elf_machine = EM_AARCH64,
	.kexec_flags = KEXEC_ARCH_ARM64,
	.page_size = 4096,
	.big_endian = false,
	/* None by default: the linux type finds the tree's stdout-path UART
	 * (plan->found_console); --console=pl011,ADDR names one. */
	.default_console = 0,
#if defined(__aarch64__)
	.is_host = true,
#endif
	.read_system_memmap = pk_iomem_system_memmap,
	.memlog_ceiling = aarch64_memlog_ceiling,
	.crash = &pk_aarch64_crash_arch,
	.kexec_file = &pk_aarch64_kexec_file,
};
PK_ARCH(pk_aarch64_arch);
