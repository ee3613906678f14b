/* SPDX-License-Identifier: MIT */
/*
 * The ppc64 low-memory layout and the placement table: what the entry
 * stub (sdk/lib/ppc64/entry.S), the trampolines and the host loader
 * (loader/ppc64/) share.  Host-safe: constants, fixed-width types and
 * static assertions only, no inline assembly; assembly includes it for
 * the constants.  docs/contract-ppc64.md explains the why.
 */
#ifndef PURGKIT_ARCH_PPC64_LOWMEM_H
#define PURGKIT_ARCH_PPC64_LOWMEM_H

/*
 * The low copy: kexec copies the first PK_PPC64_LOW_SIZE bytes of the
 * entry to physical 0, and sends every secondary CPU to
 * PK_PPC64_SECONDARY_ENTRY there, with r3 = its hardware CPU number.
 */
#define PK_PPC64_LOW_SIZE		0x100
#define PK_PPC64_SECONDARY_ENTRY	0x60
/*
 * uint64_t at this offset of the low copy, in the trampoline's byte
 * order: the physical address of the secondary hold loop inside the
 * trampoline's placed image (a relocated address, so it is the placed
 * one).  The code at 0x60 only fixes its endianness and branches there,
 * so no CPU stays in the first 0x100 bytes and a payload may cover them.
 */
#define PK_PPC64_LOW_HOLD		0xf8
/*
 * The bytes of the entry a loader must leave alone when it copies the
 * next kernel's first 0x100 bytes over the stub (the ppc64 "linux"
 * trampoline): the endian-neutral branch to the primary's code.
 */
#define PK_PPC64_ENTRY_KEEP		0x0c

/*
 * The hold's words, in the trampoline's image (pk_ppc64_hold, .data),
 * as offsets for the assembly that reads them:
 *   release     uint64_t: 0 = keep holding; else where each secondary goes
 *   arrived     uint32_t: secondaries that have reached the hold
 *   release_le  uint32_t: MSR[LE] the released secondaries get
 */
#define PK_PPC64_HOLD_RELEASE		0
#define PK_PPC64_HOLD_ARRIVED		8
#define PK_PPC64_HOLD_RELEASE_LE	12
#define PK_PPC64_HOLD_SIZE		16

/*
 * Placement of segments the running kernel will not take as kexec
 * destinations (below its end): the loader stages each elsewhere and
 * lists it here; the trampoline copies it home after the SHA-256 check.
 */
#define PK_PPC64_PLACE_MAX		8
/*
 * The smallest cache block of any 64-bit POWER CPU: a flush stepping by
 * this reaches every block whatever the real size (POWER4 on: 128).
 */
#define PK_PPC64_MIN_CACHE_BLOCK	32
/*
 * The crash path (-p): a capture kernel copies its exception vectors to
 * real address 0, over the crashed kernel's memory there, so the "linux"
 * trampoline first copies this many bytes from 0 to pk_crash_backup (a
 * region of the crash reservation), and the ELF core header's PT_LOAD for
 * them points the dump at the copy (docs/contract-ppc64.md, section 9).
 */
#define PK_PPC64_CRASH_BACKUP_SIZE	0x10000


#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/*
 * The structures below are field lists, X(S, type, name, array bound), as
 * in purgkit/regs.h, so that contract.json carries their layout
 * (purgkit/contract.h) and the tests read it instead of typing offsets.
 */
#ifndef PK_STRUCT_FIELD
#define PK_STRUCT_FIELD(S, type, name, bound) type name bound;
#endif

/* The hold's words (the PK_PPC64_HOLD_* offsets above). */
#define PK_PPC64_HOLD_FIELDS(X, S)					\
	X(S, uint64_t, release, )					\
	X(S, uint32_t, arrived, )					\
	X(S, uint32_t, release_le, )

struct pk_ppc64_hold {
	PK_PPC64_HOLD_FIELDS(PK_STRUCT_FIELD, pk_ppc64_hold)
};

_Static_assert(offsetof(struct pk_ppc64_hold, release) ==
	       PK_PPC64_HOLD_RELEASE, "hold layout");
_Static_assert(offsetof(struct pk_ppc64_hold, arrived) ==
	       PK_PPC64_HOLD_ARRIVED, "hold layout");
_Static_assert(offsetof(struct pk_ppc64_hold, release_le) ==
	       PK_PPC64_HOLD_RELEASE_LE, "hold layout");
_Static_assert(sizeof(struct pk_ppc64_hold) == PK_PPC64_HOLD_SIZE,
	       "hold layout");

/*
 * One segment to copy home: filesz bytes from src (the staging copy kexec
 * loaded) to dest (the segment's own, final address), then zeros up to
 * memsz (>= filesz).  All physical addresses, in the target's byte order.
 */
#define PK_PPC64_PLACE_FIELDS(X, S)					\
	X(S, uint64_t, src, )						\
	X(S, uint64_t, dest, )						\
	X(S, uint64_t, filesz, )					\
	X(S, uint64_t, memsz, )

struct pk_ppc64_place {
	PK_PPC64_PLACE_FIELDS(PK_STRUCT_FIELD, pk_ppc64_place)
};

/*
 * The patchable pk_ppc64_place_table.  count entries are used (0: nothing
 * to place).  dcache_block and icache_block are the CPU's cache block
 * sizes in bytes (powers of two; 0 or anything smaller than
 * PK_PPC64_MIN_CACHE_BLOCK means that minimum).
 *
 * Before a copy over the first 0x100 bytes, the trampoline waits until
 * `secondaries` CPUs (every hardware thread but the primary's, from the
 * device tree) have left the low copy for the hold, or wait_ticks of the
 * timebase have passed.  secondaries = 0: not known, wait a fixed while.
 */
#define PK_PPC64_PLACE_TABLE_FIELDS(X, S)				\
	X(S, uint32_t, count, )						\
	X(S, uint32_t, dcache_block, )					\
	X(S, uint32_t, icache_block, )					\
	X(S, uint32_t, secondaries, )					\
	X(S, uint64_t, wait_ticks, )					\
	X(S, struct pk_ppc64_place, entry, [PK_PPC64_PLACE_MAX])

struct pk_ppc64_place_table {
	PK_PPC64_PLACE_TABLE_FIELDS(PK_STRUCT_FIELD, pk_ppc64_place_table)
};

_Static_assert(sizeof(struct pk_ppc64_place) == 32, "no padding");
_Static_assert(sizeof(struct pk_ppc64_place_table) ==
	       24 + 32 * PK_PPC64_PLACE_MAX, "no padding");
#endif /* __ASSEMBLY__ */
#endif /* PURGKIT_ARCH_PPC64_LOWMEM_H */
