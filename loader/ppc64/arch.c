/* SPDX-License-Identifier: MIT */
/*
 * The ppc64 rows of the architecture table (arch.h): little-endian
 * (ppc64le) and big-endian (ppc64), one kexec architecture, the same
 * hooks.
 */
#include <elf.h>

#include "ppc64/ppc64.h"

/* From <linux/kexec.h>, spelled here so any libc's headers will do. */
#define KEXEC_ARCH_PPC64	(21 << 16)

/* Where the trampoline writes: in the real-mode area (not in memory above
 * it, a DIMM's). */
static uint64_t ppc64_memlog_ceiling(const struct pk_plan *plan)
{
	return pk_ppc64_rma_top(plan);
}

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
};
PK_ARCH_ROWS(ppc64, &pk_ppc64le_arch, &pk_ppc64_arch);
