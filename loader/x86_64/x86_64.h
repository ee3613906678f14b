/* SPDX-License-Identifier: MIT */
/*
 * What the x86_64 payload types share: e820 types, conventional memory
 * sizes, boot modules, and a boot-information block (multiboot 1 and 2)
 * whose address is chosen before it is filled in, so pointers inside it
 * can be written as they are made.
 */
#ifndef PURGKIT_LOADER_X86_64_H
#define PURGKIT_LOADER_X86_64_H

#include "loader.h"

#define PK_X86_LOADER_NAME "purgkit " PK_VERSION
#define PK_X86_4G (1ull << 32)

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
	const char *string;	/* "FILE ARGS" */
};

struct pk_x86_info {
	uint64_t base;		/* physical address of buf[0] */
	uint8_t *buf;
	size_t capacity, used;
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
/* Add the block as a segment. */
int pk_x86_info_commit(struct pk_plan *plan, struct pk_x86_info *info,
		       const char *what);
void pk_x86_info_free(struct pk_x86_info *info);

#endif /* PURGKIT_LOADER_X86_64_H */
