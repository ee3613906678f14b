/* SPDX-License-Identifier: MIT */
/*
 * Register structures for the raw hand-offs.  Shared by the trampolines
 * (as patchable data) and by loaders on the host: fixed-width fields, no
 * padding, values in the target's byte order.
 */
#ifndef PURGKIT_REGS_H
#define PURGKIT_REGS_H

#include <stdint.h>

/* x86_64 raw64: 64-bit long mode, paging on (the kexec identity map). */
struct pk_x86_64_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;		/* entry */
};
#define PK_SYM_X86_64_REGS "pk_x86_64_regs"

/* x86_64 raw32: 32-bit protected mode, paging off, flat 4 GiB segments. */
struct pk_x86_32_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
	uint32_t eip;		/* entry */
	uint32_t reserved;
};
#define PK_SYM_X86_32_REGS "pk_x86_32_regs"

/*
 * x86_64 raw16: 16-bit real mode.  cs:ip is the entry; ss:sp the stack.
 * The real-mode IVT is left where the firmware put it (physical 0).
 */
struct pk_x86_16_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
	uint16_t cs, ip, ds, es, fs, gs, ss, reserved;
};
#define PK_SYM_X86_16_REGS "pk_x86_16_regs"

/*
 * ppc64 raw: gpr[3..10] are loaded from gpr[]; r1 too if non-zero; nia is
 * the entry; msr_le chooses the payload's endianness (0 big, 1 little).
 */
struct pk_ppc64_regs {
	uint64_t gpr[32];
	uint64_t nia;
	uint64_t msr_le;
};
#define PK_SYM_PPC64_REGS "pk_ppc64_regs"

#endif /* PURGKIT_REGS_H */
