/* SPDX-License-Identifier: MIT */
/*
 * Constants shared by the riscv64 runtime's .S files and its C.
 */
#ifndef PURGKIT_ARCH_RISCV64_ASM_H
#define PURGKIT_ARCH_RISCV64_ASM_H

#include <purgkit/arch/riscv64/cpu.h>

/* The runtime's stack, in the trampoline's .bss (16-byte aligned). */
#define PK_RISCV64_STACK_SIZE 32768
/* The trap handler's own stack: a trap must not trust the sp it finds. */
#define PK_RISCV64_TRAP_STACK_SIZE 4096
/* The trap frame: x1..x31 at 8 * n, then sepc, scause, stval, sstatus. */
#define PK_RISCV64_TRAP_SEPC (32 * 8)
#define PK_RISCV64_TRAP_SCAUSE (33 * 8)
#define PK_RISCV64_TRAP_STVAL (34 * 8)
#define PK_RISCV64_TRAP_SSTATUS (35 * 8)
#define PK_RISCV64_TRAP_FRAME (36 * 8)

#endif /* PURGKIT_ARCH_RISCV64_ASM_H */
