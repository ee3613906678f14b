/* SPDX-License-Identifier: MIT */
/*
 * purgkit-load's internal interface: how a payload type turns a file into
 * a kexec plan.
 *
 * A plan is the list of segments that will be passed to kexec_load(2),
 * the memory map they must fit in, and the trampoline that runs between
 * the two kernels.  The core (plan.c, segments.c) owns the rules; a payload
 * type (loader/x86_64/, loader/ppc64/) only says what goes where:
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
 *	PK_PAYLOAD_TYPE(pk_ppc64_linux_type);
 *
 * and loader/loader.mk compiles every C file in loader/<arch>/, so adding a type
 * touches no other file.
 *
 * Errors: every function that can fail returns 0 or -1.  On -1 the first
 * pk_error() of the run holds one line for the user; main() prints it and
 * exits non-zero.  Nothing reaches the kernel unless the whole plan
 * succeeded.
 */
#ifndef PURGKIT_LOADER_H
#define PURGKIT_LOADER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PK_HOST 1
#include <purgkit/byteorder.h>
#include <purgkit/patch.h>
#include <purgkit/regs.h>
#include <purgkit/reloc.h>
#include <purgkit/trampolines.h>

/* A 64-bit value for printf's %llx/%llu, whatever uint64_t is. */
#define HEX(x) ((unsigned long long)(x))

/* kexec_load(2) takes at most this many segments (KEXEC_SEGMENT_MAX). */
#define PK_KEXEC_MAX_SEGMENTS 16

/* ---- messages ---------------------------------------------------------- */

/* Record the run's error (the first one wins) and return -1. */
int pk_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The recorded error, or NULL. */
const char *pk_error_message(void);
/* Forget it (for a process that builds more than one plan: the fuzzers). */
void pk_error_reset(void);
/* Explain a decision on stderr when -d/--debug is given. */
void pk_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool pk_debug_enabled;

/* ---- files ------------------------------------------------------------- */

struct pk_file {
	const char *path;
	uint8_t *data;
	size_t size;
};

/*
 * Read a whole regular, non-empty file; `what` names it in the error
 * ("initrd", "module").  A FIFO, device or directory is refused before a
 * byte is read, and so is a file larger than the limit (the target's RAM,
 * pk_file_set_limit) -- purgkit/input.h's one reader.
 */
int pk_file_read(const char *path, const char *what, struct pk_file *file);
/*
 * A gzip file (RFC 1952 magic) is replaced by its inflated bytes, bounded
 * like pk_file_read; any other file is left as it is.  Payloads and
 * Multiboot modules go through it, as GRUB and kexec-tools decompress them
 * (Debian ships Xen as xen-*.gz); initrds do not: the kernel unpacks those.
 */
int pk_file_inflate(struct pk_file *file, const char *what);
/* Bound every later pk_file_read; `why` says what bounds it, for people. */
void pk_file_set_limit(uint64_t bytes, const char *why);
void pk_file_free(struct pk_file *file);

/* ---- architectures ----------------------------------------------------- */

struct pk_arch {
	const char *name;		/* "x86_64", "ppc64le", "ppc64" */
	enum pk_reloc_machine machine;	/* what its trampolines are built for */
	uint32_t kexec_flags;		/* KEXEC_ARCH_* for kexec_load */
	uint64_t page_size;		/* the kernel's page size by default */
	bool big_endian;
	uint32_t default_console;	/* PK_CONSOLE_* when no --console */
};

const struct pk_arch *pk_arch_find(const char *name);
/* The architecture this binary runs on. */
const struct pk_arch *pk_arch_host(void);

/*
 * Store integers in the target's byte order (for patches and tables):
 * the loader's side of the one byte-order family (purgkit/byteorder.h).
 * A typed field is filled as pk_put64(arch, &regs.rip, entry).
 */
void pk_put16(const struct pk_arch *arch, void *dst, uint16_t value);
void pk_put32(const struct pk_arch *arch, void *dst, uint32_t value);
void pk_put64(const struct pk_arch *arch, void *dst, uint64_t value);
/* The same for a field whose size (1, 2, 4 or 8) is known at run time. */
void pk_put_uint(const struct pk_arch *arch, void *dst, size_t size,
		 uint64_t value);
uint64_t pk_get_uint(const struct pk_arch *arch, const void *src, size_t size);

/* ---- memory map -------------------------------------------------------- */

enum pk_mem_type {
	PK_MEM_RAM = 1,		/* usable: segments may go here */
	PK_MEM_RESERVED,
	PK_MEM_ACPI,		/* ACPI tables, reclaimable */
	PK_MEM_NVS,		/* ACPI non-volatile storage */
	PK_MEM_UNUSABLE,
	PK_MEM_PMEM,		/* persistent memory */
};

struct pk_mem_range {
	uint64_t start;
	uint64_t end;		/* exclusive */
	enum pk_mem_type type;
};

/* A "KEY VALUE" line of a memory map file that is not a range. */
struct pk_memmap_directive {
	char *key;
	char *value;
};

struct pk_memmap {
	struct pk_mem_range *ranges;	/* sorted by start, not overlapping */
	size_t count;
	size_t capacity;		/* allocated ranges */
	/*
	 * No segment may start below this (ppc64: the running kernel's end);
	 * 0 when there is no such limit.
	 */
	uint64_t kernel_end;
	uint64_t page_size;		/* 0: the architecture's default */
	const char *arch_name;		/* from an "arch" line, or NULL */
	struct pk_memmap_directive *directives;
	size_t directive_count;
	char source[128];		/* "/sys/firmware/memmap" or the file */
};

int pk_memmap_add(struct pk_memmap *map, uint64_t start, uint64_t end,
		  enum pk_mem_type type);
/* Parse the --memmap file format (docs/loader.md). */
int pk_memmap_read_file(struct pk_memmap *map, const char *path);
/* The same from memory: text (size bytes, edited in place) named source. */
int pk_memmap_parse(struct pk_memmap *map, const char *source, char *text,
		    size_t size);
/* x86_64: /sys/firmware/memmap. */
int pk_memmap_read_sysfs(struct pk_memmap *map, const char *dir);
/*
 * Split a directive's value into exactly count numbers (the one integer
 * grammar); -1 with *why ("has too few fields", or the number's fault).
 */
int pk_memmap_directive_numbers(const char *value, uint64_t *numbers,
				size_t count, const char **why);
/* The value of a directive line, or NULL. */
const char *pk_memmap_directive(const struct pk_memmap *map, const char *key);
const char *pk_mem_type_name(enum pk_mem_type type);
void pk_memmap_free(struct pk_memmap *map);

/*
 * Provided by loader/ppc64 when it is built: read the running system's
 * memory map (device-tree memory nodes and reserved ranges, kernel end).
 */
int pk_ppc64_system_memmap(struct pk_memmap *map) __attribute__((weak));

/* ---- options ----------------------------------------------------------- */

struct pk_module_option {
	char *path;
	char *string;		/* "FILE ARGS" as the user gave it */
};

struct pk_reg_option {
	char *name;		/* "rax", "esp", "cs", "r3" ... */
	uint64_t value;
};

struct pk_set_option {
	char *symbol;
	char *value;		/* as pk_reloc_set_value parses it */
};

struct pk_options {
	const char *payload;
	const char *type;		/* --type, NULL: detect */
	const char *arch;		/* --arch, NULL: memmap's, else host */
	const char *initrd;
	const char *command_line;	/* --append/--command-line */
	bool reuse_cmdline;
	const char *dtb;
	const char *purgatory;		/* --purgatory=FILE.ro */
	struct pk_set_option *sets;
	size_t set_count;
	struct pk_module_option *modules;
	size_t module_count;
	struct pk_reg_option *regs;
	size_t reg_count;

	bool console_given;
	uint32_t console_mask;
	uint32_t serial_port;
	uint32_t serial_baud;
	uint64_t memlog_base;		/* 0: the loader reserves one */

	bool no_checks;
	bool have_secondary_entry;
	uint64_t secondary_entry;
	bool have_address;
	uint64_t address;
	bool have_entry;
	uint64_t entry;
	int mode;			/* 64, 32, 16; 0: the type's default */
	bool real_mode;			/* --real-mode (sets mode 16) */

	bool dry_run;
	bool json;
	const char *memmap_file;
	const char *dump_dir;		/* --dump-segments */
	int corrupt_segment;		/* --test-corrupt-segment, -1: none */
	bool load_panic;		/* -p: a capture kernel (crash.c) */
};

/*
 * The final command line: --reuse-cmdline's /proc/cmdline (without
 * BOOT_IMAGE=), then --append.  Never NULL; caller frees.
 */
char *pk_options_command_line(const struct pk_options *opts);

/* ---- the plan ---------------------------------------------------------- */

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
};

struct pk_payload_type;
struct pk_crash;

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

	uint64_t entry;			/* kexec entry: the trampoline's */
	uint64_t payload_entry;		/* where the trampoline jumps */
	char payload_entry_what[160];	/* "32-bit protected mode" ... */

	struct pk_patch_record *patches;
	size_t patch_count;

	uint64_t memlog_base, memlog_size;
	uint8_t digest[32];

	/* What a payload type keeps between build() and finish() (malloc'd,
	 * freed with the plan), so that no type needs a file-static. */
	void *type_state;

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
	 * reuse-cmdline"; names in loader/main.c's pk_payload_options).
	 * Any other payload option given is refused by name.
	 */
	const char *options;
};

/* Refuse a payload option (--initrd, --module...) the type does not read. */
int pk_options_check_type(const struct pk_options *opts,
			  const struct pk_payload_type *type,
			  const struct pk_arch *arch);

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

/* Build the whole plan for opts (everything but the system call). */
int pk_plan_build(struct pk_plan *plan, const struct pk_options *opts);
void pk_plan_free(struct pk_plan *plan);

/* Show the plan: text for people, or JSON; -1 if stdout failed. */
int pk_plan_print(const struct pk_plan *plan, bool json);
/* Flush stdout; -1 with one line if anything written to it was lost. */
int pk_stdout_flush(void);
/* Call first in main: hold closed fds 0-2 so no file lands on them. */
void pk_guard_standard_fds(void);
/* Write each segment's bytes to DIR/segment-N.bin. */
int pk_plan_dump_segments(const struct pk_plan *plan, const char *dir);

/*
 * The digest the trampoline checks: SHA-256 (libcrypto) of every segment
 * with verify set, each padded with zeros to memsz, in plan order, as one
 * message (pk_sha256_verify_regions).  Stored in plan->digest.
 */
int pk_plan_digest(struct pk_plan *plan);
/* SHA-256 of a segment padded with zeros to memsz (libcrypto). */
int pk_segment_sha256(const struct pk_segment *segment, uint8_t digest[32]);

/* ---- the crash path: -p, a capture kernel (crash.c) ------------------- */

/* At most this many "Crash kernel" ranges (crashkernel= and ,low). */
#define PK_CRASH_MAX_RESERVATIONS 4

/* One CPU's crash notes buffer (/sys/devices/system/cpu/cpuN/crash_notes). */
struct pk_crash_note {
	uint32_t cpu;
	uint64_t address, size;
};

struct pk_crash {
	/* Every "Crash kernel" range, sorted; segments go in the one at
	 * placement (the kernel's crashk_res; the other is crashk_low_res). */
	struct pk_mem_range reservations[PK_CRASH_MAX_RESERVATIONS];
	size_t reservation_count, placement;
	char reservation_source[160];
	/* The running kernel's memory map, as read (plan->memmap then holds
	 * only the placement reservation). */
	struct pk_memmap system;
	/* What the capture kernel is told its memory is (x86_64: its e820). */
	struct pk_memmap capture;
	struct pk_crash_note *notes;
	size_t note_count;
	uint64_t vmcoreinfo_address, vmcoreinfo_size;	/* size 0: none */
	/* Where the running kernel maps memory, for the PT_LOADs' p_vaddr
	 * (what a debugger reads the dump by): its direct map's base
	 * (x86_64's page_offset_base, randomized under KASLR), and its
	 * image's mapping, _text to _end, at kernel_vaddr, physically at
	 * kernel_paddr.  0 (size 0) when not known: p_vaddr is then 0 and
	 * the header has no PT_LOAD for the image.  From /proc/kcore
	 * (loader/x86_64/crash.c) or a --memmap file's "direct-map" and
	 * "kernel-image" lines. */
	uint64_t direct_map;
	uint64_t kernel_vaddr, kernel_paddr, kernel_size;
	char vaddr_source[160];
	/* The old kernel's RAM the dump shows: one PT_LOAD each. */
	struct pk_mem_range *loads;
	size_t load_count;
	uint64_t header_address, header_size;	/* the ELF core header */
	/* ppc64: where the trampoline copies the first backup_size bytes of
	 * memory (0, 0 on x86_64, which needs no backup). */
	uint64_t backup_address, backup_size;
	/* The user's options with elfcorehdr= on the command line. */
	struct pk_options opts;
	char *command_line;
};

/*
 * Before the payload type's build(): read the reservation, the crash notes
 * and VMCOREINFO, confine plan->memmap to the reservation, place and write
 * the ELF core header, and put elfcorehdr= on the command line.
 */
int pk_crash_prepare(struct pk_plan *plan);
void pk_crash_free(struct pk_crash *crash);
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

/* ---- the kernel -------------------------------------------------------- */

int pk_kexec_load(const struct pk_plan *plan);
/* Drop the loaded image: the capture kernel when crash is set. */
int pk_kexec_unload(const struct pk_arch *arch, bool crash);
int pk_kexec_reboot(void);
/*
 * -S/--status: print whether a normal and a crash image are loaded;
 * *loaded says whether the one asked for (crash or normal) is.
 */
int pk_kexec_status(bool crash, bool *loaded);

/* ---- ELF payloads (libelf) --------------------------------------------- */

struct pk_elf_info {
	int elf_class;		/* ELFCLASS32 or ELFCLASS64 */
	uint16_t machine;	/* EM_* */
	bool big_endian;
	uint64_t entry;		/* physical: e_entry through its PT_LOAD */
	bool entry_loaded;	/* e_entry lies in a PT_LOAD (else untranslated) */
	uint64_t lowest;	/* lowest physical address loaded */
	uint64_t highest;	/* end of the highest, zero-fill included */
};

/* One non-empty PT_LOAD program header (index: its place in the file). */
struct pk_elf_load {
	uint64_t paddr, vaddr, offset, filesz, memsz;
	size_t index;
};

/*
 * The loader's one PT_LOAD walker: every non-empty PT_LOAD of file,
 * checked (inside the file, p_filesz <= p_memsz, no wrap-around, no two
 * overlapping) and sorted by p_paddr into *loads (malloc'd, *count set);
 * info filled, e_entry translated through its PT_LOAD when it lies in one.
 */
int pk_elf_walk(const struct pk_file *file, struct pk_elf_info *info,
		struct pk_elf_load **loads, size_t *count);

/* Is this an ELF file libelf can read?  Fills info (entry untranslated). */
bool pk_elf_probe(const struct pk_file *file, struct pk_elf_info *info);
/*
 * Add the PT_LOAD program headers at their physical addresses, as few
 * segments as the page size allows (neighbours sharing a page are
 * merged); every byte must end below `limit` (0: none), and e_entry must
 * lie in a PT_LOAD unless --entry replaces it.
 */
int pk_elf_load(struct pk_plan *plan, const struct pk_file *file,
		uint64_t limit, struct pk_elf_info *info);

/* ---- small helpers shared by payload types ----------------------------- */

/*
 * Parse an integer in the one grammar (purgkit/input.h, docs/loader.md:
 * decimal, or hex with 0x; no sign, suffix or leading zero).  pk_parse_u64
 * only says no; pk_parse_number records "WHAT: 'TEXT' why".
 */
int pk_parse_u64(const char *text, uint64_t *value);
int pk_parse_number(const char *what, const char *text, uint64_t *value);
/* Is word one of the space-separated words of list (NULL: none)? */
bool pk_word_in(const char *list, const char *word);
/* Allocation that cannot fail: on exhaustion, one line and exit(1). */
void *pk_xzalloc(size_t size);
void *pk_xrealloc(void *old, size_t size);
char *pk_xstrdup(const char *text);

#endif /* PURGKIT_LOADER_H */
