/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 test payload's entry: what the raw trampoline (or an
 * OpenSBI next stage) enters with a0 = hart id and a1 = the device tree.
 * A stack of its own, then payload_main(a0, a1), which does not return.
 */
	.section .text.start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	lla	sp, stack_top
	call	payload_main
1:	wfi
	j	1b
	.size _start, . - _start

	.section .bss.stack, "aw", @nobits
	.balign 16
	.skip	8192
stack_top:
	.section .note.GNU-stack, "", @progbits
