/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "multiboot2": the i386 machine state of the Multiboot 2
 * specification (section 3.3).
 *
 * Hand-off contract: EAX = 0x36D76289, EBX = physical address of the boot
 * information the loader built (pk_multiboot2_info, 8-byte aligned),
 * EIP = pk_multiboot2_entry; 32-bit protected mode, paging off, flat
 * segments, A20 on, EFLAGS.IF = 0, EFLAGS.VM = 0, IDTR empty (limit 0),
 * ESP = the top of this trampoline's stack (as for Multiboot 1: owed no
 * stack, a kernel may still push before it sets one up), other registers
 * 0.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/x86_64/trampolines.h>
#include <purgkit/proto/multiboot2.h>

PK_PATCH_DEFINE(pk_multiboot2_entry) = 0;
PK_PATCH_DEFINE(pk_multiboot2_info) = 0;

void pk_trampoline_main(void)
{
	struct pk_x86_32_regs regs = { 0 };

	regs.eax = PK_MULTIBOOT2_BOOTLOADER_MAGIC;
	regs.ebx = pk_multiboot2_info;
	regs.eip = pk_multiboot2_entry;
	regs.esp = (uint32_t)(uintptr_t)pk_stack_top;
	pk_printf("purgkit: multiboot2: entering 0x%x in 32-bit protected "
		  "mode, boot information at 0x%x, stack at 0x%x\n", regs.eip,
		  regs.ebx, regs.esp);
	pk_x86_64_enter_protected32(&regs);
}
