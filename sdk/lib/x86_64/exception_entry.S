/* SPDX-License-Identifier: MIT */
/*
 * Exception entry stubs, one per vector 0..31, each exactly
 * PK_X86_64_EXCEPTION_STUB_SIZE bytes so the IDT can be built from the
 * first stub's address (no table of absolute addresses to relocate).
 *
 * Each stub pushes a zero error code when the CPU does not push one, then
 * its vector number, and jumps to the common path, which saves every
 * general register in the order of struct pk_x86_64_exception_frame and
 * calls pk_x86_64_exception(frame).  That function prints and halts; the
 * stubs never return to the faulting code.
 */
#include <purgkit/arch/x86_64/asm.h>

/* Vectors for which the CPU pushes an error code itself. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			   (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.section .text.pk_exception, "ax", @progbits
	.balign PK_X86_64_EXCEPTION_STUB_SIZE
	.globl pk_x86_64_exception_stubs
pk_x86_64_exception_stubs:
	.set vector, 0
	.rept 32
	.balign PK_X86_64_EXCEPTION_STUB_SIZE
	.if !HAS_ERROR_CODE(vector)
	pushq	$0
	.endif
	pushq	$vector
	jmp	pk_x86_64_exception_common
	.set vector, vector + 1
	.endr

pk_x86_64_exception_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	/* The CPU aligned RSP to 16 before its pushes; 22 quadwords later it
	 * is still 16-aligned, as the C ABI wants at the call. */
	movq	%rsp, %rdi
	cld
	call	pk_x86_64_exception
1:	cli
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
