/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 row of the architecture table (arch.h): what generic code
 * knows of riscv64 (docs/contract-riscv64.md), and its hooks.  Payload
 * types: raw and elf (raw.c), linux (linux.c), each with the device tree
 * kexec requires (devtree.c).  The running system's memory map is
 * /proc/iomem less the tree's reserved memory (memmap.c); the crash path
 * is crash.c's.
 */
#include <elf.h>
#include <string.h>

#include "arch.h"
#include "kexec_file.h"
#include "plan.h"
#include "riscv64/riscv64.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
/* From <linux/kexec.h>, spelled here so any libc's headers will do. */
#define KEXEC_ARCH_RISCV	(243 << 16)

/* With satp = 0 the trampoline reaches all of memory. */
static uint64_t riscv64_memlog_ceiling(const struct pk_plan *plan)
{
	return 0;
}

/*
 * The kernel's kexec_file loaders on riscv64: an ELF vmlinux
 * (arch/riscv/kernel/elf_kexec.c, since 5.19), and on kernels that have
 * arch/riscv/kernel/kexec_image.c an Image too; which one this kernel
 * has, only its answer says (an older one answers ENOEXEC).
 */
static int riscv64_kexec_file_check(const struct pk_arch *arch,
				    const uint8_t *data, size_t size,
				    char *why, size_t why_size)
{
	if (size >= 64 && !memcmp(data + 56, "RSC\x05", 4))
		return 0;
	return pk_kexec_file_check_elf(arch, data, size, why, why_size);
}

static const struct pk_kexec_file_arch pk_riscv64_kexec_file = {
	.image = "an uncompressed ELF vmlinux (ET_EXEC, EM_RISCV), or an "
		 "Image where the kernel has kexec_file's Image loader",
	.check = riscv64_kexec_file_check,
};

static const struct pk_arch pk_riscv64_arch = {
	.name = "riscv64",
	.machine = PK_RELOC_RISCV64,
	.elf_machine = EM_RISCV,
	.kexec_flags = KEXEC_ARCH_RISCV,
	.page_size = 4096,
	.big_endian = false,
	.default_console = PK_CONSOLE_SBI,
#if defined(__riscv) && __riscv_xlen == 64
	.is_host = true,
#endif
	/* /proc/iomem less the tree's reserved memory (memmap.c). */
	.read_system_memmap = pk_riscv64_system_memmap,
	.memlog_ceiling = riscv64_memlog_ceiling,
	.kexec_file = &pk_riscv64_kexec_file,
	.crash = &pk_riscv64_crash_arch,
};
PK_ARCH(pk_riscv64_arch);
