/* SPDX-License-Identifier: MIT */
/*
 * ppc64 kexec entry: the first code after reboot(LINUX_REBOOT_CMD_KEXEC),
 * and the secondary-CPU hold.  Both ABIs, both endiannesses.
 *
 * Entry state (the old kernel's kexec_sequence): real mode, 64-bit,
 * MSR[EE] = 0, MSR[LE] as the OLD kernel ran (maybe not ours).  The first
 * 0x100 bytes at pk_entry have been copied to physical 0.
 *   primary:     at pk_entry, r3 = hardware CPU number, r4 = pk_entry,
 *                r5 = 0.
 *   secondaries: at physical 0x60 (the low copy), r3 = their CPU number.
 * Nothing else: no stack, no TOC.
 *
 * Layout of the first 0x100 bytes (so it must be the start of the image,
 * and linker/ppc64*.lds puts .text.pk_entry first):
 *   0x00  tdi 0,0,0x48 / b primary / byte-swapped b primary: reaches
 *         pk_ppc64_primary in either endianness in PK_PPC64_ENTRY_KEEP
 *         bytes (the ppc64 "linux" trampoline keeps only these).
 *   0x60  the secondaries' entry: fix the endianness, branch to the hold
 *         loop in the placed image (pk_ppc64_secondary_hold).
 *   0xf8  the hold loop's physical address (PK_PPC64_LOW_HOLD in
 *         purgkit/arch/ppc64/lowmem.h).
 */
#include <purgkit/arch/ppc64/asm.h>

	.section .text.pk_entry, "ax", @progbits
	.balign 256
	.globl pk_entry
	.type pk_entry, @function
pk_entry:
	tdi	0, 0, 0x48		/* other endianness: b .+8 */
	b	pk_ppc64_primary	/* our endianness */
	PK_SWAPPED_BRANCH pk_ppc64_primary
	trap				/* nothing comes here */

/*
 * The secondaries' way out of low memory, executed from the copy at
 * physical 0x60.  Entry: r3 = hardware CPU number, real mode, any
 * endianness.  It fixes the endianness, then branches to the hold loop
 * inside the trampoline's placed image, whose address the relocator
 * wrote at PK_PPC64_LOW_HOLD (read with RA = 0: an absolute address
 * below 0x100).  So no CPU waits in the first 0x100 bytes, and a payload
 * placed there (pk_ppc64_place) cannot overwrite a CPU's loop.
 */
	.org	pk_entry + PK_PPC64_SECONDARY_ENTRY
pk_ppc64_secondary_low:
	PK_FIXUP_ENDIAN
	ld	12, PK_PPC64_LOW_HOLD(0)
	mtctr	12
	bctr

	.org	pk_entry + PK_PPC64_LOW_HOLD
	.quad	pk_ppc64_secondary_hold	/* relocated: the placed address */
	.org	pk_entry + PK_PPC64_LOW_SIZE

/*
 * The secondary hold, in the placed image.  Entry: r12 = its own
 * address, r3 = hardware CPU number, our endianness, real mode.
 * Counts itself in pk_ppc64_hold.arrived, waits at low SMT priority
 * until the primary stores a non-zero address in pk_ppc64_hold.release,
 * then leaves for it by rfid with r3 = the CPU number (kept throughout),
 * MSR[LE] = pk_ppc64_hold.release_le, MSR[EE] = MSR[RI] = 0, other
 * registers undefined.
 */
pk_ppc64_secondary_hold:
	or	1, 1, 1			/* low priority while we wait */
	addis	9, 12, (pk_ppc64_hold - pk_ppc64_secondary_hold)@ha
	addi	9, 9, (pk_ppc64_hold - pk_ppc64_secondary_hold)@l
	addi	10, 9, PK_PPC64_HOLD_ARRIVED
1:	lwarx	11, 0, 10		/* count ourselves in */
	addi	11, 11, 1
	stwcx.	11, 0, 10
	bne-	1b
2:	ld	12, PK_PPC64_HOLD_RELEASE(9)
	cmpdi	12, 0
	beq	2b
	isync				/* no later load before the flag */
	or	2, 2, 2			/* medium priority */
	lwz	10, PK_PPC64_HOLD_RELEASE_LE(9)
	mfmsr	11
	rldicr	11, 11, 0, 62		/* MSR[LE] off ... */
	or	11, 11, 10		/* ... then as asked */
	mtsrr0	12
	mtsrr1	11
	rfid

/*
 * The primary, from the image itself (not the low copy).
 * Entry: r3 = CPU number, r4 = entry address, real mode, any endianness.
 * Exit into pk_runtime_main (never returns): our endianness, r1 = top of
 * our own stack with an empty frame, r2 = our TOC, pk_ppc64_boot_cpu and
 * pk_ppc64_entry_address saved, SMT priority medium.
 */
pk_ppc64_primary:
	PK_FIXUP_ENDIAN
	or	2, 2, 2
	mr	14, 3
	mr	15, 4
	bcl	20, 31, 3f
3:	mflr	12
#if defined(_CALL_ELF) && _CALL_ELF == 2
	addis	2, 12, (.TOC. - 3b)@ha
	addi	2, 2, (.TOC. - 3b)@l
#else
	/* ELFv1: our TOC is the second doubleword of any of our descriptors. */
	addis	11, 12, (pk_runtime_main - 3b)@ha
	addi	11, 11, (pk_runtime_main - 3b)@l
	ld	2, 8(11)
#endif
	addis	1, 12, (pk_ppc64_stack_top - 3b)@ha
	addi	1, 1, (pk_ppc64_stack_top - 3b)@l
	li	0, 0
	stdu	0, -PK_PPC64_FRAME(1)
	addis	11, 12, (pk_ppc64_boot_cpu - 3b)@ha
	addi	11, 11, (pk_ppc64_boot_cpu - 3b)@l
	std	14, 0(11)
	addis	11, 12, (pk_ppc64_entry_address - 3b)@ha
	addi	11, 11, (pk_ppc64_entry_address - 3b)@l
	std	15, 0(11)
	bl	pk_ppc64_install_exception_handlers
	nop
	bl	pk_runtime_main
	nop
4:	or	1, 1, 1			/* not reached */
	b	4b
	.size pk_entry, . - pk_entry

	.section .data.pk_entry, "aw", @progbits
	.balign 8
	.globl pk_ppc64_hold
	.type pk_ppc64_hold, @object
pk_ppc64_hold:				/* struct pk_ppc64_hold */
	.quad	0			/* release */
	.long	0			/* arrived */
	.long	0			/* release_le */
	.size pk_ppc64_hold, PK_PPC64_HOLD_SIZE
	.globl pk_ppc64_boot_cpu
	.type pk_ppc64_boot_cpu, @object
pk_ppc64_boot_cpu:
	.quad	0
	.size pk_ppc64_boot_cpu, 8
	.globl pk_ppc64_entry_address
	.type pk_ppc64_entry_address, @object
pk_ppc64_entry_address:
	.quad	0
	.size pk_ppc64_entry_address, 8

/* The runtime's stack: in .bss, so it costs no bytes in the image. */
	.section .bss.pk_stack, "aw", @nobits
	.balign 16
pk_ppc64_stack_bottom:
	.skip	PK_PPC64_STACK_SIZE
pk_ppc64_stack_top:

	.section .note.GNU-stack, "", @progbits
