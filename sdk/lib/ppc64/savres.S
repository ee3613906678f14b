/* SPDX-License-Identifier: MIT */
/*
 * The out-of-line GPR save and restore routines GCC calls on ppc64 when it
 * optimises for size (-Os).  A final `ld` link makes them itself; `ld -r`
 * does not, so without these a trampoline built -Os would reach the
 * relocator with undefined _savegpr0_* symbols.  From libpurgkit.a they
 * are pulled in only when called, and each family (save or restore,
 * relative to r1 or r12) is its own section, so that --gc-sections keeps
 * only the families a trampoline calls.
 *
 * Contract (the ELF ABIs, both ELFv1 and ELFv2): _savegpr0_N stores rN..r31
 * at -8 * (32 - n)(r1) and the LR value in r0 at 16(r1); _restgpr0_N
 * reloads them and returns through the restored LR; _savegpr1_N and
 * _restgpr1_N do the same relative to r12 without touching LR.  Each entry
 * falls through to the next, so rN..r31 take one routine.  Leaf code: no
 * stack frame, no TOC.
 */

.macro entry prefix, n
	.globl \prefix\n
	.hidden \prefix\n
	.type \prefix\n, @function
\prefix\n:
.endm

	.section .text.pk_savegpr0, "ax", @progbits
	.p2align 2
	/* _savegpr0_14 .. _savegpr0_31: GPRs below r1, LR at 16(r1). */
.irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	entry _savegpr0_, \n
	std	\n, -8 * (32 - \n)(1)
.endr
	std	0, 16(1)
	blr

	.section .text.pk_restgpr0, "ax", @progbits
	.p2align 2
	/* _restgpr0_14 .. _restgpr0_30, and _restgpr0_31 which loads the
	 * saved LR first, as the ABI's own sequence does. */
.irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	entry _restgpr0_, \n
	ld	\n, -8 * (32 - \n)(1)
.endr
	entry _restgpr0_, 31
	ld	0, 16(1)
	ld	31, -8(1)
	mtlr	0
	blr

	.section .text.pk_savegpr1, "ax", @progbits
	.p2align 2
	/* _savegpr1_14 .. _savegpr1_31: GPRs below r12. */
.irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	entry _savegpr1_, \n
	std	\n, -8 * (32 - \n)(12)
.endr
	blr

	.section .text.pk_restgpr1, "ax", @progbits
	.p2align 2
	/* _restgpr1_14 .. _restgpr1_31. */
.irp n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	entry _restgpr1_, \n
	ld	\n, -8 * (32 - \n)(12)
.endr
	blr

	.section .note.GNU-stack, "", @progbits
