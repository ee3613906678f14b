/* SPDX-License-Identifier: MIT */
/*
 * x86_64 hand-offs (see purgkit/arch/x86_64/handoff.h for the contracts).
 *
 * All three copy the caller's register structure into the trampoline's
 * own data first, so nothing depends on the caller's stack once the
 * payload's registers start to be loaded.  The last jump is always
 * through memory, so every general register can carry a payload value.
 * The 32- and 16-bit paths address that copy absolutely (R_X86_64_32
 * relocations, resolved by the relocator): legal because the trampoline
 * lies below 4 GiB, as the loader guarantees.
 */
#include <purgkit/arch/x86_64/asm.h>

/* Offsets in struct pk_x86_64_regs, pk_x86_32_regs, pk_x86_16_regs
 * (purgkit/regs.h), generated from the structures at build time. */
#include <generated/pk-asm-offsets.h>

#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CR0_PE 0x1
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define CR4_LA57 0x1000

/* Copy RCX bytes from RSI to RDI (clobbers RCX, RSI, RDI). */
.macro copy_bytes
	cld
	rep movsb
.endm

	.section .text.pk_handoff, "ax", @progbits

/*
 * void pk_x86_64_jump_long64(const struct pk_x86_64_regs *regs)
 * Entry: long mode, any stack.  Exit: long mode, paging unchanged,
 * IF = 0, DF = 0, every GPR from regs, at regs->rip.
 */
	.globl pk_x86_64_jump_long64
	.type pk_x86_64_jump_long64, @function
pk_x86_64_jump_long64:
	cli
	movq	%rdi, %rsi
	leaq	pk_handoff_regs64(%rip), %rdi
	movl	$PK_X86_64_REGS_SIZE, %ecx
	copy_bytes
	leaq	pk_handoff_regs64(%rip), %rax
	movq	PK_X86_64_REGS_RBX(%rax), %rbx
	movq	PK_X86_64_REGS_RCX(%rax), %rcx
	movq	PK_X86_64_REGS_RDX(%rax), %rdx
	movq	PK_X86_64_REGS_RSI(%rax), %rsi
	movq	PK_X86_64_REGS_RDI(%rax), %rdi
	movq	PK_X86_64_REGS_RBP(%rax), %rbp
	movq	PK_X86_64_REGS_RSP(%rax), %rsp
	movq	PK_X86_64_REGS_R8(%rax), %r8
	movq	PK_X86_64_REGS_R9(%rax), %r9
	movq	PK_X86_64_REGS_R10(%rax), %r10
	movq	PK_X86_64_REGS_R11(%rax), %r11
	movq	PK_X86_64_REGS_R12(%rax), %r12
	movq	PK_X86_64_REGS_R13(%rax), %r13
	movq	PK_X86_64_REGS_R14(%rax), %r14
	movq	PK_X86_64_REGS_R15(%rax), %r15
	movq	PK_X86_64_REGS_RAX(%rax), %rax
	jmp	*pk_handoff_regs64 + PK_X86_64_REGS_RIP(%rip)
	.size pk_x86_64_jump_long64, . - pk_x86_64_jump_long64

/*
 * Leave long mode for 32-bit protected mode with paging off, then jump to
 * \target (a .code32 label).  Entry: long mode, IF = 0, running below
 * 4 GiB with an identity map.  Exit: CS = CODE32, DS/ES/FS/GS/SS = DATA,
 * CR0.PG = 0, EFER.LME = 0, CR4.PAE = 0; other registers undefined.
 */
.macro leave_long_mode target
	pushq	$PK_X86_SEL_CODE32
	leaq	\target(%rip), %rax
	pushq	%rax
	lretq			/* now in compatibility mode at \target */
.endm

.macro protected32_setup
	/* Compatibility mode, identity-mapped: turning paging off here
	 * deactivates long mode (SDM 3A, 9.8.5.4). */
	movl	%cr0, %eax
	andl	$~CR0_PG, %eax
	movl	%eax, %cr0
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	wrmsr
	/* LA57 too: the old kernel may have used 5-level paging, and a
	 * payload that enables long-mode paging itself expects 4 levels. */
	movl	%cr4, %eax
	andl	$~(CR4_PAE | CR4_LA57), %eax
	movl	%eax, %cr4
	movl	$PK_X86_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
.endm

/*
 * void pk_x86_64_jump_protected32(const struct pk_x86_32_regs *regs)
 * Exit: 32-bit protected mode, paging off, flat segments, IF = 0,
 * DF = 0, IDTR = base 0 limit 0, every GPR from regs, at regs->eip.
 *
 * The empty IDT: the runtime's IDT holds 16-byte long-mode gates, which
 * protected mode reads as 8-byte gates, so an exception in the payload
 * before it loads its own IDT would run the low half of a 64-bit handler
 * through a 64-bit code selector (a 16-bit segment outside long mode).
 * With limit 0 every exception escalates to a triple fault at once: the
 * machine resets (QEMU -no-reboot ends), which is loud and repeatable.
 */
	.globl pk_x86_64_jump_protected32
	.type pk_x86_64_jump_protected32, @function
pk_x86_64_jump_protected32:
	cli
	movq	%rdi, %rsi
	leaq	pk_handoff_regs32(%rip), %rdi
	movl	$PK_X86_32_REGS_SIZE, %ecx
	copy_bytes
	leave_long_mode 1f
	.code32
1:	protected32_setup
	lidt	pk_handoff_no_idt
	movl	pk_handoff_regs32 + PK_X86_32_REGS_EAX, %eax
	movl	pk_handoff_regs32 + PK_X86_32_REGS_EBX, %ebx
	movl	pk_handoff_regs32 + PK_X86_32_REGS_ECX, %ecx
	movl	pk_handoff_regs32 + PK_X86_32_REGS_EDX, %edx
	movl	pk_handoff_regs32 + PK_X86_32_REGS_ESI, %esi
	movl	pk_handoff_regs32 + PK_X86_32_REGS_EDI, %edi
	movl	pk_handoff_regs32 + PK_X86_32_REGS_EBP, %ebp
	movl	pk_handoff_regs32 + PK_X86_32_REGS_ESP, %esp
	jmp	*pk_handoff_regs32 + PK_X86_32_REGS_EIP
	.code64
	.size pk_x86_64_jump_protected32, . - pk_x86_64_jump_protected32

/*
 * void pk_x86_64_jump_real16(const struct pk_x86_16_regs *regs,
 *                             uint32_t low_stub, uint32_t flags)
 * With PK_X86_REAL16_BIOS_IRQ in flags, the interrupt controllers are
 * given back to the BIOS (bios_irq.S) in 32-bit protected mode, where
 * paging is off and the local APIC's registers are in reach whatever the
 * old kernel's identity map covered.
 * The real-mode switch must run from below 1 MiB, so the stub between
 * pk_real16_stub and pk_real16_stub_end is copied to low_stub, with the
 * register values and both far-jump targets written into the copy.  The
 * CODE16/DATA16 descriptors are rebased at low_stub, so the stub runs at
 * offset 0 of its segment in 16-bit protected mode and in real mode
 * alike.
 */
	.globl pk_x86_64_jump_real16
	.type pk_x86_64_jump_real16, @function
pk_x86_64_jump_real16:
	cli
	movl	%esi, %r8d			/* low_stub */
	movq	%rdi, %r9			/* regs */
	movl	%edx, pk_handoff_real16_flags(%rip)

	/* Copy the stub, then the registers into its data area. */
	movl	%r8d, %edi
	leaq	pk_real16_stub(%rip), %rsi
	movl	$(pk_real16_stub_end - pk_real16_stub), %ecx
	copy_bytes
	leaq	(real16_regs - pk_real16_stub)(%r8), %rdi
	movq	%r9, %rsi
	movl	$PK_X86_16_REGS_SIZE, %ecx
	copy_bytes

	/* Patch the far jumps: into real mode at our own segment, then to
	 * the payload's cs:ip. */
	movl	%r8d, %eax
	shrl	$4, %eax
	movw	%ax, (real16_enter_cs - pk_real16_stub)(%r8)
	movw	PK_X86_16_REGS_IP(%r9), %ax
	movw	%ax, (real16_payload_ip - pk_real16_stub)(%r8)
	movw	PK_X86_16_REGS_CS(%r9), %ax
	movw	%ax, (real16_payload_cs - pk_real16_stub)(%r8)

	/* Rebase CODE16 and DATA16 at low_stub: base bits 0..23 live in
	 * descriptor bytes 2..4, bits 24..31 in byte 7 (always 0 here). */
	leaq	pk_x86_64_gdt(%rip), %rdx
	movl	%r8d, %eax
	movw	%ax, PK_X86_SEL_CODE16 + 2(%rdx)
	movw	%ax, PK_X86_SEL_DATA16 + 2(%rdx)
	shrl	$16, %eax
	movb	%al, PK_X86_SEL_CODE16 + 4(%rdx)
	movb	%al, PK_X86_SEL_DATA16 + 4(%rdx)

	leave_long_mode 1f
	.code32
1:	protected32_setup
	testl	$PK_X86_REAL16_BIOS_IRQ, pk_handoff_real16_flags
	jz	2f
	call	pk_x86_32_bios_irq_restore
2:	ljmp	$PK_X86_SEL_CODE16, $0		/* offset 0 = pk_real16_stub */
	.code64
	.size pk_x86_64_jump_real16, . - pk_x86_64_jump_real16

/*
 * The low stub.  Entry: 16-bit protected mode, CS = CODE16 based at the
 * stub, IF = 0.  Exit: real mode, IDTR = the IVT at 0 (limit 0x3ff),
 * segment registers, GPRs and cs:ip from the copied structure.  Every
 * data reference uses a CS override: CS is the one segment that points
 * at the stub in both modes.
 */
	.section .rodata.pk_real16_stub, "a", @progbits
	.code16
	.globl pk_real16_stub
pk_real16_stub:
	movw	$PK_X86_SEL_DATA16, %ax		/* 64 KiB limits, as in real mode */
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	%cr0, %eax
	andl	$~CR0_PE, %eax
	movl	%eax, %cr0
	.byte	0xea				/* ljmp real16_enter_cs:real16 */
	.word	real16 - pk_real16_stub
real16_enter_cs:
	.word	0
real16:
	lidt	%cs:(real16_ivt - pk_real16_stub)
	movw	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_SS), %ss
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_ESP), %esp
	movw	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_ES), %es
	movw	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_FS), %fs
	movw	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_GS), %gs
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_EAX), %eax
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_EBX), %ebx
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_ECX), %ecx
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_EDX), %edx
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_ESI), %esi
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_EDI), %edi
	movl	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_EBP), %ebp
	movw	%cs:(real16_regs - pk_real16_stub + PK_X86_16_REGS_DS), %ds
	.byte	0xea				/* ljmp payload cs:ip */
real16_payload_ip:
	.word	0
real16_payload_cs:
	.word	0
	.balign 4
real16_ivt:
	.word	0x3ff				/* the real-mode IVT at 0 */
	.long	0
	.balign 4
real16_regs:
	.skip	PK_X86_16_REGS_SIZE
	.globl pk_real16_stub_end
pk_real16_stub_end:
	.code64

	.section .data.pk_handoff, "aw", @progbits
	.balign 16
pk_handoff_regs64:
	.skip	PK_X86_64_REGS_SIZE
	.balign 16
pk_handoff_regs32:
	.skip	PK_X86_32_REGS_SIZE
pk_handoff_real16_flags:
	.long	0
	.balign 8
pk_handoff_no_idt:			/* IDTR image: limit 0, base 0 */
	.word	0
	.long	0

	.section .note.GNU-stack, "", @progbits
