/* SPDX-License-Identifier: MIT */
/*
 * The ready trampolines' patchable data: the contract between each
 * trampoline in trampolines/<arch>/ and the loader that fills it in.
 * Sizes are exact (the relocator checks them); values are in the
 * target's byte order.  Every trampoline also has the runtime's symbols
 * (PK_RUNTIME_PATCH_SYMBOLS in purgkit/patch.h: console, verification).
 *
 * One list, X(name, element type, array bound, trampolines that define
 * it as "ARCH/NAME ..."): a trampoline defines its symbols with
 * PK_PATCH_DEFINE(name), the loader writes them with PK_SYMBOL(name) and
 * values of type pk_patch_type_<name>, and tests/trampolines checks that
 * each built trampoline has exactly the symbols listed for it, at these
 * sizes (build/host/contract.json).
 *
 * x86_64 "linux": the boot protocol's entry in pk_linux_entry_mode (64, 32
 *	or 16); entry and boot_params as trampolines/x86_64/linux.c states for
 *	each (16: boot_params is the real-mode setup's base, and the switch
 *	runs from pk_real_mode_stub).
 * x86_64 "multiboot": EAX = 0x2BADB002, EBX = info, 32-bit protected mode.
 * x86_64 "multiboot2": EAX = 0x36D76289, EBX = boot information.
 * x86_64 "raw64", "raw32", "raw16": registers from the structure
 *	(purgkit/regs.h); raw16 also takes a free, page-aligned physical page
 *	below 1 MiB for the real-mode switch stub.
 * ppc64 "linux": r3 = device tree, r4 = kernel address, r5 = 0; r8/r9 =
 *	OPAL base/entry when pk_opal_base is non-zero.  Bytes 0x0c..0x100 of
 *	the trampoline are the kernel's own, copied in by the loader after
 *	patching (so secondaries wait in the new kernel's hold loop at 0x60);
 *	only the first PK_PPC64_ENTRY_KEEP (0x0c) bytes, the endian-neutral
 *	branch to the primary's code, stay the trampoline's.  Under -p, the
 *	first PK_PPC64_CRASH_BACKUP_SIZE bytes of memory are first copied to
 *	pk_crash_backup.
 * ppc64 "raw": primary registers from pk_ppc64_regs; held secondaries are
 *	released to pk_secondary_entry with r3 = their CPU.
 */
#ifndef PURGKIT_TRAMPOLINES_H
#define PURGKIT_TRAMPOLINES_H

#include <purgkit/patch.h>
#include <purgkit/regs.h>
#include <purgkit/arch/ppc64/lowmem.h>

#define PK_TRAMPOLINE_PATCH_SYMBOLS(X)					\
	/* uint64_t: x86_64 the kernel's 64-bit entry (load + 0x200),	\
	 * ppc64 the kernel's address */				\
	X(pk_linux_entry,	uint64_t,	, "x86_64/linux ppc64/linux") \
	X(pk_linux_boot_params,	uint64_t,	, "x86_64/linux")	\
	/* x86_64 linux: the boot protocol's entry, 64, 32 or 16 (see	\
	 * trampolines/x86_64/linux.c; 16: boot_params is the real-mode	\
	 * setup's base) */						\
	X(pk_linux_entry_mode,	uint32_t,	, "x86_64/linux")	\
	X(pk_multiboot_entry,	uint32_t,	, "x86_64/multiboot")	\
	X(pk_multiboot_info,	uint32_t,	, "x86_64/multiboot")	\
	X(pk_multiboot2_entry,	uint32_t,	, "x86_64/multiboot2")	\
	X(pk_multiboot2_info,	uint32_t,	, "x86_64/multiboot2")	\
	X(pk_x86_64_regs,	struct pk_x86_64_regs, , "x86_64/raw64") \
	X(pk_x86_32_regs,	struct pk_x86_32_regs, , "x86_64/raw32") \
	X(pk_x86_16_regs,	struct pk_x86_16_regs, , "x86_64/raw16") \
	/* physical page below 1 MiB for the real-mode switch stub */	\
	X(pk_real_mode_stub,	uint32_t,	, "x86_64/raw16 x86_64/linux") \
	X(pk_linux_dtb,		uint64_t,	, "ppc64/linux")	\
	/* ppc64 -p: where the first PK_PPC64_CRASH_BACKUP_SIZE bytes	\
	 * of memory are copied before the capture kernel starts; 0 =	\
	 * not a crash load */						\
	X(pk_crash_backup,	uint64_t,	, "ppc64/linux")	\
	/* 1 = the kernel is little-endian */				\
	X(pk_kernel_le,		uint64_t,	, "ppc64/linux")	\
	X(pk_ppc64_regs,	struct pk_ppc64_regs, , "ppc64/raw")	\
	/* 0 = keep the secondaries held */				\
	X(pk_secondary_entry,	uint64_t,	, "ppc64/raw")		\
	/* 1 (default) = r3 is the primary's CPU number at run time,	\
	 * overriding pk_ppc64_regs.gpr[3]; 0 = gpr[3] as patched */	\
	X(pk_ppc64_cpu_in_r3,	uint32_t,	, "ppc64/raw")	\
	/* segments staged above the kernel's end, copied home after the \
	 * check (purgkit/arch/ppc64/lowmem.h) */			\
	X(pk_ppc64_place_table,	struct pk_ppc64_place_table, , "ppc64/raw")

#define PK_TRAMPOLINE_TYPEDEF(name, type, bound, users) \
	PK_PATCH_TYPEDEF(name, type, bound)
#define PK_TRAMPOLINE_EXTERN(name, type, bound, users) \
	PK_PATCH_EXTERN(name, type, bound)

PK_TRAMPOLINE_PATCH_SYMBOLS(PK_TRAMPOLINE_TYPEDEF)
#ifndef PK_HOST
PK_TRAMPOLINE_PATCH_SYMBOLS(PK_TRAMPOLINE_EXTERN)
#endif

/* Names, for code that predates PK_SYMBOL. */
#define PK_SYM_LINUX_ENTRY	 PK_SYMBOL(pk_linux_entry)
#define PK_SYM_LINUX_BOOT_PARAMS PK_SYMBOL(pk_linux_boot_params)
#define PK_SYM_LINUX_ENTRY_MODE	 PK_SYMBOL(pk_linux_entry_mode)
#define PK_SYM_MULTIBOOT_ENTRY	 PK_SYMBOL(pk_multiboot_entry)
#define PK_SYM_MULTIBOOT_INFO	 PK_SYMBOL(pk_multiboot_info)
#define PK_SYM_MULTIBOOT2_ENTRY	 PK_SYMBOL(pk_multiboot2_entry)
#define PK_SYM_MULTIBOOT2_INFO	 PK_SYMBOL(pk_multiboot2_info)
#define PK_SYM_X86_64_REGS	 PK_SYMBOL(pk_x86_64_regs)
#define PK_SYM_X86_32_REGS	 PK_SYMBOL(pk_x86_32_regs)
#define PK_SYM_X86_16_REGS	 PK_SYMBOL(pk_x86_16_regs)
#define PK_SYM_REAL_MODE_STUB	 PK_SYMBOL(pk_real_mode_stub)
#define PK_SYM_LINUX_DTB	 PK_SYMBOL(pk_linux_dtb)
#define PK_SYM_CRASH_BACKUP	 PK_SYMBOL(pk_crash_backup)
#define PK_SYM_KERNEL_LE	 PK_SYMBOL(pk_kernel_le)
#define PK_SYM_PPC64_REGS	 PK_SYMBOL(pk_ppc64_regs)
#define PK_SYM_SECONDARY_ENTRY	 PK_SYMBOL(pk_secondary_entry)
#define PK_SYM_PPC64_CPU_IN_R3	 PK_SYMBOL(pk_ppc64_cpu_in_r3)
#define PK_SYM_PPC64_PLACE_TABLE PK_SYMBOL(pk_ppc64_place_table)

#endif /* PURGKIT_TRAMPOLINES_H */
