/* SPDX-License-Identifier: MIT */
/*
 * Entry points of the ppc64 test payload (either endianness, ELFv1 or
 * ELFv2), loaded through purgkit-load --type=elf and the raw trampoline.
 *
 * _start: the primary.  Entry: real mode, r3..r10 as the trampoline set
 * them (r3 = the primary's hardware CPU number).  Saves r3..r10 and the
 * MSR in payload_entry_regs, builds a stack and the TOC, and calls
 * payload_main(), which never returns.
 *
 * payload_secondary: where purgkit releases the secondaries
 * (--secondary-entry).  Entry: real mode, r3 = hardware CPU number, no
 * stack.  Counts itself in payload_arrived (lwarx/stwcx.), writes its
 * number in payload_cpus[old count], then waits at low priority for good.
 */
	.section .text.start, "ax", @progbits
	.globl _start
_start:
	bcl	20, 31, 1f
1:	mflr	12
	addis	11, 12, (payload_entry_regs - 1b)@ha
	addi	11, 11, (payload_entry_regs - 1b)@l
	std	3, 0(11)
	std	4, 8(11)
	std	5, 16(11)
	std	6, 24(11)
	std	7, 32(11)
	std	8, 40(11)
	std	9, 48(11)
	std	10, 56(11)
	mfmsr	0
	std	0, 64(11)
#if defined(_CALL_ELF) && _CALL_ELF == 2
	addis	2, 12, (.TOC. - 1b)@ha
	addi	2, 2, (.TOC. - 1b)@l
#else
	addis	11, 12, (payload_main - 1b)@ha
	addi	11, 11, (payload_main - 1b)@l
	ld	2, 8(11)
#endif
	addis	1, 12, (payload_stack_top - 1b)@ha
	addi	1, 1, (payload_stack_top - 1b)@l
	li	0, 0
	stdu	0, -128(1)
	bl	payload_main
	nop
2:	b	2b

	.globl payload_secondary
	.balign 16
payload_secondary:
	bcl	20, 31, 3f
3:	mflr	12
	addis	11, 12, (payload_arrived - 3b)@ha
	addi	11, 11, (payload_arrived - 3b)@l
4:	lwarx	10, 0, 11
	addi	9, 10, 1
	stwcx.	9, 0, 11
	bne-	4b
	cmplwi	10, 63
	bgt	5f
	addis	11, 12, (payload_cpus - 3b)@ha
	addi	11, 11, (payload_cpus - 3b)@l
	sldi	10, 10, 2
	stwx	3, 11, 10
	sync
5:	or	1, 1, 1
	b	5b

	.section .bss.stack, "aw", @nobits
	.balign 16
	.skip	16384
payload_stack_top:

	.section .note.GNU-stack, "", @progbits
