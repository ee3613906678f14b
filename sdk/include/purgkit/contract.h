/* SPDX-License-Identifier: MIT */
/*
 * The contract's structures and constants, each listed once, for the
 * build's generators: the assembly offsets (sdk/gen/asm-offsets.c, every
 * target), build/host/contract.json (sdk/gen/contract-json.c, which the
 * tests read) and the layout assertions at the end of this file, checked
 * by every target's build and by the host tools.
 *
 * PK_CONTRACT_STRUCTS: X(structure tag, its field list, in assembly), the
 * list being X(S, type, name, array bound) as in purgkit/regs.h.  A
 * structure that a trampoline and a loader share, and that has a field
 * list, belongs here.  "in assembly" is 1 when the assembly offsets are
 * generated for it (PK_<TAG>_<FIELD>, PK_<TAG>_SIZE); 0 for a structure
 * with a field named "size", whose offset would take the structure
 * size's name.
 *
 * PK_CONTRACT_CONSTANTS: X(name) for each constant contract.json carries
 * (an integer, any width up to 64 bits).
 *
 * Host-safe, like the headers it reads.
 */
#ifndef PURGKIT_CONTRACT_H
#define PURGKIT_CONTRACT_H

#include <purgkit/patch.h>
#include <purgkit/regs.h>
#include <purgkit/sha256.h>
#include <purgkit/arch/ppc64/lowmem.h>

#define PK_CONTRACT_STRUCTS(X)						\
	X(pk_region,		PK_REGION_FIELDS,		0)	\
	X(pk_memlog_header,	PK_MEMLOG_HEADER_FIELDS,	0)	\
	X(pk_symtab_header,	PK_SYMTAB_HEADER_FIELDS,	0)	\
	X(pk_symtab_entry,	PK_SYMTAB_ENTRY_FIELDS,		0)	\
	X(pk_memory_map_header,	PK_MEMORY_MAP_HEADER_FIELDS,	0)	\
	X(pk_memory_range,	PK_MEMORY_RANGE_FIELDS,		0)	\
	X(pk_x86_64_regs,	PK_X86_64_REGS,			1)	\
	X(pk_x86_32_regs,	PK_X86_32_REGS,			1)	\
	X(pk_x86_16_regs,	PK_X86_16_REGS,			1)	\
	X(pk_ppc64_regs,	PK_PPC64_REGS,			1)	\
	X(pk_aarch64_regs,	PK_AARCH64_REGS,		1)	\
	X(pk_ppc64_hold,	PK_PPC64_HOLD_FIELDS,		1)	\
	X(pk_ppc64_place,	PK_PPC64_PLACE_FIELDS,		1)	\
	X(pk_ppc64_place_table,	PK_PPC64_PLACE_TABLE_FIELDS,	1)	\
	X(pk_riscv64_regs,	PK_RISCV64_REGS,		1)

#define PK_CONTRACT_CONSTANTS(X)					\
	X(PK_MAX_REGIONS)						\
	X(PK_REGION_DIGEST_SIZE)					\
	X(PK_MEMLOG_MAGIC)						\
	X(PK_SYMTAB_MAGIC)						\
	X(PK_MEMORY_MAP_MAGIC)						\
	X(PK_MEMORY_RAM)						\
	X(PK_MEMORY_RESERVED)						\
	X(PK_MEMORY_ACPI)						\
	X(PK_MEMORY_NVS)						\
	X(PK_MEMORY_UNUSABLE)						\
	X(PK_MEMORY_PMEM)						\
	X(PK_MEMORY_LOADED)						\
	X(PK_SERIAL_DEFAULT_PORT)					\
	X(PK_SERIAL_DEFAULT_BAUD)					\
	PK_CONTRACT_CONSOLE_CONSTANTS(X)				\
	PK_CONTRACT_SHA256_CONSTANTS(X)					\
	X(PK_PPC64_PLACE_MAX)						\
	X(PK_PPC64_CRASH_BACKUP_SIZE)

/* Every SHA-256 engine of PK_SHA256_ENGINES, as X(PK_SHA256_<NAME>). */
#define PK_CONTRACT_SHA256_CONSTANT(X, constant, number, name) X(constant)
#define PK_CONTRACT_SHA256_CONSTANTS(X)					\
	PK_SHA256_ENGINES(PK_CONTRACT_SHA256_CONSTANT, X)

/* Every console bit of PK_CONSOLE_BACKENDS, as X(PK_CONSOLE_<NAME>). */
#define PK_CONTRACT_CONSOLE_CONSTANT(X, NAME, bit, name, parameters)	\
	X(PK_CONSOLE_##NAME)
#define PK_CONTRACT_CONSOLE_CONSTANTS(X)				\
	PK_CONSOLE_BACKENDS(PK_CONTRACT_CONSOLE_CONSTANT, X)

/*
 * Every structure of the list, pinned: no padding (the structure is the
 * sum of its fields), so its layout is the same on every target and on
 * the host, and the offsets generated from it mean the same everywhere.
 */
#define PK_CONTRACT_FIELD_SIZE(S, type, name, bound) + sizeof(type bound)
#define PK_CONTRACT_NO_PADDING(S, FIELDS, in_asm)			\
	_Static_assert(sizeof(struct S) ==				\
		       0 FIELDS(PK_CONTRACT_FIELD_SIZE, S),		\
		       "struct " #S ": no padding");
PK_CONTRACT_STRUCTS(PK_CONTRACT_NO_PADDING)

#endif /* PURGKIT_CONTRACT_H */
