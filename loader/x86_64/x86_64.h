/* SPDX-License-Identifier: MIT */
/*
 * What the x86_64 payload types share: e820 types, conventional memory
 * sizes, boot modules, and a boot-information block (multiboot 1 and 2)
 * whose address is chosen before it is filled in, so pointers inside it
 * can be written as they are made.
 */
#ifndef PURGKIT_LOADER_X86_64_H
#define PURGKIT_LOADER_X86_64_H

#include "plan.h"

#define PK_X86_LOADER_NAME "purgkit " PK_VERSION
#define PK_X86_4G (1ull << 32)

/*
 * The 16-bit hand-off's interrupt state (real16.c): for mode 16, patch
 * pk_bios_irq_restore (1 unless --no-bios-irq-restore) and say which
 * after plan->payload_entry_what; for other modes, refuse
 * --no-bios-irq-restore.  Call after payload_entry_what is written.
 */
int pk_x86_bios_irq(struct pk_plan *plan, int mode);

/* The e820 / multiboot type of a memory map range. */
uint32_t pk_x86_e820_type(enum pk_mem_type type);

/*
 * KiB of usable RAM from 0 (at most 640) and from 1 MiB up to the first
 * hole, as multiboot's mem_lower / mem_upper.
 */
void pk_x86_mem_lower_upper(const struct pk_plan *plan, uint32_t *lower,
			    uint32_t *upper);

struct pk_x86_module {
	uint64_t start, end;	/* end exclusive */
	const char *string;	/* "FILE ARGS" as the user gave it */
};

/*
 * Load addresses from a kernel's own header: Multiboot 1's a.out kludge
 * fields and Multiboot 2's address tag have the same meaning.
 */
struct pk_x86_header_address {
	size_t header_offset;	/* where the header is in the file */
	uint32_t header_addr;	/* where the header lands in memory */
	uint32_t load_addr;	/* <= header_addr */
	uint32_t load_end_addr;	/* 0: to the end of the file */
	uint32_t bss_end_addr;	/* 0: no bss */
};

/*
 * Add the image the header describes as a segment, below 4 GiB.
 * `protocol` ("multiboot") names the fields in errors, `kind` ("a.out
 * kludge image") the segment.  [*load_start, *load_end) receives the
 * image's memory, bss included.
 */
int pk_x86_load_header_address(struct pk_plan *plan, const struct pk_file *file,
			       const struct pk_x86_header_address *address,
			       const char *protocol, const char *kind,
			       uint64_t *load_start, uint64_t *load_end);

struct pk_x86_info {
	uint64_t base;		/* physical address of buf[0] */
	uint8_t *buf;
	size_t capacity, used;
	bool overflowed;	/* a reserve failed; the block is unusable */
	struct pk_x86_module *modules;
	size_t module_count;
};

/*
 * Place every --module, page-aligned, below 4 GiB; records them in info.
 * Call before pk_x86_info_begin.
 */
int pk_x86_load_modules(struct pk_plan *plan, struct pk_x86_info *info);

/*
 * Choose where the information block goes (below 4 GiB, top-down) with
 * room for `fixed` bytes of structures plus every string and the memory
 * map the caller will add.
 */
int pk_x86_info_begin(struct pk_plan *plan, struct pk_x86_info *info,
		      size_t fixed, const char *cmdline);
/* Zeroed room in the block (never moves); NULL with pk_error if full. */
void *pk_x86_info_reserve(struct pk_x86_info *info, size_t size,
			  size_t align);
uint32_t pk_x86_info_address(const struct pk_x86_info *info, const void *p);
/* Copy a string into the block; its physical address. */
uint32_t pk_x86_info_string(struct pk_x86_info *info, const char *text);
/* Add the block as a segment (refused if any reserve failed). */
int pk_x86_info_commit(struct pk_plan *plan, struct pk_x86_info *info,
		       const char *what);
void pk_x86_info_free(struct pk_x86_info *info);

/* Writes a protocol's boot information into a begun block. */
typedef int (*pk_x86_info_fill)(struct pk_plan *plan, struct pk_x86_info *info,
				const char *cmdline);

/*
 * What multiboot 1 and 2 share: load every --module, begin a block with
 * room for `fixed` + `per_module` * modules bytes of structures (strings
 * and the memory map are added by pk_x86_info_begin), let fill() write it,
 * and add it as the segment `what`.  *address receives its address.
 */
int pk_x86_build_boot_info(struct pk_plan *plan, size_t fixed,
			   size_t per_module, pk_x86_info_fill fill,
			   const char *cmdline, const char *what,
			   uint64_t *address);

/* What a kernel's image occupies once loaded, to check its entry. */
struct pk_x86_loaded {
	size_t first_segment;	/* its segments: from here to the plan's end */
	uint64_t start, end;	/* its extent, bss included */
	uint64_t elf_entry;	/* ELF: e_entry made physical */
};

/*
 * Load an ELF kernel's PT_LOADs below 4 GiB.  Refused when the file is
 * not ELF; `kind` says what had to be ("a multiboot2 kernel without an
 * address tag").
 */
int pk_x86_load_elf_kernel(struct pk_plan *plan, const struct pk_file *file,
			   const char *kind, struct pk_x86_loaded *loaded);

/*
 * One rule for every Multiboot kernel: the entry lies in what was
 * loaded, or the plan is refused naming `field` ("multiboot2 entry tag
 * entry_addr") and its value.
 */
int pk_x86_check_entry(const struct pk_plan *plan, const struct pk_file *file,
		       const struct pk_x86_loaded *loaded, uint64_t entry,
		       const char *field);

/*
 * The command line a Multiboot 1 or 2 kernel receives: the payload's
 * file name as the user gave it, then the user's command line
 * (--reuse-cmdline, --append), as GRUB Legacy and kexec-tools write it
 * (docs/contract-x86_64.md says why).  Caller frees.
 */
char *pk_multiboot_command_line(const struct pk_plan *plan);

/*
 * Refuse a file name that cannot be the command line's first word (it
 * holds white space).  `type` is "multiboot" or "multiboot2".  Options
 * a Multiboot kernel does not use are refused by the type's .options.
 */
int pk_multiboot_check_image_name(const struct pk_plan *plan,
				  const char *type);

/*
 * The crash path's x86_64 part (loader/x86_64/crash.c), for the arch row:
 * the reservation from /proc/iomem, the capture kernel's e820 (its own
 * memory only), and the running kernel's direct-map base and image
 * mapping from /proc/kcore for the dump's p_vaddr.
 */
extern const struct pk_crash_arch pk_x86_64_crash_arch;

#endif /* PURGKIT_LOADER_X86_64_H */
