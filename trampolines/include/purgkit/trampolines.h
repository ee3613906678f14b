/* SPDX-License-Identifier: MIT */
/*
 * The ready trampolines' patchable data: the contract between each
 * trampoline in trampolines/<arch>/ and the loader that fills it in.
 * Sizes are exact (the relocator checks them); values are in the
 * target's byte order.  Every trampoline also has the runtime's symbols
 * (purgkit/patch.h: console, verification).
 */
#ifndef PURGKIT_TRAMPOLINES_H
#define PURGKIT_TRAMPOLINES_H

#include <purgkit/patch.h>
#include <purgkit/regs.h>

/*
 * x86_64 "linux": the boot protocol's entry in pk_linux_entry_mode (64, 32
 * or 16); entry and boot_params as trampolines/x86_64/linux.c states for
 * each (16: boot_params is the real-mode setup's base, and the switch
 * runs from PK_SYM_REAL_MODE_STUB).
 */
#define PK_SYM_LINUX_ENTRY	 "pk_linux_entry"	/* uint64_t */
#define PK_SYM_LINUX_BOOT_PARAMS "pk_linux_boot_params"	/* uint64_t */
#define PK_SYM_LINUX_ENTRY_MODE	 "pk_linux_entry_mode"	/* uint32_t */

/* x86_64 "multiboot": EAX = 0x2BADB002, EBX = info, 32-bit protected mode. */
#define PK_SYM_MULTIBOOT_ENTRY	"pk_multiboot_entry"	/* uint32_t */
#define PK_SYM_MULTIBOOT_INFO	"pk_multiboot_info"	/* uint32_t */

/* x86_64 "multiboot2": EAX = 0x36D76289, EBX = boot information. */
#define PK_SYM_MULTIBOOT2_ENTRY	"pk_multiboot2_entry"	/* uint32_t */
#define PK_SYM_MULTIBOOT2_INFO	"pk_multiboot2_info"	/* uint32_t */

/* x86_64 "raw64", "raw32", "raw16": registers from the structure. */
/* PK_SYM_X86_64_REGS, PK_SYM_X86_32_REGS, PK_SYM_X86_16_REGS (regs.h) */
/* raw16 and linux's 16-bit entry also: a free, page-aligned physical
 * page below 1 MiB for the real-mode switch stub. */
#define PK_SYM_REAL_MODE_STUB	"pk_real_mode_stub"	/* uint32_t */

/*
 * ppc64 "linux": r3 = device tree, r4 = kernel address, r5 = 0; r8/r9 =
 * OPAL base/entry when pk_opal_base is non-zero.  Bytes 0x0c..0x100 of
 * the trampoline are the kernel's own, copied in by the loader after
 * patching (so secondaries wait in the new kernel's hold loop at 0x60);
 * only the first PK_PPC64_ENTRY_KEEP (0x0c) bytes, the endian-neutral
 * branch to the primary's code, stay the trampoline's.
 */
/* PK_SYM_LINUX_ENTRY: uint64_t kernel address; and: */
#define PK_SYM_LINUX_DTB	"pk_linux_dtb"		/* uint64_t */
#define PK_SYM_KERNEL_LE	"pk_kernel_le"		/* uint64_t: 1 = LE */

/* ppc64 "raw": primary registers from pk_ppc64_regs (regs.h); held
 * secondaries are released to pk_secondary_entry with r3 = their CPU. */
#define PK_SYM_SECONDARY_ENTRY	"pk_secondary_entry"	/* uint64_t, 0 = keep held */
/* ppc64 "raw": 1 (default) = r3 is the primary's CPU number at run time,
 * overriding pk_ppc64_regs.gpr[3]; 0 = gpr[3] as patched. */
#define PK_SYM_PPC64_CPU_IN_R3	"pk_ppc64_cpu_in_r3"	/* uint32_t */

#endif /* PURGKIT_TRAMPOLINES_H */
