/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 trampolines' patchable data (trampolines/x86_64/): the
 * contract between each of them and the loader that fills it in
 * (loader/x86_64/).  The list is X(name, element type, array bound,
 * trampolines that define it as "x86_64/NAME ..."), as described in
 * purgkit/trampolines.h, which combines every architecture's list for
 * host code; a trampoline includes only its own architecture's.
 *
 * "linux": the boot protocol's entry in pk_linux_entry_mode (64, 32 or
 *	16); entry and boot_params as trampolines/x86_64/linux.c states for
 *	each (16: boot_params is the real-mode setup's base, and the switch
 *	runs from pk_real_mode_stub).
 * "multiboot": EAX = 0x2BADB002, EBX = info, 32-bit protected mode.
 * "multiboot2": EAX = 0x36D76289, EBX = boot information.
 * "raw64", "raw32", "raw16": registers from the structure
 *	(purgkit/regs.h); raw16 also takes a free, page-aligned physical page
 *	below 1 MiB for the real-mode switch stub.
 * raw16 and linux's 16-bit entry restore the interrupt state a BIOS
 *	expects (8259s, PIT, local APIC) unless pk_bios_irq_restore is 0.
 */
#ifndef PURGKIT_ARCH_X86_64_TRAMPOLINES_H
#define PURGKIT_ARCH_X86_64_TRAMPOLINES_H

#include <purgkit/patch.h>
#include <purgkit/regs.h>

#define PK_X86_64_TRAMPOLINE_SYMBOLS(X)					\
	/* the kernel's 64-bit entry (load + 0x200); ppc64 "linux" has	\
	 * it too, of the same type */					\
	X(pk_linux_entry,	uint64_t,	, "x86_64/linux")	\
	X(pk_linux_boot_params,	uint64_t,	, "x86_64/linux")	\
	/* the boot protocol's entry, 64, 32 or 16 (see			\
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
	/* 1: give the BIOS back its interrupt state before real mode	\
	 * (PK_X86_REAL16_BIOS_IRQ, purgkit/arch/x86_64/handoff.h); 0:	\
	 * leave the controllers as the old kernel left them */		\
	X(pk_bios_irq_restore,	uint32_t,	, "x86_64/raw16 x86_64/linux")

PK_X86_64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_TYPEDEF)
#ifndef PK_HOST
PK_X86_64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_EXTERN)
#endif

#endif /* PURGKIT_ARCH_X86_64_TRAMPOLINES_H */
