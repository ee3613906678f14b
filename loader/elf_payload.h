/* SPDX-License-Identifier: MIT */
/* ELF payloads (libelf), for the payload types. */
#ifndef PURGKIT_LOADER_ELF_PAYLOAD_H
#define PURGKIT_LOADER_ELF_PAYLOAD_H

#include "plan.h"

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

#endif /* PURGKIT_LOADER_ELF_PAYLOAD_H */
