/* SPDX-License-Identifier: MIT */
/*
 * Patchable symbols: the one way a loader hands data to a trampoline.
 *
 * kexec passes no arguments, so everything a trampoline needs to know
 * (where the payload starts, which regions to hash, which console to use)
 * is written into the trampoline's own memory by the loader after the
 * relocator has placed it.  The convention:
 *
 *   - A patchable object is a global, initialised object defined with
 *     PK_PATCHABLE.  It lives in the section ".pk.patch" (allocated,
 *     writable, never zero-filled), so its bytes exist in the image and
 *     the loader can overwrite them.
 *   - Its symbol carries its exact size (st_size).  The relocator refuses a
 *     patch whose size differs, so a loader and a trampoline that disagree
 *     on a layout fail loudly on the host, not silently between kernels.
 *   - Values are in the target's byte order.  Integers use fixed-width
 *     types only; structures below have no padding and are laid out the
 *     same on every target, so host code can include this header too.
 *
 * This header is shared by the freestanding SDK and by the host tools.
 */
#ifndef PURGKIT_PATCH_H
#define PURGKIT_PATCH_H

#include <stdint.h>

/* The section every patchable object lives in. */
#define PK_PATCH_SECTION ".pk.patch"

/* Define a patchable object: PK_PATCHABLE uint64_t pk_thing = 0; */
#define PK_PATCHABLE \
	__attribute__((section(PK_PATCH_SECTION), used, aligned(8), \
		       visibility("default")))

/*
 * One memory range the runtime hashes before the hand-off.  Structures of
 * the contract are field lists, X(type, name, array bound), as in
 * purgkit/regs.h, so that tools and tests read their layout from here.
 */
#define PK_REGION_FIELDS(X, S)						\
	X(S, uint64_t, start, )		/* physical address */		\
	X(S, uint64_t, size, )		/* bytes; 0 marks an unused slot */
#ifndef PK_STRUCT_FIELD
#define PK_STRUCT_FIELD(S, type, name, bound) type name bound;
#endif

struct pk_region {
	PK_REGION_FIELDS(PK_STRUCT_FIELD, pk_region)
};

/* At most this many regions: kexec_load takes at most 16 segments. */
#define PK_MAX_REGIONS 16

/*
 * Each region's own digest is the first 8 bytes of its SHA-256.  It only
 * names the region that changed once the whole image's digest (all 32
 * bytes, pk_verify_digest) has already failed, so 64 bits are plenty, and
 * the table costs 128 bytes in every trampoline instead of 512.
 */
#define PK_REGION_DIGEST_SIZE 8

/*
 * Console backends, bits of pk_console_mask, one list: X(C, NAME, bit,
 * name, parameters), C passed through for the caller, for
 * PK_CONSOLE_<NAME> = 1u << bit, chosen with
 * `--console=name` (purgkit-load) followed by at most `parameters`
 * comma-separated fields.  contract.json's constants come from it, and
 * the assertions below hold each PK_CONSOLE_<NAME> to its row.  (The bits
 * stay #defines, not an enum, so trampolines' debug information does not
 * change with them.)
 */
#define PK_CONSOLE_BACKENDS(X, C)					\
	X(C, SERIAL,   0, "serial",   2) /* x86 8250 UART: PORT, BAUD */ \
	X(C, VGA,      1, "vga",      0) /* x86 VGA text mode, 0xb8000 */ \
	X(C, DEBUGCON, 2, "debugcon", 0) /* QEMU/Bochs port 0xe9 */	\
	X(C, HVTERM,   3, "hvterm",   0) /* pSeries H_PUT_TERM_CHAR */	\
	X(C, OPAL,     4, "opal",     0) /* OPAL console, pk_opal_* */	\
	X(C, MEMLOG,   5, "memlog",   1) /* ring at pk_memlog_base: ADDR */ \
	X(C, PL011,    6, "pl011",    1) /* Arm PL011 UART at pk_uart_base */ \
	X(C, UART8250, 7, "uart8250", 1) /* 8250 MMIO at pk_uart_base */	\
	X(C, SBI,      8, "sbi",      0) /* RISC-V SBI debug console */

#define PK_CONSOLE_SERIAL	(1u << 0)
#define PK_CONSOLE_VGA		(1u << 1)
#define PK_CONSOLE_DEBUGCON	(1u << 2)
#define PK_CONSOLE_HVTERM	(1u << 3)
#define PK_CONSOLE_OPAL		(1u << 4)
#define PK_CONSOLE_MEMLOG	(1u << 5)
#define PK_CONSOLE_PL011	(1u << 6)
#define PK_CONSOLE_UART8250	(1u << 7)
#define PK_CONSOLE_SBI		(1u << 8)

#define PK_CONSOLE_PINNED(C, NAME, bit, name, parameters)		\
	_Static_assert(PK_CONSOLE_##NAME == 1u << (bit),		\
		       "PK_CONSOLE_" #NAME " is bit " #bit " of the list");
PK_CONSOLE_BACKENDS(PK_CONSOLE_PINNED, )

/*
 * The memory log: a header followed by a ring of bytes.  The next kernel
 * or a debugger finds it at pk_memlog_base and reads `size` bytes of
 * ring; `head` counts every byte ever written, so the newest byte is at
 * ring[(head - 1) % size].  Fields are in the trampoline's byte order.
 */
#define PK_MEMLOG_MAGIC 0x474f4c4b47525550ull	/* "PURGKLOG" little-endian */
#define PK_MEMLOG_HEADER_FIELDS(X, S)					\
	X(S, uint64_t, magic, )						\
	X(S, uint64_t, size, )		/* bytes of ring after this header */ \
	X(S, uint64_t, head, )		/* bytes written so far */	\
	X(S, uint64_t, reserved, )

struct pk_memlog_header {
	PK_MEMLOG_HEADER_FIELDS(PK_STRUCT_FIELD, pk_memlog_header)
};

/*
 * The trampoline's function table, so that a fault or a panic names its
 * function between the kernels, with no host tool.  The loader writes it
 * after the image, in the trampoline's own segment, and points
 * pk_symbol_table at it: a header, `count` entries sorted by offset, then
 * NUL-terminated names (the trampoline's own name first).  Every offset
 * of a name is from the header; every field is in the trampoline's byte
 * order.  A trampoline without it (pk_symbol_table 0) prints addresses
 * as image base + offset only.
 */
#define PK_SYMTAB_MAGIC 0x4241544d59534b50ull	/* "PKSYMTAB" little-endian */
#define PK_SYMTAB_HEADER_FIELDS(X, S)					\
	X(S, uint64_t, magic, )						\
	X(S, uint32_t, count, )		/* entries after this header */ \
	X(S, uint32_t, name, )		/* the trampoline's name */

struct pk_symtab_header {
	PK_SYMTAB_HEADER_FIELDS(PK_STRUCT_FIELD, pk_symtab_header)
};

#define PK_SYMTAB_ENTRY_FIELDS(X, S)					\
	X(S, uint32_t, offset, )	/* from the image's start */	\
	X(S, uint32_t, size, )		/* bytes; 0: not known */	\
	X(S, uint32_t, name, )						\
	X(S, uint32_t, reserved, )

struct pk_symtab_entry {
	PK_SYMTAB_ENTRY_FIELDS(PK_STRUCT_FIELD, pk_symtab_entry)
};

/*
 * The machine's memory as the loader saw it, for every payload type: the
 * loader writes it after the image (after the function table), in the
 * trampoline's own segment, and points pk_memory_map_table at it.  A
 * header, then `count` ranges sorted by base and not overlapping, each
 * `entry_size` bytes (a newer loader may append fields: step by it).
 * RAM and the firmware's kinds come from the loader's memory map (the
 * system's, or --memmap); PK_MEMORY_LOADED marks each segment of this
 * kexec (this trampoline, the payload, its data), carved out of the
 * range it lies in, so the RAM ranges left are free once the trampoline
 * runs.  On the crash path (-p) the RAM listed is the crash reservation
 * only: the rest is the dump.  Fields in the trampoline's byte order.
 */
#define PK_MEMORY_MAP_MAGIC 0x50414d4d454d4b50ull /* "PKMEMMAP" little-endian */
#define PK_MEMORY_MAP_HEADER_FIELDS(X, S)				\
	X(S, uint64_t, magic, )						\
	X(S, uint32_t, count, )		/* ranges after this header */	\
	X(S, uint32_t, entry_size, )	/* bytes per range */

struct pk_memory_map_header {
	PK_MEMORY_MAP_HEADER_FIELDS(PK_STRUCT_FIELD, pk_memory_map_header)
};

#define PK_MEMORY_RANGE_FIELDS(X, S)					\
	X(S, uint64_t, base, )						\
	X(S, uint64_t, size, )						\
	X(S, uint32_t, type, )		/* PK_MEMORY_* */		\
	X(S, uint32_t, reserved, )

struct pk_memory_range {
	PK_MEMORY_RANGE_FIELDS(PK_STRUCT_FIELD, pk_memory_range)
};

/* Range types: the firmware's (E820's numbering up to PMEM), then ours. */
#define PK_MEMORY_RAM		1	/* free RAM */
#define PK_MEMORY_RESERVED	2
#define PK_MEMORY_ACPI		3	/* ACPI tables, reclaimable */
#define PK_MEMORY_NVS		4	/* ACPI non-volatile storage */
#define PK_MEMORY_UNUSABLE	5
#define PK_MEMORY_PMEM		7	/* persistent memory */
#define PK_MEMORY_LOADED	0x100	/* a segment of this kexec */

/* What the runtime does when no loader set the serial console up. */
#define PK_SERIAL_DEFAULT_PORT	0x3f8		/* COM1 */
#define PK_SERIAL_DEFAULT_BAUD	115200

/*
 * The contract, once: every patchable symbol of the runtime (defined in
 * sdk/lib/patch.c) as X(name, element type, array bound).  From this one
 * list come the declarations the SDK compiles against, the types the
 * loader writes (so the compiler checks each patch's size), and
 * build/host/contract.json, which the tests read.  The trampolines' own
 * symbols are listed the same way in purgkit/trampolines.h.
 */
#define PK_RUNTIME_PATCH_SYMBOLS(X)					\
	X(pk_verify_enabled,	uint32_t,		)	/* 1 = check */ \
	X(pk_verify_regions,	struct pk_region,	[PK_MAX_REGIONS]) \
	X(pk_verify_digest,	uint8_t,		[32])	/* SHA-256 */ \
	/* each region's own SHA-256, its first PK_REGION_DIGEST_SIZE	\
	 * bytes (all zero: not given), so that a mismatch names the	\
	 * region that changed */					\
	X(pk_verify_region_digests, uint8_t,				\
	  [PK_MAX_REGIONS][PK_REGION_DIGEST_SIZE])			\
	X(pk_console_mask,	uint32_t,		)	/* PK_CONSOLE_* */ \
	X(pk_serial_port,	uint32_t,		)	/* I/O port */ \
	X(pk_serial_baud,	uint32_t,		)	\
	X(pk_memlog_base,	uint64_t,		)	/* physical */ \
	X(pk_memlog_size,	uint64_t,		)	/* incl. header */ \
	X(pk_opal_base,		uint64_t,		)	/* 0 = none */ \
	X(pk_opal_entry,	uint64_t,		)	\
	X(pk_timebase_hz,	uint64_t,		)	/* ppc64, riscv64; \
						0 = the family's default */ \
	/* MMIO UART (PL011, 8250): physical address of its registers, and	\
	 * log2 of an 8250's register stride (0: bytes; 2: 32-bit words,	\
	 * read and written as words) */				\
	X(pk_uart_base,		uint64_t,		)	\
	X(pk_uart_reg_shift,	uint32_t,		)	\
	X(pk_symbol_table,	uint64_t,		)	/* 0 = none */ \
	X(pk_memory_map_table,	uint64_t,		)	/* 0 = none */

/*
 * pk_patch_type_<name>: the type of patchable symbol <name>, on the
 * target and on the host alike (fixed-width fields, no padding).
 */
#define PK_PATCH_TYPEDEF(name, type, bound) typedef type pk_patch_type_##name bound;

/* On the target, the declaration every definition is checked against. */
#define PK_PATCH_EXTERN(name, type, bound) extern pk_patch_type_##name name;

/*
 * Define a symbol of the contract (in one file of the SDK or of a
 * trampoline):  PK_PATCH_DEFINE(pk_linux_entry) = 0;
 * Its type comes from the list, so a file that does not include the
 * list does not compile, and a definition cannot drift from it.
 */
#define PK_PATCH_DEFINE(name) PK_PATCHABLE pk_patch_type_##name name

/*
 * The name of a symbol of the contract, as the loader patches it: a
 * string, and a compile error when <name> is not in a list.
 */
#define PK_SYMBOL(name) (sizeof(pk_patch_type_##name) ? #name : #name)

PK_RUNTIME_PATCH_SYMBOLS(PK_PATCH_TYPEDEF)
#ifndef PK_HOST
PK_RUNTIME_PATCH_SYMBOLS(PK_PATCH_EXTERN)
#endif

/*
 * A trampoline's symbol lists (purgkit/arch/<arch>/trampolines.h) have a
 * fourth column, the trampolines that define each symbol; these declare
 * them as the runtime's are.
 */
#define PK_TRAMPOLINE_TYPEDEF(name, type, bound, users) \
	PK_PATCH_TYPEDEF(name, type, bound)
#define PK_TRAMPOLINE_EXTERN(name, type, bound, users) \
	PK_PATCH_EXTERN(name, type, bound)

/* The trampoline's entry: code, not data, so not patchable. */
#define PK_ENTRY_SYMBOL		"pk_entry"

/*
 * Layouts both sides rely on, pinned: checked by every target build
 * (x86_64, ppc64le, ppc64: both byte orders) and by the host tools.
 */
_Static_assert(sizeof(struct pk_region) == 16, "struct pk_region: 16 bytes");
_Static_assert(sizeof(struct pk_memlog_header) == 32,
	       "struct pk_memlog_header: 32 bytes");
_Static_assert(sizeof(struct pk_symtab_header) == 16,
	       "struct pk_symtab_header: 16 bytes");
_Static_assert(sizeof(struct pk_symtab_entry) == 16,
	       "struct pk_symtab_entry: 16 bytes");
_Static_assert(sizeof(struct pk_memory_map_header) == 16,
	       "struct pk_memory_map_header: 16 bytes");
_Static_assert(sizeof(struct pk_memory_range) == 24,
	       "struct pk_memory_range: 24 bytes");
_Static_assert(sizeof(pk_patch_type_pk_verify_regions) ==
	       PK_MAX_REGIONS * sizeof(struct pk_region),
	       "pk_verify_regions: no padding");

#endif /* PURGKIT_PATCH_H */
