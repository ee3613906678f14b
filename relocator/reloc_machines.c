/* SPDX-License-Identifier: MIT */
/*
 * The machine table: which objects the relocator places, read from the
 * rows the backends declare (pk_reloc_rows_<arch>, PK_RELOC_BACKENDS in
 * reloc_internal.h).  An object whose class, byte order, e_machine or
 * ABI no row takes is refused here with one line that says which rows
 * there are, so a build without a backend says so instead of relocating
 * with another machine's rules.
 */
#include <byteswap.h>
#include <stdio.h>
#include <string.h>

#include "reloc_internal.h"

#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

#define PK_RELOC_ROWS(arch) pk_reloc_rows_##arch,
static const struct pk_reloc_machine_row *const backends[] = {
	PK_RELOC_BACKENDS(PK_RELOC_ROWS)
};
#define BACKEND_COUNT (sizeof(backends) / sizeof(backends[0]))

/*
 * Names of well-known machines, only for messages ("machine 183
 * (aarch64)"), so that a refusal says what the object is for.
 */
static const struct {
	uint16_t e_machine;
	const char *name;
} known_machines[] = {
	{ EM_386, "i386" },		{ EM_MIPS, "mips" },
	{ EM_PPC, "ppc" },		{ EM_PPC64, "ppc64" },
	{ EM_S390, "s390" },		{ EM_ARM, "arm" },
	{ EM_SPARCV9, "sparc64" },	{ EM_IA_64, "ia64" },
	{ EM_X86_64, "x86_64" },	{ EM_AARCH64, "aarch64" },
	{ EM_RISCV, "riscv" },		{ EM_LOONGARCH, "loongarch" },
};

static const char *known_name(uint16_t e_machine)
{
	for (size_t i = 0; i < sizeof(known_machines) /
			       sizeof(known_machines[0]); i++)
		if (known_machines[i].e_machine == e_machine)
			return known_machines[i].name;
	return NULL;
}

/* Calls fn on every row until it returns non-zero; returns that row. */
static const struct pk_reloc_machine_row *
find_row(int (*fn)(const struct pk_reloc_machine_row *, const void *),
	 const void *arg)
{
	for (size_t b = 0; b < BACKEND_COUNT; b++)
		for (const struct pk_reloc_machine_row *row = backends[b];
		     row->name; row++)
			if (fn(row, arg))
				return row;
	return NULL;
}

static int has_class(const struct pk_reloc_machine_row *row, const void *arg)
{
	return row->elf_class == *(const unsigned char *)arg;
}

static int has_machine(const struct pk_reloc_machine_row *row,
		       const void *arg)
{
	return row->e_machine == *(const uint16_t *)arg;
}

struct header_key {
	uint16_t e_machine;
	unsigned char elf_class, elf_data;
};

static int has_header(const struct pk_reloc_machine_row *row,
		      const void *arg)
{
	const struct header_key *k = arg;

	return row->e_machine == k->e_machine &&
	       row->elf_class == k->elf_class && row->elf_data == k->elf_data;
}

/* "x86_64, ppc64le, ppc64": every row's name, in table order. */
static const char *supported(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (size_t b = 0; b < BACKEND_COUNT; b++)
		for (const struct pk_reloc_machine_row *row = backends[b];
		     row->name && used < len; row++)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? ", " : "", row->name);
	return buf;
}

/* A machine's name for messages: the well-known one, else a row's. */
static const char *machine_label(uint16_t e_machine)
{
	const struct pk_reloc_machine_row *row;
	const char *name = known_name(e_machine);

	if (name)
		return name;
	row = find_row(has_machine, &e_machine);
	return row ? row->name : "?";
}

int pk_reloc_check_ident(struct pk_reloc *r, const GElf_Ehdr *eh,
			 const char *ident)
{
	unsigned char elf_class = (unsigned char)ident[EI_CLASS];
	uint16_t m = eh->e_machine, swapped = bswap_16(eh->e_machine);
	struct header_key key;
	char list[256];

	if (!find_row(has_class, &elf_class))
		return pk_fail(r, "ELF class %d is not supported (only 64-bit "
			       "objects: %s)", ident[EI_CLASS],
			       supported(list, sizeof(list)));
	if (ident[EI_DATA] != ELFDATA2LSB && ident[EI_DATA] != ELFDATA2MSB)
		return pk_fail(r, "unknown ELF byte order %d", ident[EI_DATA]);
	r->big_endian = ident[EI_DATA] == ELFDATA2MSB;
	/*
	 * A machine that reads right only in the other byte order means
	 * e_ident[EI_DATA] lies: say so, not "type 256 is not ET_REL".
	 */
	if (!find_row(has_machine, &m) && find_row(has_machine, &swapped))
		return pk_fail(r, "e_ident[EI_DATA] %d says %s-endian, but "
			       "e_machine (0x%x) is %s only read %s-endian",
			       ident[EI_DATA], r->big_endian ? "big" : "little",
			       m, machine_label(swapped),
			       r->big_endian ? "little" : "big");
	/* A machine of one byte order only, given the other. */
	key = (struct header_key){ m, elf_class, (unsigned char)ident[EI_DATA] };
	if (find_row(has_machine, &m) && !find_row(has_header, &key))
		return pk_fail(r, "e_ident[EI_DATA] %d says %s-endian, but "
			       "%s objects are %s-endian", ident[EI_DATA],
			       r->big_endian ? "big" : "little",
			       machine_label(m),
			       r->big_endian ? "little" : "big");
	return 0;
}

int pk_reloc_match_machine(struct pk_reloc *r, const GElf_Ehdr *eh,
			   const char *ident)
{
	const struct pk_reloc_machine_row *row;
	struct header_key key = {
		eh->e_machine, (unsigned char)ident[EI_CLASS],
		(unsigned char)ident[EI_DATA],
	};
	const char *name = known_name(eh->e_machine);
	char list[256];

	row = find_row(has_header, &key);
	if (!row)
		return pk_fail(r, "machine %u%s%s%s is not supported by this "
			       "build (supported: %s)", eh->e_machine,
			       name ? " (" : "", name ? name : "",
			       name ? ")" : "", supported(list, sizeof(list)));
	if (row->abi_mask &&
	    (eh->e_flags & row->abi_mask) == row->abi_refused)
		return pk_fail(r, "%s", row->abi_refusal);
	r->row = row;
	r->machine = row->machine;
	return 0;
}
