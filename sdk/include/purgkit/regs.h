/* SPDX-License-Identifier: MIT */
/*
 * Register structures for the raw hand-offs: the one description of each
 * register block that a trampoline receives as patchable data.
 *
 * Each block is a field list, X(type, name, array bound), from which come
 * the structure below, the offsets the SDK's hand-off assembly uses
 * (generated at build time: sdk/gen/asm-offsets.c), the register names
 * the loader accepts for --reg (loader/<arch>/raw.c) and the layout the
 * tests read (build/host/contract.json).  A register added here reaches
 * all of them; the static assertions at the end then fail on every
 * target and on the host until its size is pinned again, on purpose.
 *
 * Host-safe: fixed-width fields, no padding, values in the target's byte
 * order (a host loader converts each field with pk_put16/32/64).
 */
#ifndef PURGKIT_REGS_H
#define PURGKIT_REGS_H

#include <stddef.h>
#include <stdint.h>

/* x86_64 raw64: 64-bit long mode, paging on (the kexec identity map). */
#define PK_X86_64_REGS(X)						\
	X(uint64_t, rax, ) X(uint64_t, rbx, ) X(uint64_t, rcx, )	\
	X(uint64_t, rdx, ) X(uint64_t, rsi, ) X(uint64_t, rdi, )	\
	X(uint64_t, rbp, ) X(uint64_t, rsp, ) X(uint64_t, r8, )		\
	X(uint64_t, r9, ) X(uint64_t, r10, ) X(uint64_t, r11, )		\
	X(uint64_t, r12, ) X(uint64_t, r13, ) X(uint64_t, r14, )	\
	X(uint64_t, r15, )						\
	X(uint64_t, rip, )		/* entry */

/* x86_64 raw32: 32-bit protected mode, paging off, flat 4 GiB segments. */
#define PK_X86_32_REGS(X)						\
	X(uint32_t, eax, ) X(uint32_t, ebx, ) X(uint32_t, ecx, )	\
	X(uint32_t, edx, ) X(uint32_t, esi, ) X(uint32_t, edi, )	\
	X(uint32_t, ebp, ) X(uint32_t, esp, )				\
	X(uint32_t, eip, )		/* entry */			\
	X(uint32_t, reserved, )

/*
 * x86_64 raw16: 16-bit real mode.  cs:ip is the entry; ss:sp the stack.
 * The real-mode IVT is left where the firmware put it (physical 0).
 */
#define PK_X86_16_REGS(X)						\
	X(uint32_t, eax, ) X(uint32_t, ebx, ) X(uint32_t, ecx, )	\
	X(uint32_t, edx, ) X(uint32_t, esi, ) X(uint32_t, edi, )	\
	X(uint32_t, ebp, ) X(uint32_t, esp, )				\
	X(uint16_t, cs, ) X(uint16_t, ip, ) X(uint16_t, ds, )		\
	X(uint16_t, es, ) X(uint16_t, fs, ) X(uint16_t, gs, )		\
	X(uint16_t, ss, ) X(uint16_t, reserved, )

/*
 * ppc64 raw: gpr[3..10] are loaded from gpr[]; r1 too if non-zero; nia is
 * the entry; msr_le chooses the payload's endianness (0 big, 1 little).
 */
#define PK_PPC64_REGS(X)						\
	X(uint64_t, gpr, [32])						\
	X(uint64_t, nia, )						\
	X(uint64_t, msr_le, )

#define PK_REGS_FIELD(type, name, bound) type name bound;
#define PK_REGS_FIELD_SIZE(type, name, bound) + sizeof(type bound)

struct pk_x86_64_regs {
	PK_X86_64_REGS(PK_REGS_FIELD)
};

struct pk_x86_32_regs {
	PK_X86_32_REGS(PK_REGS_FIELD)
};

struct pk_x86_16_regs {
	PK_X86_16_REGS(PK_REGS_FIELD)
};

struct pk_ppc64_regs {
	PK_PPC64_REGS(PK_REGS_FIELD)
};

/*
 * The layouts, pinned: no padding (a structure is the sum of its fields)
 * and the sizes that built trampolines and loaders already agree on.
 * Checked by each target's build (x86_64, ppc64le, ppc64: both byte
 * orders) and by the host tools' build.
 */
_Static_assert(sizeof(struct pk_x86_64_regs) ==
	       0 PK_X86_64_REGS(PK_REGS_FIELD_SIZE) &&
	       sizeof(struct pk_x86_64_regs) == 17 * 8,
	       "struct pk_x86_64_regs: 17 quadwords, no padding");
_Static_assert(sizeof(struct pk_x86_32_regs) ==
	       0 PK_X86_32_REGS(PK_REGS_FIELD_SIZE) &&
	       sizeof(struct pk_x86_32_regs) == 10 * 4,
	       "struct pk_x86_32_regs: 10 words, no padding");
_Static_assert(sizeof(struct pk_x86_16_regs) ==
	       0 PK_X86_16_REGS(PK_REGS_FIELD_SIZE) &&
	       sizeof(struct pk_x86_16_regs) == 8 * 4 + 8 * 2,
	       "struct pk_x86_16_regs: 8 words, 8 halfwords, no padding");
_Static_assert(sizeof(struct pk_ppc64_regs) ==
	       0 PK_PPC64_REGS(PK_REGS_FIELD_SIZE) &&
	       sizeof(struct pk_ppc64_regs) == 34 * 8,
	       "struct pk_ppc64_regs: 34 doublewords, no padding");

#endif /* PURGKIT_REGS_H */
