/* SPDX-License-Identifier: MIT */
/*
 * The ppc64 trampolines' patchable data (trampolines/ppc64/, for ppc64le
 * and big-endian ppc64 alike): the contract between each of them and the
 * loader that fills it in (loader/ppc64/).  The list is X(name, element
 * type, array bound, trampolines that define it as "ppc64/NAME ..."), as
 * described in purgkit/trampolines.h, which combines every
 * architecture's list for host code; a trampoline includes only its own
 * architecture's.
 *
 * "linux": r3 = device tree, r4 = kernel address, r5 = 0; r8/r9 =
 *	OPAL base/entry when pk_opal_base is non-zero.  Bytes 0x0c..0x100 of
 *	the trampoline are the kernel's own, copied in by the loader after
 *	patching (so secondaries wait in the new kernel's hold loop at 0x60);
 *	only the first PK_PPC64_ENTRY_KEEP (0x0c) bytes, the endian-neutral
 *	branch to the primary's code, stay the trampoline's.  Under -p, the
 *	first PK_PPC64_CRASH_BACKUP_SIZE bytes of memory are first copied to
 *	pk_crash_backup.
 * "raw": primary registers from pk_ppc64_regs; held secondaries are
 *	released to pk_secondary_entry with r3 = their CPU.
 */
#ifndef PURGKIT_ARCH_PPC64_TRAMPOLINES_H
#define PURGKIT_ARCH_PPC64_TRAMPOLINES_H

#include <purgkit/patch.h>
#include <purgkit/regs.h>
#include <purgkit/arch/ppc64/lowmem.h>

#define PK_PPC64_TRAMPOLINE_SYMBOLS(X)					\
	/* the kernel's address; x86_64 "linux" has it too, of the same	\
	 * type */							\
	X(pk_linux_entry,	uint64_t,	, "ppc64/linux")	\
	X(pk_linux_dtb,		uint64_t,	, "ppc64/linux")	\
	/* -p: where the first PK_PPC64_CRASH_BACKUP_SIZE bytes of	\
	 * memory are copied before the capture kernel starts; 0 = not	\
	 * a crash load */						\
	X(pk_crash_backup,	uint64_t,	, "ppc64/linux")	\
	/* 1 = the kernel is little-endian */				\
	X(pk_kernel_le,		uint64_t,	, "ppc64/linux")	\
	X(pk_ppc64_regs,	struct pk_ppc64_regs, , "ppc64/raw")	\
	/* 0 = keep the secondaries held */				\
	X(pk_secondary_entry,	uint64_t,	, "ppc64/raw")		\
	/* 1 (default) = r3 is the primary's CPU number at run time,	\
	 * overriding pk_ppc64_regs.gpr[3]; 0 = gpr[3] as patched */	\
	X(pk_ppc64_cpu_in_r3,	uint32_t,	, "ppc64/raw")		\
	/* segments staged above the kernel's end, copied home after the \
	 * check (purgkit/arch/ppc64/lowmem.h) */			\
	X(pk_ppc64_place_table,	struct pk_ppc64_place_table, , "ppc64/raw")

PK_PPC64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_TYPEDEF)
#ifndef PK_HOST
PK_PPC64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_EXTERN)
#endif

#endif /* PURGKIT_ARCH_PPC64_TRAMPOLINES_H */
