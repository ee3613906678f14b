/* SPDX-License-Identifier: MIT */
/* Constants shared by the x86_64 assembly and C of the runtime. */
#ifndef PURGKIT_ARCH_X86_64_ASM_H
#define PURGKIT_ARCH_X86_64_ASM_H

#define PK_X86_SEL_CODE32 0x08
#define PK_X86_SEL_CODE64 0x10
#define PK_X86_SEL_DATA 0x18
#define PK_X86_SEL_CODE16 0x20
#define PK_X86_SEL_DATA16 0x28

/* The runtime's stack, in the trampoline's .bss. */
#define PK_X86_64_STACK_SIZE 16384

/* Exception stubs are this many bytes apart (see exception_entry.S). */
#define PK_X86_64_EXCEPTION_STUB_SIZE 16

#endif /* PURGKIT_ARCH_X86_64_ASM_H */
