/* SPDX-License-Identifier: MIT */
/*
 * Assembly helpers shared by the ppc64 runtime's .S files (both
 * endiannesses, ELFv1 and ELFv2).
 */
#ifndef PURGKIT_ARCH_PPC64_ASM_H
#define PURGKIT_ARCH_PPC64_ASM_H

#include <purgkit/arch/ppc64/cpu.h>

/* The runtime's stack, in the trampoline's .bss. */
#define PK_PPC64_STACK_SIZE 32768
/* A stack frame big enough for either ABI's header (ELFv1 needs 112). */
#define PK_PPC64_FRAME 128

#ifdef __ASSEMBLY__

#if defined(_CALL_ELF) && _CALL_ELF == 2
	.abiversion 2
/* ELFv2: a function symbol is its code. */
#define PK_FUNC(name)				\
	.text;					\
	.balign 4;				\
	.globl name;				\
	.type name, @function;			\
name:
#define PK_FUNC_END(name) .size name, . - name
#else
/* ELFv1: a function symbol is a descriptor in .opd; the code is .L.name. */
#define PK_FUNC(name)				\
	.section ".opd", "aw";			\
	.balign 8;				\
	.globl name;				\
name:						\
	.quad .L.name, .TOC.@tocbase, 0;	\
	.previous;				\
	.type name, @function;			\
	.text;					\
	.balign 4;				\
.L.name:
#define PK_FUNC_END(name) .size name, . - .L.name
#endif

/* A word whose bytes are in the other byte order: an instruction for a
 * CPU that runs in the endianness we were not built for. */
	.macro PK_SWAPPED_WORD x
	.long ((((\x) >> 24) & 0xff) | (((\x) >> 8) & 0xff00) | \
	       (((\x) & 0xff00) << 8) | (((\x) & 0xff) << 24))
	.endm

/* `b target` (relative), encoded for the other byte order. */
	.macro PK_SWAPPED_BRANCH target
	PK_SWAPPED_WORD (0x48000000 | (((\target) - .) & 0x03fffffc))
	.endm

/*
 * Run on in our own endianness whichever one the CPU is in.
 *
 * The first word is `tdi 0,0,0x48`, which never traps; read in the other
 * byte order the same four bytes are `b .+8`.  A CPU already in our
 * endianness therefore takes the branch over them; one in the other endianness
 * lands on ten byte-swapped instructions that flip MSR[LE] with rfid and
 * come back just after them.  Clobbers r10, r11 (only on the swapped path) and
 * clears MSR[EE] and MSR[RI] there.  Position-independent.
 */
	.macro PK_FIXUP_ENDIAN
	tdi	0, 0, 0x48
	b	.Lpk_endian_ok\@
	PK_SWAPPED_WORD 0x7d6000a6	/* mfmsr  r11 */
	PK_SWAPPED_WORD 0x696b0001	/* xori   r11, r11, MSR_LE */
	PK_SWAPPED_WORD 0x39400000	/* li     r10, 0 */
	PK_SWAPPED_WORD 0x7d410164	/* mtmsrd r10, 1: EE and RI off */
	PK_SWAPPED_WORD 0x429f0005	/* bcl    20, 31, .+4 */
	PK_SWAPPED_WORD 0x7d4802a6	/* mflr   r10 */
	PK_SWAPPED_WORD 0x394a0014	/* addi   r10, r10, 20: to the end */
	PK_SWAPPED_WORD 0x7d5a03a6	/* mtsrr0 r10 */
	PK_SWAPPED_WORD 0x7d7b03a6	/* mtsrr1 r11 */
	PK_SWAPPED_WORD 0x4c000024	/* rfid */
.Lpk_endian_ok\@:
	.endm

#endif /* __ASSEMBLY__ */
#endif /* PURGKIT_ARCH_PPC64_ASM_H */
