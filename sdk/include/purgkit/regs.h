/* SPDX-License-Identifier: MIT */
/*
 * Register structures for the raw hand-offs: the one description of each
 * register block that a trampoline receives as patchable data.
 *
 * Each block is a field list, X(S, type, name, array bound) with S passed
 * through for the caller (e.g. the structure's name), from which come
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

/* One field of a structure of the contract, from its field list. */
#ifndef PK_STRUCT_FIELD
#define PK_STRUCT_FIELD(S, type, name, bound) type name bound;
#endif

/* x86_64 raw64: 64-bit long mode, paging on (the kexec identity map). */
#define PK_X86_64_REGS(X, S)						\
	X(S, uint64_t, rax, ) X(S, uint64_t, rbx, ) X(S, uint64_t, rcx, ) \
	X(S, uint64_t, rdx, ) X(S, uint64_t, rsi, ) X(S, uint64_t, rdi, ) \
	X(S, uint64_t, rbp, ) X(S, uint64_t, rsp, ) X(S, uint64_t, r8, ) \
	X(S, uint64_t, r9, ) X(S, uint64_t, r10, ) X(S, uint64_t, r11, ) \
	X(S, uint64_t, r12, ) X(S, uint64_t, r13, ) X(S, uint64_t, r14, ) \
	X(S, uint64_t, r15, )						\
	X(S, uint64_t, rip, )	/* entry */

/* The eight 32-bit general registers, first in raw32's and raw16's. */
#define PK_X86_GPR32(X, S)						\
	X(S, uint32_t, eax, ) X(S, uint32_t, ebx, ) X(S, uint32_t, ecx, ) \
	X(S, uint32_t, edx, ) X(S, uint32_t, esi, ) X(S, uint32_t, edi, ) \
	X(S, uint32_t, ebp, ) X(S, uint32_t, esp, )

/* x86_64 raw32: 32-bit protected mode, paging off, flat 4 GiB segments. */
#define PK_X86_32_REGS(X, S)						\
	PK_X86_GPR32(X, S)						\
	X(S, uint32_t, eip, )		/* entry */			\
	X(S, uint32_t, reserved, )

/*
 * x86_64 raw16: 16-bit real mode.  cs:ip is the entry; ss:sp the stack.
 * The real-mode IVT is left where the firmware put it (physical 0).
 */
#define PK_X86_16_REGS(X, S)						\
	PK_X86_GPR32(X, S)						\
	X(S, uint16_t, cs, ) X(S, uint16_t, ip, )			\
	X(S, uint16_t, ds, ) X(S, uint16_t, es, )			\
	X(S, uint16_t, fs, ) X(S, uint16_t, gs, )			\
	X(S, uint16_t, ss, ) X(S, uint16_t, reserved, )

/*
 * ppc64 raw: gpr[3..10] are loaded from gpr[]; r1 too if non-zero; nia is
 * the entry; msr_le chooses the payload's endianness (0 big, 1 little).
 */
#define PK_PPC64_REGS(X, S)						\
	X(S, uint64_t, gpr, [32])					\
	X(S, uint64_t, nia, )						\
	X(S, uint64_t, msr_le, )

/*
 * aarch64 raw: x0..x7 and the entry (pc); sp too if non-zero; el is the
 * exception level to enter it at: 0 = the one kexec entered the
 * trampoline at, 1 = EL1 (dropping from EL2 when there), 2 = EL2 (the
 * trampoline refuses when it runs at EL1).  purgkit-load's raw and elf
 * put the device tree's address in x0 unless --reg x0= is given, as the
 * Image protocol has it.
 */
#define PK_AARCH64_REGS(X, S)						\
	X(S, uint64_t, x, [8])						\
	X(S, uint64_t, sp, )						\
	X(S, uint64_t, pc, )						\
	X(S, uint64_t, el, )

/*
 * riscv64 raw: a0..a7 = a[0..7]; sp = sp if non-zero; pc is the entry.
 * S-mode, satp = 0 (docs/contract-riscv64.md).
 */
#define PK_RISCV64_REGS(X, S)						\
	X(S, uint64_t, a, [8])						\
	X(S, uint64_t, sp, )						\
	X(S, uint64_t, pc, )	/* entry */

#define PK_REGS_FIELD_SIZE(S, type, name, bound) + sizeof(type bound)

struct pk_x86_64_regs {
	PK_X86_64_REGS(PK_STRUCT_FIELD, pk_x86_64_regs)
};

struct pk_x86_32_regs {
	PK_X86_32_REGS(PK_STRUCT_FIELD, pk_x86_32_regs)
};

struct pk_x86_16_regs {
	PK_X86_16_REGS(PK_STRUCT_FIELD, pk_x86_16_regs)
};

struct pk_ppc64_regs {
	PK_PPC64_REGS(PK_STRUCT_FIELD, pk_ppc64_regs)
};

struct pk_aarch64_regs {
	PK_AARCH64_REGS(PK_STRUCT_FIELD, pk_aarch64_regs)
};

struct pk_riscv64_regs {
	PK_RISCV64_REGS(PK_STRUCT_FIELD, pk_riscv64_regs)
};

/*
 * The layouts, pinned: no padding (a structure is the sum of its fields)
 * and the sizes that built trampolines and loaders already agree on.
 * Checked by each target's build (x86_64, ppc64le, ppc64: both byte
 * orders) and by the host tools' build.
 */
_Static_assert(sizeof(struct pk_x86_64_regs) ==
	       0 PK_X86_64_REGS(PK_REGS_FIELD_SIZE, pk_x86_64_regs) &&
	       sizeof(struct pk_x86_64_regs) == 17 * 8,
	       "struct pk_x86_64_regs: 17 quadwords, no padding");
_Static_assert(sizeof(struct pk_x86_32_regs) ==
	       0 PK_X86_32_REGS(PK_REGS_FIELD_SIZE, pk_x86_32_regs) &&
	       sizeof(struct pk_x86_32_regs) == 10 * 4,
	       "struct pk_x86_32_regs: 10 words, no padding");
_Static_assert(sizeof(struct pk_x86_16_regs) ==
	       0 PK_X86_16_REGS(PK_REGS_FIELD_SIZE, pk_x86_16_regs) &&
	       sizeof(struct pk_x86_16_regs) == 8 * 4 + 8 * 2,
	       "struct pk_x86_16_regs: 8 words, 8 halfwords, no padding");
_Static_assert(sizeof(struct pk_ppc64_regs) ==
	       0 PK_PPC64_REGS(PK_REGS_FIELD_SIZE, pk_ppc64_regs) &&
	       sizeof(struct pk_ppc64_regs) == 34 * 8,
	       "struct pk_ppc64_regs: 34 doublewords, no padding");
_Static_assert(sizeof(struct pk_aarch64_regs) ==
	       0 PK_AARCH64_REGS(PK_REGS_FIELD_SIZE, pk_aarch64_regs) &&
	       sizeof(struct pk_aarch64_regs) == 11 * 8,
	       "struct pk_aarch64_regs: 11 doublewords, no padding");

_Static_assert(sizeof(struct pk_riscv64_regs) ==
	       0 PK_RISCV64_REGS(PK_REGS_FIELD_SIZE, pk_riscv64_regs) &&
	       sizeof(struct pk_riscv64_regs) == 10 * 8,
	       "struct pk_riscv64_regs: 10 doublewords, no padding");

#endif /* PURGKIT_REGS_H */
