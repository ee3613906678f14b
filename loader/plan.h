/* SPDX-License-Identifier: MIT */
/*
 * The plan layer: how a payload type turns a file into a kexec plan.
 *
 * A plan is the list of segments that will be passed to kexec_load(2),
 * the memory map they must fit in, and the trampoline that runs between
 * the two kernels.  The core (plan.c, segments.c) owns the rules; a payload
 * type (loader/<arch>/) only says what goes where:
 *
 *   1. detect()  looks at the payload's bytes and says how sure it is;
 *   2. build()   adds the payload's segments (pk_plan_add_segment,
 *                pk_plan_alloc_segment), picks a trampoline and places it
 *                (pk_plan_use_trampoline), and patches the trampoline's
 *                payload-specific symbols (pk_plan_patch_int, pk_plan_patch);
 *   3. the core then reserves the memory log, patches the runtime's
 *      symbols (console, verification regions and SHA-256 digest), copies
 *      the trampoline's bytes into its segment, calls finish() if the type
 *      has one, and checks every kexec segment rule in one place
 *      (pk_plan_check_segments).
 *
 * A payload type registers itself with one line in its own file:
 *
 *	PK_PAYLOAD_TYPE(pk_x86_64_linux_type);
 *
 * and loader/loader.mk compiles every C file in loader/<arch>/, so adding
 * a type touches no other file.
 *
 * The plan builds on the layers below it (util.h, arch.h, memmap.h,
 * options.h); output.h and kexec.h read a finished plan.
 */
#ifndef PURGKIT_LOADER_PLAN_H
#define PURGKIT_LOADER_PLAN_H

#ifndef PK_HOST
#define PK_HOST 1
#endif
#include <purgkit/patch.h>
#include <purgkit/regs.h>
#include <purgkit/trampolines.h>

#include "arch.h"
#include "memmap.h"
#include "options.h"
#include "util.h"

/* kexec_load(2) takes at most this many segments (KEXEC_SEGMENT_MAX). */
#define PK_KEXEC_MAX_SEGMENTS 16
/* kexec_load's KEXEC_ON_CRASH: load into the crash reservation. */
#define PK_KEXEC_ON_CRASH 0x00000001ul

struct pk_segment {
	uint8_t *buf;		/* owned; bufsz bytes, NULL when bufsz is 0 */
	uint64_t bufsz;
	uint64_t dest;		/* page-aligned physical destination */
	uint64_t memsz;		/* page-aligned; bytes past bufsz are zero */
	char what[128];		/* what it holds, for people */
	bool verify;		/* hashed by the trampoline before hand-off */
	bool trampoline;
	/*
	 * Staged: kexec loads it at dest, and the trampoline copies its
	 * bufsz bytes to final_dest, zeroing up to final_memsz (ppc64, for
	 * addresses below the running kernel's end).
	 */
	bool staged;
	uint64_t final_dest;
	uint64_t final_memsz;
};

/* A value written into the trampoline, kept to show it in the plan. */
struct pk_patch_record {
	char *symbol;
	uint8_t *bytes;		/* target byte order */
	uint64_t size;
	bool is_int;
	uint64_t value;		/* when is_int */
	bool from_set;		/* written by --set, not by the loader */
};

struct pk_payload_type;
struct pk_crash;
struct pk_uki;

/*
 * A layer the loader took off an input, shown by --dry-run ("unwrapped"):
 * a UKI's section, a compressed stream, or an initrd left compressed for
 * the kernel.
 */
struct pk_unwrap_record {
	char input[16];		/* "payload", "initrd", "command line" ... */
	char file[288];		/* the file, or "FILE:.section" */
	char format[16];	/* "uki", "zstd" ... */
	char section[12];	/* a UKI's section (".linux"), or "" */
	uint64_t offset;	/* in the file (a UKI section) */
	uint64_t size;		/* bytes taken from the file */
	uint64_t unwrapped_size;	/* after decompression; 0: not */
	char note[160];		/* how it was used, or why not */
};

struct pk_plan {
	const struct pk_arch *arch;
	const struct pk_options *opts;
	struct pk_memmap memmap;
	uint64_t page_size;
	const struct pk_payload_type *type;
	bool type_detected;
	struct pk_file payload;

	struct pk_segment segments[PK_KEXEC_MAX_SEGMENTS];
	size_t segment_count;

	struct pk_reloc *trampoline;
	char trampoline_name[128];	/* "multiboot" or the --purgatory path */
	struct pk_segment *trampoline_segment;	/* valid until finish sorts */
	/*
	 * The function table the runtime names faults with (struct
	 * pk_symtab_header), written after the trampoline's image in its
	 * segment, symtab_offset bytes from its base; NULL when the
	 * trampoline has no pk_symbol_table (built with an older SDK).
	 */
	uint8_t *symtab;
	uint64_t symtab_offset, symtab_size;
	/*
	 * Room for the memory map the trampoline reads (struct
	 * pk_memory_map_header), after the function table in the same
	 * segment; 0 bytes when the trampoline has no pk_memory_map_table.
	 * Written by pk_plan_finish, once every segment is known.
	 */
	uint64_t memory_map_offset, memory_map_size;

	uint64_t entry;			/* kexec entry: the trampoline's */
	uint64_t payload_entry;		/* where the trampoline jumps */
	char payload_entry_what[160];	/* "32-bit protected mode" ... */

	struct pk_patch_record *patches;
	size_t patch_count;

	uint64_t memlog_base, memlog_size;
	uint8_t digest[32];

	/*
	 * A console the payload type found where the machine names it (the
	 * aarch64 device tree's /chosen/stdout-path), used when --console is
	 * not given: PK_CONSOLE_* bits (0: none found) and the MMIO UART.
	 */
	uint32_t found_console;
	uint64_t found_uart_base;
	uint32_t found_uart_reg_shift;

	/* What a payload type keeps between build() and finish() (malloc'd,
	 * freed with the plan), so that no type needs a file-static. */
	void *type_state;

	/* What was taken off the inputs, in order (pk_plan_note_unwrap). */
	struct pk_unwrap_record *unwraps;
	size_t unwrap_count;
	/* A UKI payload's parts (plan.c); NULL when the payload is none. */
	struct pk_plan_uki *uki;

	/* -p: the crash path (crash.c); NULL for a normal load.  While it is
	 * set, memmap holds only the crash reservation segments go in. */
	struct pk_crash *crash;
};

/*
 * A payload type.  detect() reads only the file: 0 means "not mine",
 * more means surer (bzImage 50, multiboot2 40, multiboot 30, elf 10).
 * build() fills the plan as described at the top of this file; finish()
 * (optional) may edit segment bytes once the trampoline's bytes are in
 * its segment, e.g. to copy a payload's first bytes into it.
 */
struct pk_payload_type {
	const char *name;	/* --type value */
	const char *arches;	/* space-separated arch names it serves */
	const char *summary;	/* one line for --help */
	int (*detect)(const struct pk_file *payload,
		      const struct pk_arch *arch);
	int (*build)(struct pk_plan *plan);
	int (*finish)(struct pk_plan *plan);
	/*
	 * The payload options it reads, space-separated ("initrd append
	 * reuse-cmdline"; names in loader/plan.c's pk_payload_options).
	 * Any other payload option given is refused by name.
	 */
	const char *options;
};

#define PK_PAYLOAD_TYPE(type_var)					\
	static const struct pk_payload_type *const type_var##_entry	\
	__attribute__((used, section("pk_payload_types"),		\
		       aligned(sizeof(void *)))) = &(type_var)

/* Every registered type, in link order; *count set. */
const struct pk_payload_type *const *pk_payload_types(size_t *count);
bool pk_payload_type_serves(const struct pk_payload_type *type,
			    const struct pk_arch *arch);

/* Round to the plan's page size. */
uint64_t pk_page_down(const struct pk_plan *plan, uint64_t value);
uint64_t pk_page_up(const struct pk_plan *plan, uint64_t value);

/*
 * Add a segment: buf (malloc'd, ownership passes to the plan, even on
 * failure) holds bufsz bytes for dest, which must be page-aligned; memsz
 * is rounded up to a page.  Refused with a message naming `what` if it is
 * outside usable RAM, overlaps another segment, or is one too many.
 * Returns the segment, or NULL.
 */
struct pk_segment *pk_plan_add_segment(struct pk_plan *plan, void *buf,
				       uint64_t bufsz, uint64_t dest,
				       uint64_t memsz, const char *what, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Like pk_plan_add_segment for data that must sit at an address that need
 * not be page-aligned: the segment starts at the page below and the bytes
 * in front are zero.  data is copied.
 */
struct pk_segment *pk_plan_add_data(struct pk_plan *plan, const void *data,
				    uint64_t size, uint64_t address,
				    uint64_t memsz, const char *what, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Find `size` bytes of usable RAM free of every segment, aligned to
 * `align` (at least a page), in [min, max) (max 0: no limit).  top_down
 * picks the highest such address, else the lowest.  `what` names the
 * segment in the error; NULL asks quietly (no error is recorded), for a
 * caller that will try somewhere else when this place is taken.
 */
int pk_plan_find_free(const struct pk_plan *plan, uint64_t size,
		      uint64_t align, uint64_t min, uint64_t max,
		      bool top_down, uint64_t *address, const char *what);

/* pk_plan_find_free + pk_plan_add_segment; buf passes to the plan (freed
 * on failure too), as with pk_plan_add_segment. */
struct pk_segment *pk_plan_alloc_segment(struct pk_plan *plan, void *buf,
					 uint64_t bufsz, uint64_t memsz,
					 uint64_t align, uint64_t min,
					 uint64_t max, bool top_down,
					 const char *what);

/* Is [start, end) inside usable RAM (and above the kernel's end)? */
bool pk_plan_range_usable(const struct pk_plan *plan, uint64_t start,
			  uint64_t end);

/*
 * Use the built-in trampoline `name` for the plan's arch (or the user's
 * --purgatory file instead), place it in free usable RAM within
 * [min, max) and reserve its segment (memsz includes its zero-fill).
 */
int pk_plan_use_trampoline(struct pk_plan *plan, const char *name,
			   uint64_t min, uint64_t max);

/* Write a trampoline symbol (target byte order) and record it. */
int pk_plan_patch(struct pk_plan *plan, const char *symbol, const void *data,
		  uint64_t size);
/* Write an integer of the symbol's own size (the relocator checks it fits). */
int pk_plan_patch_int(struct pk_plan *plan, const char *symbol,
		      uint64_t value);

/*
 * The same for a symbol of the contract (purgkit/patch.h,
 * purgkit/trampolines.h), named as in C: the compiler refuses a name that
 * is not in the contract, a value that is not of the symbol's own type
 * (so its size cannot drift from the trampolines'), and an integer patch
 * of a structure.
 *
 *	struct pk_x86_64_regs regs = { 0 };
 *	pk_put64(plan->arch, &regs.rip, entry);
 *	PK_PLAN_PATCH(plan, pk_x86_64_regs, &regs);
 *	PK_PLAN_PATCH_INT(plan, pk_real_mode_stub, page);
 */
#define PK_PLAN_PATCH(plan, name, value)				\
	pk_plan_patch(plan, #name, value, sizeof(pk_patch_type_##name) + \
		      0 * sizeof(char[__builtin_types_compatible_p(	\
			      __typeof__(*(value)),			\
			      pk_patch_type_##name) ? 1 : -1]))
#define PK_PLAN_PATCH_INT(plan, name, value)				\
	((void)(pk_patch_type_##name)0,					\
	 pk_plan_patch_int(plan, #name, value))
/* Does the trampoline define this symbol? */
bool pk_plan_has_symbol(struct pk_plan *plan, const char *symbol);

/*
 * The one place that knows kexec_load's segment rules: count, page
 * alignment of destination and size, bufsz <= memsz, no overlap, usable
 * RAM, above the running kernel's end.  Returns 0 or -1 with the rule
 * that broke.
 */
int pk_plan_check_segments(const struct pk_plan *plan);

/*
 * The initrd the payload type loads: --initrd's file, else a UKI's
 * .ucode and .initrd; file->data NULL when there is none.  The bytes are
 * the type's (free them, or pass them to a segment); file->path names
 * them.  A compressed initrd is loaded as it is (the kernel unpacks it)
 * and said in the plan.
 */
int pk_plan_read_initrd(struct pk_plan *plan, struct pk_file *file);
/*
 * The device tree the user gave: --dtb's file, else a UKI's first .dtb;
 * file->data NULL when neither (the type then takes its own default, the
 * running machine's).  The bytes are the caller's; file->path names them.
 */
int pk_plan_read_dtb(const struct pk_plan *plan, struct pk_file *file);
/* Will pk_plan_read_dtb give a tree (--dtb, or a UKI's .dtb)? */
bool pk_plan_gives_dtb(const struct pk_plan *plan);
/* Record a layer taken off an input (see struct pk_unwrap_record). */
struct pk_unwrap_record *pk_plan_note_unwrap(struct pk_plan *plan,
					     const char *input,
					     const char *file,
					     const char *format);
/* Record a file pk_file_inflate decompressed (nothing if it did not). */
void pk_plan_note_inflated(struct pk_plan *plan, const char *input,
			   const struct pk_file *file);

/* Build the whole plan for opts (everything but the system call). */
int pk_plan_build(struct pk_plan *plan, const struct pk_options *opts);
void pk_plan_free(struct pk_plan *plan);

/*
 * The digest the trampoline checks: SHA-256 (libcrypto) of every segment
 * with verify set, each padded with zeros to memsz, in plan order, as one
 * message (pk_sha256_verify_regions).  Stored in plan->digest.
 */
int pk_plan_digest(struct pk_plan *plan);
/* SHA-256 of a segment padded with zeros to memsz (libcrypto). */
int pk_segment_sha256(const struct pk_segment *segment, uint8_t digest[32]);

/* The memory map the payload is told about: the capture map under -p. */
const struct pk_memmap *pk_plan_boot_memmap(const struct pk_plan *plan);
/* The running system's map: what was read, also under -p. */
const struct pk_memmap *pk_plan_system_memmap(const struct pk_plan *plan);
/* kexec_load's flags: the architecture's, plus KEXEC_ON_CRASH under -p. */
unsigned long pk_plan_kexec_flags(const struct pk_plan *plan);

/* ---- built-in trampolines (generated at build time) -------------------- */

struct pk_builtin_trampoline {
	const char *arch;
	const char *name;
	const uint8_t *start;
	const uint8_t *end;
};
extern const struct pk_builtin_trampoline pk_builtin_trampolines[];
extern const size_t pk_builtin_trampoline_count;

#endif /* PURGKIT_LOADER_PLAN_H */
