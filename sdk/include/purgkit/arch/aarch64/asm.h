/* SPDX-License-Identifier: MIT */
/* Constants shared by the aarch64 assembly and C of the runtime. */
#ifndef PURGKIT_ARCH_AARCH64_ASM_H
#define PURGKIT_ARCH_AARCH64_ASM_H

#include <purgkit/arch/aarch64/cpu.h>

/* The runtime's stack, in the trampoline's .bss (16-byte aligned). */
#define PK_AARCH64_STACK_SIZE 16384

/*
 * What each exception vector saves on the stack before it calls
 * pk_aarch64_exception: x0..x30 and one spare doubleword, so the frame
 * stays 16-byte aligned.
 */
#define PK_AARCH64_EXCEPTION_FRAME (32 * 8)

#endif /* PURGKIT_ARCH_AARCH64_ASM_H */
