/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "multiboot": hand a Multiboot 1 kernel the machine state the
 * Multiboot specification (0.6.96, section 3.2) requires.
 *
 * Hand-off contract:
 *   EAX = 0x2BADB002, EBX = physical address of the multiboot_info the
 *   loader built (pk_multiboot_info), EIP = the kernel's entry
 *   (pk_multiboot_entry); 32-bit protected mode, paging off, CS a flat
 *   4 GiB code segment, DS/ES/FS/GS/SS flat data segments, A20 on,
 *   EFLAGS.IF = 0, EFLAGS.VM = 0; IDTR empty (limit 0); ESP = the top of
 *   this trampoline's stack (the specification leaves ESP undefined, but
 *   kernels that push before setting their own stack exist, and GRUB
 *   gives them one); the other registers 0.  The GDT register still points
 *   into this trampoline: the kernel must load its own GDT before it
 *   reuses this memory, as the specification warns.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/x86_64/trampolines.h>
#include <purgkit/proto/multiboot.h>

PK_PATCH_DEFINE(pk_multiboot_entry) = 0;
PK_PATCH_DEFINE(pk_multiboot_info) = 0;

void pk_trampoline_main(void)
{
	struct pk_x86_32_regs regs = { 0 };

	regs.eax = PK_MULTIBOOT_BOOTLOADER_MAGIC;
	regs.ebx = pk_multiboot_info;
	regs.eip = pk_multiboot_entry;
	regs.esp = (uint32_t)(uintptr_t)pk_stack_top;
	pk_printf("purgkit: multiboot: entering 0x%x in 32-bit protected "
		  "mode, info at 0x%x, stack at 0x%x\n", regs.eip, regs.ebx,
		  regs.esp);
	pk_x86_64_enter_protected32(&regs);
}
