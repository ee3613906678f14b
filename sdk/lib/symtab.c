/* SPDX-License-Identifier: MIT */
/*
 * Names for code addresses, from the function table the loader wrote
 * after the image (pk_symbol_table, struct pk_symtab_header in
 * purgkit/patch.h), so that a fault or a panic says where it happened.
 * The table is in our own byte order: the loader wrote it for us.
 */
#include <purgkit/console.h>
#include <purgkit/runtime.h>

static const struct pk_symtab_header *pk_symtab(void)
{
	const struct pk_symtab_header *table =
		(const struct pk_symtab_header *)(uintptr_t)pk_symbol_table;

	if (!table || table->magic != PK_SYMTAB_MAGIC)
		return NULL;
	return table;
}

const char *pk_trampoline_name(void)
{
	const struct pk_symtab_header *table = pk_symtab();

	return table ? (const char *)table + table->name : NULL;
}

const char *pk_symbol_name(uint64_t address, uint64_t *offset)
{
	const struct pk_symtab_header *table = pk_symtab();
	const struct pk_symtab_entry *entry, *best = NULL;
	uint64_t start = (uint64_t)(uintptr_t)pk_image_start;
	uint32_t i;

	if (!table || address < start ||
	    address >= (uint64_t)(uintptr_t)pk_image_end)
		return NULL;
	entry = (const struct pk_symtab_entry *)(table + 1);
	/* Sorted by offset: the last one at or below the address. */
	for (i = 0; i < table->count && entry[i].offset <= address - start;
	     i++)
		best = &entry[i];
	if (!best || (best->size && address - start - best->offset >=
				    best->size))
		return NULL;
	*offset = address - start - best->offset;
	return (const char *)table + best->name;
}

void pk_print_code_address(uint64_t address)
{
	uint64_t start = (uint64_t)(uintptr_t)pk_image_start;
	uint64_t offset;
	const char *name;

	pk_printf("%016llx", (unsigned long long)address);
	if (address < start || address >= (uint64_t)(uintptr_t)pk_image_end) {
		pk_printf(" (outside the trampoline)");
		return;
	}
	pk_printf(" = image %llx + 0x%llx", (unsigned long long)start,
		  (unsigned long long)(address - start));
	name = pk_symbol_name(address, &offset);
	if (name)
		pk_printf(", in %s+0x%llx", name, (unsigned long long)offset);
}
