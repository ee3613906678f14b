/* SPDX-License-Identifier: MIT */
/*
 * The out-of-line register save and restore routines that GCC calls on
 * ppc64 at -Os.  GNU ld makes them itself in a final link; ld -r does
 * not, so a trampoline built -Os carries its own (the relocator links
 * only what the object holds).  Offsets follow the ELF ABIs: GPR n is
 * saved at -8 * (32 - n) from r1 (gpr0, which also saves LR from r0) or
 * from r12 (gpr1).
 */
	.section .text.savres,"ax",@progbits
	.p2align 2

	.globl _savegpr0_14
	.hidden _savegpr0_14
	.type _savegpr0_14,@function
_savegpr0_14:
	std 14,-144(1)
	.globl _savegpr0_15
	.hidden _savegpr0_15
	.type _savegpr0_15,@function
_savegpr0_15:
	std 15,-136(1)
	.globl _savegpr0_16
	.hidden _savegpr0_16
	.type _savegpr0_16,@function
_savegpr0_16:
	std 16,-128(1)
	.globl _savegpr0_17
	.hidden _savegpr0_17
	.type _savegpr0_17,@function
_savegpr0_17:
	std 17,-120(1)
	.globl _savegpr0_18
	.hidden _savegpr0_18
	.type _savegpr0_18,@function
_savegpr0_18:
	std 18,-112(1)
	.globl _savegpr0_19
	.hidden _savegpr0_19
	.type _savegpr0_19,@function
_savegpr0_19:
	std 19,-104(1)
	.globl _savegpr0_20
	.hidden _savegpr0_20
	.type _savegpr0_20,@function
_savegpr0_20:
	std 20,-96(1)
	.globl _savegpr0_21
	.hidden _savegpr0_21
	.type _savegpr0_21,@function
_savegpr0_21:
	std 21,-88(1)
	.globl _savegpr0_22
	.hidden _savegpr0_22
	.type _savegpr0_22,@function
_savegpr0_22:
	std 22,-80(1)
	.globl _savegpr0_23
	.hidden _savegpr0_23
	.type _savegpr0_23,@function
_savegpr0_23:
	std 23,-72(1)
	.globl _savegpr0_24
	.hidden _savegpr0_24
	.type _savegpr0_24,@function
_savegpr0_24:
	std 24,-64(1)
	.globl _savegpr0_25
	.hidden _savegpr0_25
	.type _savegpr0_25,@function
_savegpr0_25:
	std 25,-56(1)
	.globl _savegpr0_26
	.hidden _savegpr0_26
	.type _savegpr0_26,@function
_savegpr0_26:
	std 26,-48(1)
	.globl _savegpr0_27
	.hidden _savegpr0_27
	.type _savegpr0_27,@function
_savegpr0_27:
	std 27,-40(1)
	.globl _savegpr0_28
	.hidden _savegpr0_28
	.type _savegpr0_28,@function
_savegpr0_28:
	std 28,-32(1)
	.globl _savegpr0_29
	.hidden _savegpr0_29
	.type _savegpr0_29,@function
_savegpr0_29:
	std 29,-24(1)
	.globl _savegpr0_30
	.hidden _savegpr0_30
	.type _savegpr0_30,@function
_savegpr0_30:
	std 30,-16(1)
	.globl _savegpr0_31
	.hidden _savegpr0_31
	.type _savegpr0_31,@function
_savegpr0_31:
	std 31,-8(1)
	std 0,16(1)
	blr
	.globl _restgpr0_14
	.hidden _restgpr0_14
	.type _restgpr0_14,@function
_restgpr0_14:
	ld 14,-144(1)
	.globl _restgpr0_15
	.hidden _restgpr0_15
	.type _restgpr0_15,@function
_restgpr0_15:
	ld 15,-136(1)
	.globl _restgpr0_16
	.hidden _restgpr0_16
	.type _restgpr0_16,@function
_restgpr0_16:
	ld 16,-128(1)
	.globl _restgpr0_17
	.hidden _restgpr0_17
	.type _restgpr0_17,@function
_restgpr0_17:
	ld 17,-120(1)
	.globl _restgpr0_18
	.hidden _restgpr0_18
	.type _restgpr0_18,@function
_restgpr0_18:
	ld 18,-112(1)
	.globl _restgpr0_19
	.hidden _restgpr0_19
	.type _restgpr0_19,@function
_restgpr0_19:
	ld 19,-104(1)
	.globl _restgpr0_20
	.hidden _restgpr0_20
	.type _restgpr0_20,@function
_restgpr0_20:
	ld 20,-96(1)
	.globl _restgpr0_21
	.hidden _restgpr0_21
	.type _restgpr0_21,@function
_restgpr0_21:
	ld 21,-88(1)
	.globl _restgpr0_22
	.hidden _restgpr0_22
	.type _restgpr0_22,@function
_restgpr0_22:
	ld 22,-80(1)
	.globl _restgpr0_23
	.hidden _restgpr0_23
	.type _restgpr0_23,@function
_restgpr0_23:
	ld 23,-72(1)
	.globl _restgpr0_24
	.hidden _restgpr0_24
	.type _restgpr0_24,@function
_restgpr0_24:
	ld 24,-64(1)
	.globl _restgpr0_25
	.hidden _restgpr0_25
	.type _restgpr0_25,@function
_restgpr0_25:
	ld 25,-56(1)
	.globl _restgpr0_26
	.hidden _restgpr0_26
	.type _restgpr0_26,@function
_restgpr0_26:
	ld 26,-48(1)
	.globl _restgpr0_27
	.hidden _restgpr0_27
	.type _restgpr0_27,@function
_restgpr0_27:
	ld 27,-40(1)
	.globl _restgpr0_28
	.hidden _restgpr0_28
	.type _restgpr0_28,@function
_restgpr0_28:
	ld 28,-32(1)
	.globl _restgpr0_29
	.hidden _restgpr0_29
	.type _restgpr0_29,@function
_restgpr0_29:
	ld 29,-24(1)
	.globl _restgpr0_30
	.hidden _restgpr0_30
	.type _restgpr0_30,@function
_restgpr0_30:
	ld 30,-16(1)
	.globl _restgpr0_31
	.hidden _restgpr0_31
	.type _restgpr0_31,@function
_restgpr0_31:
	ld 0,16(1)
	ld 31,-8(1)
	mtlr 0
	blr

	.globl _savegpr1_14
	.hidden _savegpr1_14
	.type _savegpr1_14,@function
_savegpr1_14:
	std 14,-144(12)
	.globl _savegpr1_15
	.hidden _savegpr1_15
	.type _savegpr1_15,@function
_savegpr1_15:
	std 15,-136(12)
	.globl _savegpr1_16
	.hidden _savegpr1_16
	.type _savegpr1_16,@function
_savegpr1_16:
	std 16,-128(12)
	.globl _savegpr1_17
	.hidden _savegpr1_17
	.type _savegpr1_17,@function
_savegpr1_17:
	std 17,-120(12)
	.globl _savegpr1_18
	.hidden _savegpr1_18
	.type _savegpr1_18,@function
_savegpr1_18:
	std 18,-112(12)
	.globl _savegpr1_19
	.hidden _savegpr1_19
	.type _savegpr1_19,@function
_savegpr1_19:
	std 19,-104(12)
	.globl _savegpr1_20
	.hidden _savegpr1_20
	.type _savegpr1_20,@function
_savegpr1_20:
	std 20,-96(12)
	.globl _savegpr1_21
	.hidden _savegpr1_21
	.type _savegpr1_21,@function
_savegpr1_21:
	std 21,-88(12)
	.globl _savegpr1_22
	.hidden _savegpr1_22
	.type _savegpr1_22,@function
_savegpr1_22:
	std 22,-80(12)
	.globl _savegpr1_23
	.hidden _savegpr1_23
	.type _savegpr1_23,@function
_savegpr1_23:
	std 23,-72(12)
	.globl _savegpr1_24
	.hidden _savegpr1_24
	.type _savegpr1_24,@function
_savegpr1_24:
	std 24,-64(12)
	.globl _savegpr1_25
	.hidden _savegpr1_25
	.type _savegpr1_25,@function
_savegpr1_25:
	std 25,-56(12)
	.globl _savegpr1_26
	.hidden _savegpr1_26
	.type _savegpr1_26,@function
_savegpr1_26:
	std 26,-48(12)
	.globl _savegpr1_27
	.hidden _savegpr1_27
	.type _savegpr1_27,@function
_savegpr1_27:
	std 27,-40(12)
	.globl _savegpr1_28
	.hidden _savegpr1_28
	.type _savegpr1_28,@function
_savegpr1_28:
	std 28,-32(12)
	.globl _savegpr1_29
	.hidden _savegpr1_29
	.type _savegpr1_29,@function
_savegpr1_29:
	std 29,-24(12)
	.globl _savegpr1_30
	.hidden _savegpr1_30
	.type _savegpr1_30,@function
_savegpr1_30:
	std 30,-16(12)
	.globl _savegpr1_31
	.hidden _savegpr1_31
	.type _savegpr1_31,@function
_savegpr1_31:
	std 31,-8(12)
	blr
	.globl _restgpr1_14
	.hidden _restgpr1_14
	.type _restgpr1_14,@function
_restgpr1_14:
	ld 14,-144(12)
	.globl _restgpr1_15
	.hidden _restgpr1_15
	.type _restgpr1_15,@function
_restgpr1_15:
	ld 15,-136(12)
	.globl _restgpr1_16
	.hidden _restgpr1_16
	.type _restgpr1_16,@function
_restgpr1_16:
	ld 16,-128(12)
	.globl _restgpr1_17
	.hidden _restgpr1_17
	.type _restgpr1_17,@function
_restgpr1_17:
	ld 17,-120(12)
	.globl _restgpr1_18
	.hidden _restgpr1_18
	.type _restgpr1_18,@function
_restgpr1_18:
	ld 18,-112(12)
	.globl _restgpr1_19
	.hidden _restgpr1_19
	.type _restgpr1_19,@function
_restgpr1_19:
	ld 19,-104(12)
	.globl _restgpr1_20
	.hidden _restgpr1_20
	.type _restgpr1_20,@function
_restgpr1_20:
	ld 20,-96(12)
	.globl _restgpr1_21
	.hidden _restgpr1_21
	.type _restgpr1_21,@function
_restgpr1_21:
	ld 21,-88(12)
	.globl _restgpr1_22
	.hidden _restgpr1_22
	.type _restgpr1_22,@function
_restgpr1_22:
	ld 22,-80(12)
	.globl _restgpr1_23
	.hidden _restgpr1_23
	.type _restgpr1_23,@function
_restgpr1_23:
	ld 23,-72(12)
	.globl _restgpr1_24
	.hidden _restgpr1_24
	.type _restgpr1_24,@function
_restgpr1_24:
	ld 24,-64(12)
	.globl _restgpr1_25
	.hidden _restgpr1_25
	.type _restgpr1_25,@function
_restgpr1_25:
	ld 25,-56(12)
	.globl _restgpr1_26
	.hidden _restgpr1_26
	.type _restgpr1_26,@function
_restgpr1_26:
	ld 26,-48(12)
	.globl _restgpr1_27
	.hidden _restgpr1_27
	.type _restgpr1_27,@function
_restgpr1_27:
	ld 27,-40(12)
	.globl _restgpr1_28
	.hidden _restgpr1_28
	.type _restgpr1_28,@function
_restgpr1_28:
	ld 28,-32(12)
	.globl _restgpr1_29
	.hidden _restgpr1_29
	.type _restgpr1_29,@function
_restgpr1_29:
	ld 29,-24(12)
	.globl _restgpr1_30
	.hidden _restgpr1_30
	.type _restgpr1_30,@function
_restgpr1_30:
	ld 30,-16(12)
	.globl _restgpr1_31
	.hidden _restgpr1_31
	.type _restgpr1_31,@function
_restgpr1_31:
	ld 31,-8(12)
	blr
