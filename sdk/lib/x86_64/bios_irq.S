/* SPDX-License-Identifier: MIT */
/*
 * The interrupt state a PC BIOS leaves before it boots, given back to it
 * before a real-mode payload runs (PK_X86_REAL16_BIOS_IRQ, called by
 * pk_x86_64_jump_real16 in handoff.S).
 *
 * Linux's shutdown for kexec masks every line of both 8259s and leaves
 * them at its own vectors (0x30 and 0x38: i8259A_shutdown after
 * init_8259A), stops the PIT's channel 0 in one-shot mode, and puts the
 * local APIC in virtual wire mode (disconnect_bsp_APIC).  A BIOS's timer,
 * keyboard and floppy services wait for IRQ 0, 1 or 6 through its own
 * handlers at IVT vectors 0x08-0x0f and 0x70-0x77, so they wait for ever.
 * This puts back what SeaBIOS sets up (src/hw/pic.c pic_setup and the
 * enable_hwirq calls, src/fw/smp.c) and the PC/AT BIOS's timer (mode 3;
 * SeaBIOS's pit_setup uses mode 2, at the same rate), which is also the
 * MP specification's virtual wire mode.  docs/contract-x86_64.md gives
 * the reasons for each value.
 *
 * The IOAPIC is left alone: a BIOS boots with every redirection entry
 * masked (or one ExtINT pin), and Linux's shutdown (clear_IO_APIC, then
 * native_restore_boot_irq_mode) already puts it back as the firmware had
 * it; the contract page says what that means for LINT0.
 *
 * Entry: 32-bit protected mode, paging off, flat DS and SS, IF = 0, a
 * stack.  Exit: the same; EAX, ECX and EDX clobbered, EBX kept.  Nothing
 * here enables interrupts: the first timer tick waits in the 8259 until
 * the payload executes STI.
 */
#include <purgkit/arch/x86_64/asm.h>

#define CPUID_FEATURES		1
#define CPUID_EDX_APIC		(1 << 9)	/* clear: no APIC, or disabled */
#define MSR_APIC_BASE		0x1b
#define APIC_BASE_X2APIC	(1 << 10)	/* EXTD: x2APIC mode (MSRs) */
#define APIC_BASE_ENABLE	(1 << 11)	/* EN: clear = no APIC at all */
#define APIC_BASE_ADDRESS	0xfffff000

/* xAPIC register offsets; the x2APIC MSR of each is 0x800 + offset / 16. */
#define APIC_SVR		0x0f0
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define X2APIC_MSR(offset)	(0x800 + (offset) / 16)

/*
 * Software-enabled, spurious vector 0xff as SeaBIOS leaves it: that IVT
 * entry is the BIOS's bare IRET.  (Linux's 0x0f would land in the BIOS's
 * IRQ 7 handler, whose EOI could end an 8259 interrupt still in service.)
 */
#define APIC_SVR_VECTOR		0xff
#define APIC_SVR_ENABLE		0x100
#define LVT_MASKED		0x10000
#define LVT_LEVEL		0x8000	/* ExtINT is level-sensitive (SDM 3A 11.5.1) */
#define LVT_EXTINT		0x700
#define LVT_NMI			0x400	/* NMI is always edge-sensitive */
/* LINT0 passes the 8259's INTR on (virtual wire), LINT1 is NMI. */
#define LVT_LINT0_VIRTUAL_WIRE	(LVT_EXTINT | LVT_LEVEL)
#define LVT_LINT1_NMI		LVT_NMI

#define PIC_MASTER_COMMAND	0x20
#define PIC_MASTER_DATA		0x21
#define PIC_SLAVE_COMMAND	0xa0
#define PIC_SLAVE_DATA		0xa1
#define PIC_ICW1_INIT_ICW4	0x11	/* edge, cascade, ICW4 follows */
#define PIC_ICW3_MASTER		0x04	/* the slave is on IR2 */
#define PIC_ICW3_SLAVE		0x02	/* its cascade identity */
#define PIC_ICW4_8086		0x01	/* 8086 mode, normal EOI */
#define POST_PORT		0x80	/* a write here is a short I/O delay */

#define PIT_CHANNEL0		0x40
#define PIT_MODE		0x43
/* Channel 0, low then high byte, mode 3 (square wave), binary. */
#define PIT_CHANNEL0_SQUARE	0x36

/* Write an 8259 or 8254 register, then give old parts time to settle. */
.macro port_write port, value
	movb	$\value, %al
	outb	%al, $\port
	outb	%al, $POST_PORT
.endm

/* wrmsr of an x2APIC register: EDX:EAX = value (32 bits). */
.macro x2apic_write offset, value
	movl	$X2APIC_MSR(\offset), %ecx
	movl	$\value, %eax
	xorl	%edx, %edx
	wrmsr
.endm

	.section .text.pk_bios_irq, "ax", @progbits
	.code32
	.globl pk_x86_32_bios_irq_restore
	.type pk_x86_32_bios_irq_restore, @function
pk_x86_32_bios_irq_restore:
	/*
	 * Local APIC: software-enabled (its LVT masks cannot be cleared
	 * otherwise) with spurious vector 0xff, LINT0 as ExtINT, LINT1 as
	 * NMI, its timer and error interrupts masked.  A globally disabled APIC (EN clear; CPUID then
	 * says no APIC) passes the INTR pin straight to the core: nothing to
	 * do.  CPUID first, so a CPU without the APIC MSR is never asked.
	 */
	pushl	%ebx
	movl	$CPUID_FEATURES, %eax
	cpuid
	popl	%ebx
	testl	$CPUID_EDX_APIC, %edx
	jz	.Lpic
	movl	$MSR_APIC_BASE, %ecx
	rdmsr
	testl	$APIC_BASE_ENABLE, %eax
	jz	.Lpic
	testl	$APIC_BASE_X2APIC, %eax
	jnz	.Lx2apic
	testl	%edx, %edx		/* registers above 4 GiB: out of reach */
	jnz	.Lpic
	andl	$APIC_BASE_ADDRESS, %eax
	movl	APIC_SVR(%eax), %ecx
	orl	$(APIC_SVR_ENABLE | APIC_SVR_VECTOR), %ecx
	movl	%ecx, APIC_SVR(%eax)
	movl	$LVT_MASKED, APIC_LVT_TIMER(%eax)
	movl	$LVT_MASKED, APIC_LVT_ERROR(%eax)
	movl	$LVT_LINT0_VIRTUAL_WIRE, APIC_LVT_LINT0(%eax)
	movl	$LVT_LINT1_NMI, APIC_LVT_LINT1(%eax)
	jmp	.Lpic

.Lx2apic:
	movl	$X2APIC_MSR(APIC_SVR), %ecx
	rdmsr
	orl	$(APIC_SVR_ENABLE | APIC_SVR_VECTOR), %eax
	wrmsr
	x2apic_write APIC_LVT_TIMER, LVT_MASKED
	x2apic_write APIC_LVT_ERROR, LVT_MASKED
	x2apic_write APIC_LVT_LINT0, LVT_LINT0_VIRTUAL_WIRE
	x2apic_write APIC_LVT_LINT1, LVT_LINT1_NMI

	/*
	 * Both 8259s initialised again (which also clears any request the
	 * old kernel left in service), at the BIOS's vector bases, then the
	 * BIOS's masks (PK_X86_BIOS_PIC_MASTER_MASK and _SLAVE_MASK).
	 */
.Lpic:
	port_write PIC_MASTER_COMMAND, PIC_ICW1_INIT_ICW4
	port_write PIC_SLAVE_COMMAND, PIC_ICW1_INIT_ICW4
	port_write PIC_MASTER_DATA, PK_X86_BIOS_IRQ0_VECTOR
	port_write PIC_SLAVE_DATA, PK_X86_BIOS_IRQ8_VECTOR
	port_write PIC_MASTER_DATA, PIC_ICW3_MASTER
	port_write PIC_SLAVE_DATA, PIC_ICW3_SLAVE
	port_write PIC_MASTER_DATA, PIC_ICW4_8086
	port_write PIC_SLAVE_DATA, PIC_ICW4_8086
	port_write PIC_MASTER_DATA, PK_X86_BIOS_PIC_MASTER_MASK
	port_write PIC_SLAVE_DATA, PK_X86_BIOS_PIC_SLAVE_MASK

	/* PIT channel 0: divisor 0 (65536), 18.2 Hz, the BIOS tick. */
	port_write PIT_MODE, PIT_CHANNEL0_SQUARE
	port_write PIT_CHANNEL0, 0
	port_write PIT_CHANNEL0, 0
	ret
	.size pk_x86_32_bios_irq_restore, . - pk_x86_32_bios_irq_restore
	.code64

	.section .note.GNU-stack, "", @progbits
