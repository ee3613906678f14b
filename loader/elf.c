/* SPDX-License-Identifier: MIT */
/*
 * ELF payloads through libelf: their PT_LOAD program headers become
 * segments at their physical addresses.
 */
#include <stdlib.h>
#include <string.h>

#include <gelf.h>
#include <libelf.h>

#include "elf_payload.h"

static Elf *pk_elf_begin(const struct pk_file *file)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return NULL;
	return elf_memory((char *)file->data, file->size);
}

bool pk_elf_probe(const struct pk_file *file, struct pk_elf_info *info)
{
	GElf_Ehdr ehdr;
	Elf *elf;
	bool ok;

	if (file->size < EI_NIDENT || memcmp(file->data, ELFMAG, SELFMAG))
		return false;
	elf = pk_elf_begin(file);
	ok = elf && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &ehdr);
	if (ok) {
		memset(info, 0, sizeof(*info));
		info->elf_class = ehdr.e_ident[EI_CLASS];
		info->machine = ehdr.e_machine;
		info->big_endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
		info->entry = ehdr.e_entry;
	}
	elf_end(elf);
	return ok;
}

static int pk_elf_load_compare(const void *a, const void *b)
{
	const struct pk_elf_load *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/*
 * The loader's one PT_LOAD walker: every rule an ELF payload's program
 * headers must obey is checked here, once, for every payload type.
 */
int pk_elf_walk(const struct pk_file *file, struct pk_elf_info *info,
		struct pk_elf_load **loads_out, size_t *count_out)
{
	struct pk_elf_load *loads = NULL;
	size_t phnum, count = 0;
	GElf_Ehdr ehdr;
	Elf *elf;
	int ret = -1;

	*loads_out = NULL;
	*count_out = 0;
	elf = pk_elf_begin(file);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &ehdr) ||
	    elf_getphdrnum(elf, &phnum)) {
		pk_error("%s: not a readable ELF file: %s", file->path,
			 elf_errmsg(-1));
		goto out;
	}
	if (!pk_elf_probe(file, info))
		goto out;
	/* libelf reads its own idea of a program header, whatever this says. */
	if (phnum && ehdr.e_phentsize != gelf_fsize(elf, ELF_T_PHDR, 1,
						    EV_CURRENT)) {
		pk_error("%s: e_phentsize %u is not the %zu bytes of an "
			 "ELF%d program header", file->path, ehdr.e_phentsize,
			 gelf_fsize(elf, ELF_T_PHDR, 1, EV_CURRENT),
			 ehdr.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32);
		goto out;
	}
	loads = pk_xzalloc((phnum ? phnum : 1) * sizeof(*loads));
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph)) {
			pk_error("%s: program header %zu unreadable: %s",
				 file->path, i, elf_errmsg(-1));
			goto out;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz) {
			pk_error("%s: program header %zu: p_filesz 0x%llx is "
				 "larger than p_memsz 0x%llx", file->path, i,
				 HEX(ph.p_filesz), HEX(ph.p_memsz));
			goto out;
		}
		if (ph.p_offset > file->size ||
		    ph.p_filesz > file->size - ph.p_offset) {
			pk_error("%s: program header %zu: p_offset 0x%llx + "
				 "p_filesz 0x%llx is past the end of the "
				 "0x%llx-byte file (truncated?)", file->path,
				 i, HEX(ph.p_offset), HEX(ph.p_filesz),
				 HEX(file->size));
			goto out;
		}
		if (ph.p_paddr + ph.p_memsz < ph.p_paddr) {
			pk_error("%s: program header %zu: p_paddr 0x%llx + "
				 "p_memsz 0x%llx wraps around the address "
				 "space", file->path, i, HEX(ph.p_paddr),
				 HEX(ph.p_memsz));
			goto out;
		}
		/* The entry is a virtual address; find its physical one. */
		if (!info->entry_loaded && ehdr.e_entry >= ph.p_vaddr &&
		    ehdr.e_entry - ph.p_vaddr < ph.p_memsz) {
			info->entry = ehdr.e_entry - ph.p_vaddr + ph.p_paddr;
			info->entry_loaded = true;
		}
		loads[count++] = (struct pk_elf_load){
			ph.p_paddr, ph.p_vaddr, ph.p_offset, ph.p_filesz,
			ph.p_memsz, i,
		};
	}
	if (!count) {
		pk_error("%s: no PT_LOAD program headers: nothing to load",
			 file->path);
		goto out;
	}
	qsort(loads, count, sizeof(*loads), pk_elf_load_compare);
	info->lowest = loads[0].paddr;
	info->highest = 0;
	for (size_t i = 0; i < count; i++) {
		uint64_t end = loads[i].paddr + loads[i].memsz;

		if (end > info->highest)
			info->highest = end;
		if (i > 0 && loads[i].paddr < loads[i - 1].paddr +
						      loads[i - 1].memsz) {
			pk_error("%s: program header %zu (PT_LOAD at 0x%llx) "
				 "overlaps program header %zu (at 0x%llx)",
				 file->path, loads[i].index,
				 HEX(loads[i].paddr), loads[i - 1].index,
				 HEX(loads[i - 1].paddr));
			goto out;
		}
	}
	*loads_out = loads;
	*count_out = count;
	loads = NULL;
	ret = 0;
out:
	free(loads);
	elf_end(elf);
	return ret;
}

/* One segment for the loads [first, last], which share or touch pages. */
static int pk_elf_add_group(struct pk_plan *plan, const struct pk_file *file,
			    const struct pk_elf_load *loads, size_t first,
			    size_t last)
{
	uint64_t start = pk_page_down(plan, loads[first].paddr);
	uint64_t end = 0, file_end = 0;
	uint8_t *buf;

	for (size_t i = first; i <= last; i++) {
		if (loads[i].paddr + loads[i].memsz > end)
			end = loads[i].paddr + loads[i].memsz;
		if (loads[i].filesz &&
		    loads[i].paddr + loads[i].filesz > file_end)
			file_end = loads[i].paddr + loads[i].filesz;
	}
	buf = pk_xzalloc(file_end > start ? file_end - start : 1);
	for (size_t i = first; i <= last; i++)
		memcpy(buf + (loads[i].paddr - start),
		       file->data + loads[i].offset, loads[i].filesz);
	return pk_plan_add_segment(plan, buf,
				   file_end > start ? file_end - start : 0,
				   start, end - start,
				   "%s PT_LOAD %zu-%zu", file->path, first,
				   last) ? 0 : -1;
}

int pk_elf_load(struct pk_plan *plan, const struct pk_file *file,
		uint64_t limit, struct pk_elf_info *info)
{
	struct pk_elf_load *loads;
	size_t count, first = 0;
	int ret = -1;

	if (pk_elf_walk(file, info, &loads, &count))
		return -1;
	/*
	 * One rule for every type: the entry must be a loaded byte, unless
	 * the user named the entry (--entry) and the ELF's is not used.
	 */
	if (!info->entry_loaded && !plan->opts->have_entry) {
		pk_error("%s: e_entry 0x%llx lies in no PT_LOAD program "
			 "header: it would jump into memory nothing was "
			 "loaded to", file->path, HEX(info->entry));
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		uint64_t end = loads[i].paddr + loads[i].memsz;

		if (limit && end > limit) {
			pk_error("%s: program header %zu at 0x%llx-0x%llx is "
				 "above the 0x%llx this hand-off can reach",
				 file->path, loads[i].index,
				 HEX(loads[i].paddr), HEX(end - 1),
				 HEX(limit));
			goto out;
		}
		/* Loads sharing a page must be one kexec segment. */
		if (i + 1 < count &&
		    pk_page_down(plan, loads[i + 1].paddr) <=
			    pk_page_up(plan, end) - 1)
			continue;
		if (pk_elf_add_group(plan, file, loads, first, i))
			goto out;
		first = i + 1;
	}
	ret = 0;
out:
	free(loads);
	return ret;
}
