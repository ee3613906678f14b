/* SPDX-License-Identifier: MIT */
/*
 * The memory map the loader wrote after the image (pk_memory_map_table,
 * struct pk_memory_map_header in purgkit/patch.h), in our own byte order.
 */
#include <purgkit/runtime.h>

uint32_t pk_memory_map(const struct pk_memory_range **ranges,
		       uint32_t *entry_size)
{
	const struct pk_memory_map_header *map =
		(const struct pk_memory_map_header *)(uintptr_t)
		pk_memory_map_table;

	/* An entry smaller than ours is not a table we can read. */
	if (!map || map->magic != PK_MEMORY_MAP_MAGIC ||
	    map->entry_size < sizeof(struct pk_memory_range) ||
	    map->entry_size % 8)
		return 0;
	*ranges = (const struct pk_memory_range *)(map + 1);
	*entry_size = map->entry_size;
	return map->count;
}

const char *pk_memory_type_name(uint32_t type)
{
	switch (type) {
	case PK_MEMORY_RAM:
		return "ram";
	case PK_MEMORY_RESERVED:
		return "reserved";
	case PK_MEMORY_ACPI:
		return "acpi";
	case PK_MEMORY_NVS:
		return "nvs";
	case PK_MEMORY_UNUSABLE:
		return "unusable";
	case PK_MEMORY_PMEM:
		return "pmem";
	case PK_MEMORY_LOADED:
		return "loaded";
	default:
		return "?";
	}
}
