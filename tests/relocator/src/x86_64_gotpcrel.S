/* SPDX-License-Identifier: MIT */
/*
 * Every GOT load GNU as emits on x86_64, for ld's rewrites: mov, call,
 * jmp, test and an ALU op through foo@GOTPCREL(%rip) (GOTPCRELX and
 * REX_GOTPCRELX), plain GOTPCREL loads (one ld keeps in the GOT), an absolute
 * symbol, and the other data relocations.  Linked below 2 GiB only: ld
 * refuses the rewrites above.
 */
	.text
	.globl pk_entry
	.type pk_entry, @function
pk_entry:
	movq	foo@GOTPCREL(%rip), %rax
	movl	foo@GOTPCREL(%rip), %eax
	movq	foo@GOTPCREL(%rip), %r11
	call	*foo@GOTPCREL(%rip)
	jmp	*foo@GOTPCREL(%rip)
	addq	foo@GOTPCREL(%rip), %rcx
	subq	bar@GOTPCREL(%rip), %r9
	testq	%rcx, foo@GOTPCREL(%rip)
	movq	absval@GOTPCREL(%rip), %rax
	/* Plain GOTPCREL: ld makes the mov a lea, keeps the add's GOT. */
	.reloc	. + 3, R_X86_64_GOTPCREL, bar - 4
	.byte	0x48, 0x8b, 0x05, 0, 0, 0, 0
	.reloc	. + 3, R_X86_64_GOTPCREL, bar - 4
	.byte	0x48, 0x03, 0x05, 0, 0, 0, 0
	leaq	bar(%rip), %rdx
	movabsq	$bar, %rsi
	call	foo
	ret
foo:
	ret
	.set	absval, 0x12345678
	.globl	absval

	.data
bar:
	.quad	foo
	.long	foo - .
	.quad	bar - .
	.long	foo
	.long	bar + 0x10
