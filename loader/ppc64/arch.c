/* SPDX-License-Identifier: MIT */
/*
 * The ppc64 rows of the architecture table (arch.h): little-endian
 * (ppc64le) and big-endian (ppc64), one kexec architecture, the same
 * hooks.
 */
#include <elf.h>

#include "kexec_file.h"
#include "ppc64/ppc64.h"

/* From <linux/kexec.h>, spelled here so any libc's headers will do. */
#define KEXEC_ARCH_PPC64	(21 << 16)

/* Where the trampoline writes: in the real-mode area (not in memory above
 * it, a DIMM's). */
static uint64_t ppc64_memlog_ceiling(const struct pk_plan *plan)
{
	return pk_ppc64_rma_top(plan);
}

/* The kernel's ELF kexec_file loader (arch/powerpc/kernel/
 * kexec_elf_64.c, kernel/kexec_elf.c): a vmlinux of its own byte order. */
static int ppc64_kexec_file_check(const struct pk_arch *arch,
				  const uint8_t *data, size_t size, char *why,
				  size_t why_size)
{
	return pk_kexec_file_check_elf(arch, data, size, why, why_size);
}

static const struct pk_kexec_file_arch pk_ppc64_kexec_file = {
	.image = "an uncompressed ELF vmlinux (ET_EXEC, EM_PPC64) of the "
		 "running kernel's byte order (arch/powerpc/kernel/"
		 "kexec_elf_64.c)",
	.check = ppc64_kexec_file_check,
};

static const struct pk_arch pk_ppc64le_arch = {
	.name = "ppc64le",
	.machine = PK_RELOC_PPC64LE,
	.elf_machine = EM_PPC64,
	.kexec_flags = KEXEC_ARCH_PPC64,
	.page_size = 65536,
	.big_endian = false,
	.default_console = PK_CONSOLE_HVTERM,
#if defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	.is_host = true,
#endif
	.read_system_memmap = pk_ppc64_system_memmap,
	.memlog_ceiling = ppc64_memlog_ceiling,
	.crash = &pk_ppc64_crash_arch,
	.kexec_file = &pk_ppc64_kexec_file,
};

static const struct pk_arch pk_ppc64_arch = {
	.name = "ppc64",
	.machine = PK_RELOC_PPC64BE,
	.elf_machine = EM_PPC64,
	.kexec_flags = KEXEC_ARCH_PPC64,
	.page_size = 65536,
	.big_endian = true,
	.default_console = PK_CONSOLE_HVTERM,
#if defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	.is_host = true,
#endif
	.read_system_memmap = pk_ppc64_system_memmap,
	.memlog_ceiling = ppc64_memlog_ceiling,
	.crash = &pk_ppc64_crash_arch,
	.kexec_file = &pk_ppc64_kexec_file,
};
PK_ARCH_ROWS(ppc64, &pk_ppc64le_arch, &pk_ppc64_arch);
