/* SPDX-License-Identifier: MIT */
/* Constants shared by the x86_64 assembly and C of the runtime. */
#ifndef PURGKIT_ARCH_X86_64_ASM_H
#define PURGKIT_ARCH_X86_64_ASM_H

#define PK_X86_SEL_CODE32 0x08
#define PK_X86_SEL_CODE64 0x10
#define PK_X86_SEL_DATA 0x18
#define PK_X86_SEL_CODE16 0x20
#define PK_X86_SEL_DATA16 0x28

/*
 * Flags of the real-mode hand-off (pk_x86_64_enter_real16).
 * BIOS_IRQ: give the firmware back the interrupt state it set up at
 * boot before entering real mode (sdk/lib/x86_64/bios_irq.S says what,
 * docs/contract-x86_64.md why).
 */
#define PK_X86_REAL16_BIOS_IRQ 0x1

/*
 * What PK_X86_REAL16_BIOS_IRQ gives back, as SeaBIOS leaves it (measured
 * under QEMU: `info pic`): the 8259s' vector bases every PC BIOS uses,
 * and interrupt masks (1 = masked) that open the lines a BIOS has
 * handlers for.  Master: IRQ 0 timer, 1 keyboard, 2 cascade, 6 floppy;
 * slave: IRQ 8 RTC, 12 PS/2 mouse, 13 FPU error, 14 primary ATA.
 */
#define PK_X86_BIOS_IRQ0_VECTOR 0x08
#define PK_X86_BIOS_IRQ8_VECTOR 0x70
#define PK_X86_BIOS_PIC_MASTER_MASK 0xb8
#define PK_X86_BIOS_PIC_SLAVE_MASK 0x8e

/* The runtime's stack, in the trampoline's .bss. */
#define PK_X86_64_STACK_SIZE 16384

/* Exception stubs are this many bytes apart (see exception_entry.S). */
#define PK_X86_64_EXCEPTION_STUB_SIZE 16

#endif /* PURGKIT_ARCH_X86_64_ASM_H */
