/* SPDX-License-Identifier: MIT */
/*
 * The running system's memory map from /proc/iomem (memmap.h), for the
 * architectures without x86's /sys/firmware/memmap (aarch64, riscv64):
 * its "System RAM" less the "reserved" children the kernel nests in it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memmap.h"

#define PK_IOMEM "/proc/iomem"

struct iomem_range {
	uint64_t start, end;	/* end exclusive */
};

/* "  40000000-4fffffff : name": depth (indent / 2), range, name. */
static bool iomem_line(const char *line, int *depth, uint64_t *start,
		       uint64_t *end, const char **name)
{
	const char *p = line;
	unsigned long long a, b;
	int n = 0;

	while (*p == ' ')
		p++;
	*depth = (int)(p - line) / 2;
	if (sscanf(p, "%llx-%llx : %n", &a, &b, &n) != 2 || !n || b < a)
		return false;
	*start = a;
	*end = b + 1;
	*name = p + n;
	return true;
}

/* Add [start, end) of RAM less the sorted reserved ranges inside it. */
static int add_ram(struct pk_memmap *map, uint64_t start, uint64_t end,
		   const struct iomem_range *reserved, size_t count)
{
	uint64_t at = start;

	for (size_t i = 0; i < count; i++) {
		uint64_t rs = reserved[i].start, re = reserved[i].end;

		/* Sorted by start; they may overlap (the caller's with
		 * the kernel's): what is already reserved is skipped. */
		if (re <= at || rs >= end)
			continue;
		if (rs > at && pk_memmap_add(map, at, rs, PK_MEM_RAM))
			return -1;
		if (pk_memmap_add(map, rs > at ? rs : at, re < end ? re : end,
				  PK_MEM_RESERVED))
			return -1;
		at = re;
	}
	if (at < end && pk_memmap_add(map, at, end, PK_MEM_RAM))
		return -1;
	return 0;
}

static int compare_ranges(const void *a, const void *b)
{
	const struct iomem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int pk_iomem_system_memmap(struct pk_memmap *map)
{
	return pk_iomem_memmap(map, NULL, 0);
}

int pk_iomem_memmap(struct pk_memmap *map, const struct pk_mem_range *also,
		    size_t also_count)
{
	FILE *f = fopen(PK_IOMEM, "r");
	struct iomem_range ram = { 0, 0 }, *reserved = NULL;
	size_t count = 0;
	char line[256];
	int ret = 0;

	snprintf(map->source, sizeof(map->source), "%s", PK_IOMEM);
	if (!f)
		return pk_error("%s: %s (the memory map; --memmap=FILE "
				"gives one)", PK_IOMEM, strerror(errno));
	for (;;) {
		bool more = fgets(line, sizeof(line), f) != NULL;
		uint64_t start = 0, end = 0;
		const char *name = "";
		int depth = 0;

		if (more) {
			line[strcspn(line, "\n")] = '\0';
			if (!iomem_line(line, &depth, &start, &end, &name))
				continue;
		}
		/* A new top-level range (or the end) closes the RAM one. */
		if (!more || depth == 0) {
			if (ram.end) {
				/* The caller's reserved ranges in it. */
				for (size_t i = 0; i < also_count; i++) {
					if (also[i].end <= ram.start ||
					    also[i].start >= ram.end)
						continue;
					reserved = pk_xrealloc(reserved,
						(count + 1) * sizeof(*reserved));
					reserved[count++] = (struct iomem_range){
						also[i].start, also[i].end };
				}
				qsort(reserved, count, sizeof(*reserved),
				      compare_ranges);
				if (add_ram(map, ram.start, ram.end, reserved,
					    count)) {
					ret = -1;
					break;
				}
			}
			ram.end = 0;
			count = 0;
			if (!more)
				break;
			if (!strcmp(name, "System RAM"))
				ram = (struct iomem_range){ start, end };
			continue;
		}
		if (ram.end && !strcmp(name, "reserved")) {
			reserved = pk_xrealloc(reserved,
					       (count + 1) * sizeof(*reserved));
			reserved[count++] = (struct iomem_range){ start, end };
		}
	}
	fclose(f);
	free(reserved);
	if (!ret && !map->count)
		ret = pk_error("%s has no System RAM (run as root: it shows "
			       "zeros to others)", PK_IOMEM);
	return ret;
}
