/* SPDX-License-Identifier: MIT */
/*
 * Memory maps: the ranges a plan's segments must fit in, read from a
 * --memmap file (docs/loader.md) or from the running system (by the
 * architecture's reader, struct pk_arch's read_system_memmap).
 */
#ifndef PURGKIT_LOADER_MEMMAP_H
#define PURGKIT_LOADER_MEMMAP_H

#include "arch.h"
#include "util.h"
#include <purgkit/patch.h>

/* The contract's numbers (purgkit/patch.h), which the memory map the
 * loader writes for the trampoline (pk_memory_map_table) carries. */
enum pk_mem_type {
	PK_MEM_RAM = PK_MEMORY_RAM,	/* usable: segments may go here */
	PK_MEM_RESERVED = PK_MEMORY_RESERVED,
	PK_MEM_ACPI = PK_MEMORY_ACPI,	/* ACPI tables, reclaimable */
	PK_MEM_NVS = PK_MEMORY_NVS,	/* ACPI non-volatile storage */
	PK_MEM_UNUSABLE = PK_MEMORY_UNUSABLE,
	PK_MEM_PMEM = PK_MEMORY_PMEM,	/* persistent memory */
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
	unsigned int line;	/* in the file, for messages; 0: not a file */
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
/*
 * Parse the --memmap file format (docs/loader.md); an "arch" line must
 * name a row of the architecture table (pk_arch_find).
 */
int pk_memmap_read_file(struct pk_memmap *map, const char *path);
/*
 * The same from memory: size bytes named source, not NUL-terminated (a
 * NUL byte inside is refused); bytes is left as it is.
 */
int pk_memmap_parse(struct pk_memmap *map, const char *source,
		    const char *bytes, size_t size);
/* /sys/firmware/memmap's layout (one folder per range: start, end, type). */
int pk_memmap_read_sysfs(struct pk_memmap *map, const char *dir);
/*
 * The running system's memory map from /proc/iomem (loader/iomem.c), for
 * a read_system_memmap hook: each top-level "System RAM" range usable,
 * less the ranges nested in it that the kernel marks "reserved" (arm64:
 * firmware, the device tree, no-map regions), which become reserved;
 * every other top-level range is not RAM (riscv64 lists its no-map
 * regions, OpenSBI's among them, there as "Reserved").
 */
int pk_iomem_system_memmap(struct pk_memmap *map);
/*
 * The same, with more ranges the kernel does not show there reserved too
 * (riscv64: the device tree's reserved-memory, which its /proc/iomem
 * leaves inside System RAM); they may overlap each other.
 */
int pk_iomem_memmap(struct pk_memmap *map, const struct pk_mem_range *also,
		    size_t also_count);
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

#endif /* PURGKIT_LOADER_MEMMAP_H */
