/* SPDX-License-Identifier: MIT */
/*
 * x86_64 kexec entry: the first code after reboot(LINUX_REBOOT_CMD_KEXEC).
 *
 * Entry state (what the old kernel's relocate_kernel leaves us):
 *   64-bit long mode, paging on with an identity map of RAM and of every
 *   segment, interrupts off; GDT, IDT and stack still point into the old
 *   kernel's memory, which the new image may already have overwritten.
 *   No register carries an argument.
 * Exit state (into pk_runtime_main, which never returns):
 *   our own GDT (selectors in purgkit/arch/x86_64/cpu.h) with CS = CODE64
 *   and DS/ES/SS/FS/GS = DATA, our own IDT (every exception prints and
 *   halts), RSP at the top of our own 16 KiB stack, DF clear, IF clear.
 * Position-independent: only RIP-relative references, so the code runs
 * wherever the relocator placed it.
 */
#include <purgkit/arch/x86_64/asm.h>

	.section .text.pk_entry, "ax", @progbits
	.globl pk_entry
	.type pk_entry, @function
pk_entry:
	cli
	cld
	leaq	pk_stack_top(%rip), %rsp

	/* The GDT pointer's base is an absolute address: fill it in here
	 * rather than by relocation, so the entry has no absolute fixups. */
	leaq	pk_x86_64_gdt(%rip), %rax
	movq	%rax, pk_x86_64_gdt_pointer + 2(%rip)
	lgdt	pk_x86_64_gdt_pointer(%rip)

	/* Reload CS with a far return, then the data segments. */
	pushq	$PK_X86_SEL_CODE64
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq
1:	movl	$PK_X86_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	call	pk_x86_64_install_exception_handlers
	call	pk_runtime_main
	/* pk_runtime_main does not return; if it ever did, stop here. */
2:	hlt
	jmp	2b
	.size pk_entry, . - pk_entry

/*
 * The runtime's GDT.  Flat 4 GiB segments except CODE16/DATA16, whose
 * base the real-mode hand-off sets to its low stub.
 */
	.section .data.pk_gdt, "aw", @progbits
	.balign 16
	.globl pk_x86_64_gdt
pk_x86_64_gdt:
	.quad	0			/* 0x00 null */
	.quad	0x00cf9a000000ffff	/* 0x08 CODE32: 32-bit, 4 GiB, r/x */
	.quad	0x00af9a000000ffff	/* 0x10 CODE64: long mode, r/x */
	.quad	0x00cf92000000ffff	/* 0x18 DATA: 4 GiB, r/w */
	.quad	0x00009a000000ffff	/* 0x20 CODE16: 64 KiB, r/x */
	.quad	0x000092000000ffff	/* 0x28 DATA16: 64 KiB, r/w */
pk_x86_64_gdt_end:
	.size pk_x86_64_gdt, . - pk_x86_64_gdt

	.balign 16
	.globl pk_x86_64_gdt_pointer
pk_x86_64_gdt_pointer:
	.word	pk_x86_64_gdt_end - pk_x86_64_gdt - 1
	.quad	0			/* base, set by pk_entry */
	.size pk_x86_64_gdt_pointer, . - pk_x86_64_gdt_pointer

/* The runtime's stack: in .bss, so it costs no bytes in the image. */
	.section .bss.pk_stack, "aw", @nobits
	.balign 16
pk_stack_bottom:
	.skip	PK_X86_64_STACK_SIZE
	.globl pk_stack_top
pk_stack_top:

	.section .note.GNU-stack, "", @progbits
