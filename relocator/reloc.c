/* SPDX-License-Identifier: MIT */
/*
 * The relocator's generic part: read and check an ET_REL with libelf,
 * lay its allocated sections out, resolve symbols, drive the per-machine
 * relocation code, and patch symbols.  See purgkit/reloc.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PK_HOST 1
#include <purgkit/patch.h>

#include <purgkit/input.h>

#include "reloc_internal.h"

/* Nothing a trampoline needs comes near this; it bounds hostile sizes. */
/* Sections an object may have (extended numbering included). */
#define PK_RELOC_MAX_SECTIONS (1u << 17)

#ifndef PK_RELOC_MAX_IMAGE
#define PK_RELOC_MAX_IMAGE (1ull << 30)
#endif
#define PK_RELOC_MAX_ALIGN (1ull << 24)

int pk_fail(struct pk_reloc *r, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	/* "NAME: message"; r->name is shorter than r->error. */
	n = (size_t)snprintf(r->error, sizeof(r->error), "%s: ", r->name);
	if (n >= sizeof(r->error))
		n = sizeof(r->error) - 1;
	va_start(ap, fmt);
	vsnprintf(r->error + n, sizeof(r->error) - n, fmt, ap);
	va_end(ap);
	return -1;
}

uint64_t pk_reloc_get(const struct pk_reloc *r, const uint8_t *p, int bytes)
{
	return pk_load_uint(p, bytes, r->big_endian);
}

void pk_reloc_put(const struct pk_reloc *r, uint8_t *p, int bytes, uint64_t v)
{
	pk_store_uint(p, bytes, r->big_endian, v);
}

uint64_t pk_section_address(const struct pk_reloc *r, size_t i)
{
	return r->base + r->sec[i].offset;
}

long pk_reloc_got_slot(struct pk_reloc *r, size_t sym, int add)
{
	size_t i;

	for (i = 0; i < r->ngot; i++)
		if (r->got[i].sym == sym)
			return (long)i;
	if (!add)
		return -1;
	if (r->ngot == r->got_cap) {
		size_t cap = r->got_cap ? 2 * r->got_cap : 16;
		struct pk_got_entry *g = realloc(r->got, cap * sizeof(*g));

		if (!g)
			return -1;
		r->got = g;
		r->got_cap = cap;
	}
	r->got[r->ngot].sym = sym;
	return (long)r->ngot++;
}

uint64_t pk_symbol_address(const struct pk_reloc *r, size_t i)
{
	const struct pk_symbol *s = &r->sym[i];

	if (s->shndx == SHN_ABS)
		return s->value;
	if (s->shndx == SHN_UNDEF) {
		/* The GOT or TOC base, as its backend places it. */
		if (r->row->got_symbol && !strcmp(s->name, r->row->got_symbol))
			return r->row->arch->got_address(r);
		/* Only weak symbols get here: ld resolves them to 0. */
		return 0;
	}
	return pk_section_address(r, s->shndx) + s->value;
}

struct pk_reloc_site pk_reloc_site(struct pk_reloc *r, size_t s,
				   const GElf_Rela *rel)
{
	size_t sym = GELF_R_SYM(rel->r_info);

	return (struct pk_reloc_site){
		.type = GELF_R_TYPE(rel->r_info),
		.sym = sym,
		.field = r->image + r->sec[s].offset + rel->r_offset,
		.S = pk_symbol_address(r, sym),
		.P = pk_section_address(r, s) + rel->r_offset,
		.A = (uint64_t)rel->r_addend,
	};
}

const char *pk_symbol_label(const struct pk_reloc *r, size_t i)
{
	const struct pk_symbol *s = &r->sym[i];

	if (s->type == STT_SECTION && s->shndx < r->nsec)
		return r->sec[s->shndx].name;
	return s->name[0] ? s->name : "(unnamed)";
}

static const struct pk_reloc_arch *arch_of(const struct pk_reloc *r)
{
	return r->row->arch;
}

int pk_reloc_fail(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		  const char *what)
{
	const char *tn = arch_of(r)->type_name(GELF_R_TYPE(rel->r_info));

	return pk_fail(r, "%s%s against '%s' at %s+0x%llx: %s",
		       tn ? tn : "relocation", tn ? "" : " (unknown type)",
		       pk_symbol_label(r, GELF_R_SYM(rel->r_info)),
		       r->sec[s].name, (unsigned long long)rel->r_offset, what);
}

int pk_reloc_overflow(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		      uint64_t v, int bits, const char *kind)
{
	char what[128];

	snprintf(what, sizeof(what), "value 0x%llx overflows its %d-bit%s%s "
		 "field", (unsigned long long)v, bits,
		 kind ? " " : "", kind ? kind : "");
	return pk_reloc_fail(r, s, rel, what);
}

int pk_reloc_check_fit(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		       uint64_t v, int bits, enum pk_reloc_fit fit)
{
	int is_signed = pk_fits_signed((int64_t)v, bits);
	int is_unsigned = pk_fits_unsigned(v, bits);

	if (fit == PK_FIT_SIGNED && !is_signed)
		return pk_reloc_overflow(r, s, rel, v, bits, "signed");
	if (fit == PK_FIT_UNSIGNED && !is_unsigned)
		return pk_reloc_overflow(r, s, rel, v, bits, "unsigned");
	if (fit == PK_FIT_BITFIELD && !is_signed && !is_unsigned)
		return pk_reloc_overflow(r, s, rel, v, bits, NULL);
	return 0;
}

static int check_header(struct pk_reloc *r)
{
	GElf_Ehdr eh;
	char *ident;
	size_t n;

	if (elf_kind(r->elf) != ELF_K_ELF)
		return pk_fail(r, "not an ELF file");
	ident = elf_getident(r->elf, &n);
	if (!ident || n < EI_NIDENT || !gelf_getehdr(r->elf, &eh))
		return pk_fail(r, "truncated ELF header");
	if (pk_reloc_check_ident(r, &eh, ident))
		return -1;
	if (eh.e_type != ET_REL)
		return pk_fail(r, "e_type %u is not ET_REL (1): give "
			       "purgkit-link the output of ld -r", eh.e_type);
	/* The section header table, checked here so libelf never guesses. */
	if (eh.e_shoff == 0)
		return pk_fail(r, "e_shoff is 0: the object has no section "
			       "headers");
	if (eh.e_shoff % 8)
		return pk_fail(r, "e_shoff 0x%llx is not a multiple of 8 (the "
			       "section headers are misaligned)",
			       (unsigned long long)eh.e_shoff);
	if (eh.e_shentsize != sizeof(Elf64_Shdr))
		return pk_fail(r, "e_shentsize %u is not %zu",
			       eh.e_shentsize, sizeof(Elf64_Shdr));
	if (eh.e_shoff > r->file_len ||
	    (uint64_t)(eh.e_shnum ? eh.e_shnum : 1) * sizeof(Elf64_Shdr) >
		    r->file_len - eh.e_shoff)
		return pk_fail(r, "section headers (e_shoff 0x%llx, e_shnum "
			       "%u) lie outside the 0x%zx-byte file",
			       (unsigned long long)eh.e_shoff, eh.e_shnum,
			       r->file_len);
	return pk_reloc_match_machine(r, &eh, ident);
}

/* The bytes of section i, checked against the file. */
static int section_in_file(struct pk_reloc *r, size_t i, GElf_Shdr *sh,
			   const char *name)
{
	if (sh->sh_type == SHT_NOBITS)
		return 0;
	if (sh->sh_offset > r->file_len ||
	    sh->sh_size > r->file_len - sh->sh_offset)
		return pk_fail(r, "section %zu (%s) lies outside the file "
			       "(offset 0x%llx, size 0x%llx, file 0x%zx bytes)",
			       i, name, (unsigned long long)sh->sh_offset,
			       (unsigned long long)sh->sh_size, r->file_len);
	return 0;
}

static int read_sections(struct pk_reloc *r, size_t *symtab)
{
	size_t shnum, shstrndx, i;

	if (elf_getshdrnum(r->elf, &shnum) || elf_getshdrstrndx(r->elf,
								&shstrndx))
		return pk_fail(r, "section headers unreadable (e_shnum or "
			       "e_shstrndx): %s", elf_errmsg(-1));
	if (shnum == 0)
		return pk_fail(r, "e_shnum is 0: no sections");
	/*
	 * Extended numbering (e_shnum 0, the count in section 0) is read by
	 * libelf; symbols still name sections below SHN_LORESERVE.  The cap
	 * bounds memory, far above any trampoline.
	 */
	if (shnum > PK_RELOC_MAX_SECTIONS)
		return pk_fail(r, "%zu sections: more than the %u the "
			       "relocator reads", shnum, PK_RELOC_MAX_SECTIONS);
	if (shstrndx >= shnum)
		return pk_fail(r, "e_shstrndx %zu is not one of the %zu "
			       "sections", shstrndx, shnum);
	r->nsec = shnum;
	r->sec = calloc(shnum + PK_SYN_COUNT, sizeof(*r->sec));
	if (!r->sec)
		return pk_fail(r, "out of memory");
	*symtab = 0;
	for (i = 0; i < shnum; i++) {
		struct pk_section *s = &r->sec[i];
		Elf_Scn *scn = elf_getscn(r->elf, i);
		GElf_Shdr sh;

		if (!scn || !gelf_getshdr(scn, &sh))
			return pk_fail(r, "section header %zu unreadable: %s",
				       i, elf_errmsg(-1));
		s->name = elf_strptr(r->elf, shstrndx, sh.sh_name);
		if (!s->name)
			return pk_fail(r, "section %zu: sh_name 0x%x is outside "
				       "the section name table (section %zu)",
				       i, sh.sh_name, shstrndx);
		if (section_in_file(r, i, &sh, s->name))
			return -1;
		if (i == 0)
			continue;
		s->size = sh.sh_size;
		s->align = sh.sh_addralign ? sh.sh_addralign : 1;
		s->nobits = sh.sh_type == SHT_NOBITS;
		s->alloc = (sh.sh_flags & SHF_ALLOC) != 0;
		s->flags = sh.sh_flags;
		if (sh.sh_type == SHT_SYMTAB) {
			if (*symtab)
				return pk_fail(r, "more than one symbol table");
			*symtab = i;
		}
		if (sh.sh_type == SHT_REL) {
			/* ld -r never makes these on our targets. */
			return pk_fail(r, "section %zu (%s): REL relocations "
				       "are not supported (only RELA)", i,
				       s->name);
		}
		if (!s->alloc)
			continue;
		if (s->align & (s->align - 1))
			return pk_fail(r, "section %s: alignment 0x%llx is not "
				       "a power of two", s->name,
				       (unsigned long long)s->align);
		if (s->align > PK_RELOC_MAX_ALIGN)
			return pk_fail(r, "section %s: alignment 0x%llx is too "
				       "large", s->name,
				       (unsigned long long)s->align);
		if (s->size > PK_RELOC_MAX_IMAGE)
			return pk_fail(r, "section %s: size 0x%llx is too large",
				       s->name, (unsigned long long)s->size);
		if (!s->nobits) {
			Elf_Data *d = elf_rawdata(scn, NULL);

			if (s->size && (!d || d->d_size != s->size ||
					!d->d_buf))
				return pk_fail(r, "section %s: contents "
					       "unreadable", s->name);
			s->bytes = s->size ? d->d_buf : NULL;
		}
	}
	if (!*symtab)
		return pk_fail(r, "no symbol table");
	return 0;
}

static int read_symbols(struct pk_reloc *r, size_t symtab)
{
	Elf_Scn *scn = elf_getscn(r->elf, symtab);
	GElf_Shdr sh;
	Elf_Data *d;
	size_t i;

	if (!gelf_getshdr(scn, &sh))
		return pk_fail(r, "symbol table header unreadable");
	if (sh.sh_link == 0 || sh.sh_link >= r->nsec)
		return pk_fail(r, "symbol table links to section %u, out of "
			       "range", sh.sh_link);
	if (sh.sh_entsize != sizeof(Elf64_Sym))
		return pk_fail(r, "symbol table: sh_entsize %llu is not the "
			       "%zu bytes of an Elf64_Sym",
			       (unsigned long long)sh.sh_entsize,
			       sizeof(Elf64_Sym));
	d = elf_getdata(scn, NULL);
	if (!d || d->d_size % sizeof(Elf64_Sym))
		return pk_fail(r, "symbol table unreadable: %s",
			       elf_errmsg(-1));
	r->nsym = d->d_size / sizeof(Elf64_Sym);
	if (r->nsym == 0)
		return pk_fail(r, "empty symbol table");
	r->sym = calloc(r->nsym, sizeof(*r->sym));
	if (!r->sym)
		return pk_fail(r, "out of memory");
	for (i = 0; i < r->nsym; i++) {
		struct pk_symbol *s = &r->sym[i];
		GElf_Sym es;

		if (!gelf_getsym(d, i, &es))
			return pk_fail(r, "symbol %zu unreadable", i);
		s->name = elf_strptr(r->elf, sh.sh_link, es.st_name);
		if (!s->name)
			return pk_fail(r, "symbol %zu has a name outside the "
				       "string table", i);
		s->value = es.st_value;
		s->size = es.st_size;
		s->shndx = es.st_shndx;
		s->type = GELF_ST_TYPE(es.st_info);
		s->bind = GELF_ST_BIND(es.st_info);
		s->other = es.st_other;
		if (i == 0) {
			/* The null symbol: whatever the file says. */
			s->shndx = SHN_UNDEF;
			s->value = 0;
			s->type = STT_NOTYPE;
			continue;
		}
		if (s->shndx == SHN_COMMON)
			return pk_fail(r, "COMMON symbol '%s' has no section "
				       "(build with -fno-common)", s->name);
		if (s->shndx == SHN_XINDEX)
			return pk_fail(r, "symbol '%s': extended section "
				       "indices are not supported", s->name);
		if (s->shndx == SHN_UNDEF || s->shndx == SHN_ABS)
			continue;
		/* With many sections a reserved value is no section's. */
		if (s->shndx >= SHN_LORESERVE)
			return pk_fail(r, "symbol '%s': st_shndx 0x%x is a "
				       "reserved section index", s->name,
				       s->shndx);
		if (s->shndx >= r->nsec)
			return pk_fail(r, "symbol '%s' is in section %u, out of "
				       "range", s->name, s->shndx);
	}
	return 0;
}

static int special_undefined(const struct pk_reloc *r, const char *name)
{
	return r->row->got_symbol && !strcmp(name, r->row->got_symbol);
}

/* Append name to the undefined list unless it is there already. */
static void add_undefined(char *list, size_t len, const char *name)
{
	size_t n, used = strlen(list);
	const char *p = list;

	if (!name[0])
		name = "(unnamed)";
	n = strlen(name);
	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ',' || p[n] == 0))
			return;
		p++;
	}
	if (used + n + 3 >= len)
		return;
	snprintf(list + used, len - used, "%s%s", used ? ", " : "", name);
}

/* Can section i be a relocation section's target (its sh_info)? */
static bool section_takes_relocations(struct pk_reloc *r, size_t i)
{
	GElf_Shdr sh;

	if (!gelf_getshdr(elf_getscn(r->elf, i), &sh))
		return false;
	switch (sh.sh_type) {
	case SHT_NULL:
	case SHT_SYMTAB:
	case SHT_STRTAB:
	case SHT_RELA:
	case SHT_REL:
	case SHT_HASH:
	case SHT_DYNSYM:
	case SHT_GROUP:
	case SHT_SYMTAB_SHNDX:
		return false;
	default:
		return true;
	}
}

static int read_relocations(struct pk_reloc *r, size_t symtab)
{
	const struct pk_reloc_arch *arch = arch_of(r);
	char undef[768] = "";
	size_t i, j, nundef = 0;

	for (i = 1; i < r->nsec; i++) {
		Elf_Scn *scn = elf_getscn(r->elf, i);
		struct pk_section *t;
		GElf_Shdr sh;
		Elf_Data *d;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA)
			continue;
		/*
		 * Every relocation section is checked, debug ones too: one
		 * that names the wrong section would silently leave its
		 * target unrelocated.
		 */
		if (sh.sh_info == 0 || sh.sh_info >= r->nsec)
			return pk_fail(r, "relocation section %s applies to "
				       "section %u, out of range",
				       r->sec[i].name, sh.sh_info);
		if (!section_takes_relocations(r, sh.sh_info))
			return pk_fail(r, "relocation section %s (section "
				       "%zu): sh_info %u names %s, which "
				       "holds no code or data to relocate",
				       r->sec[i].name, i, sh.sh_info,
				       sh.sh_info == i ? "itself" :
				       r->sec[sh.sh_info].name);
		if (sh.sh_link != symtab)
			return pk_fail(r, "relocation section %s uses section "
				       "%u as its symbol table, not the symbol "
				       "table (section %zu)",
				       r->sec[i].name, sh.sh_link, symtab);
		if (sh.sh_entsize != sizeof(Elf64_Rela))
			return pk_fail(r, "relocation section %s: sh_entsize "
				       "%llu is not the %zu bytes of an "
				       "Elf64_Rela", r->sec[i].name,
				       (unsigned long long)sh.sh_entsize,
				       sizeof(Elf64_Rela));
		t = &r->sec[sh.sh_info];
		/* Relocations of debug info do not touch the image. */
		if (!t->alloc)
			continue;
		if (t->nrela)
			return pk_fail(r, "section %s has two relocation "
				       "sections", t->name);
		d = elf_getdata(scn, NULL);
		if (!d || d->d_size % sizeof(Elf64_Rela))
			return pk_fail(r, "relocation section %s unreadable",
				       r->sec[i].name);
		n = d->d_size / sizeof(Elf64_Rela);
		if (!n)
			continue;
		if (t->nobits)
			return pk_fail(r, "relocation section %s applies to "
				       "zero-filled section %s",
				       r->sec[i].name, t->name);
		t->rela = calloc(n, sizeof(*t->rela));
		if (!t->rela)
			return pk_fail(r, "out of memory");
		t->nrela = n;
		for (j = 0; j < n; j++) {
			GElf_Rela *rel = &t->rela[j];
			unsigned int type;
			size_t si;
			int fs;

			if (!gelf_getrela(d, j, rel))
				return pk_fail(r, "relocation %zu of %s "
					       "unreadable", j, r->sec[i].name);
			type = GELF_R_TYPE(rel->r_info);
			si = GELF_R_SYM(rel->r_info);
			if (si >= r->nsym)
				return pk_fail(r, "relocation %zu of %s (at "
					       "%s+0x%llx): symbol index %zu "
					       "out of range (%zu symbols)", j,
					       r->sec[i].name, t->name,
					       (unsigned long long)rel->r_offset,
					       si, r->nsym);
			if (!arch->type_name(type))
				return pk_fail(r, "unsupported relocation type "
					       "%u at %s+0x%llx (against '%s')",
					       type, t->name,
					       (unsigned long long)rel->r_offset,
					       pk_symbol_label(r, si));
			fs = arch->field_size(type);
			if (rel->r_offset > t->size ||
			    (uint64_t)fs > t->size - rel->r_offset)
				return pk_fail(r, "%s against '%s' at "
					       "%s+0x%llx lies outside its "
					       "section (0x%llx bytes)",
					       arch->type_name(type),
					       pk_symbol_label(r, si), t->name,
					       (unsigned long long)rel->r_offset,
					       (unsigned long long)t->size);
			if (si && r->sym[si].shndx == SHN_UNDEF &&
			    r->sym[si].bind != STB_WEAK &&
			    !special_undefined(r, r->sym[si].name)) {
				add_undefined(undef, sizeof(undef),
					      r->sym[si].name);
				nundef++;
			}
			if (r->sym[si].shndx != SHN_UNDEF &&
			    r->sym[si].shndx != SHN_ABS &&
			    !r->sec[r->sym[si].shndx].alloc)
				return pk_fail(r, "%s at %s+0x%llx refers to "
					       "'%s' in non-allocated section %s",
					       arch->type_name(type), t->name,
					       (unsigned long long)rel->r_offset,
					       pk_symbol_label(r, si),
					       r->sec[r->sym[si].shndx].name);
		}
	}
	if (nundef)
		return pk_fail(r, "undefined symbol%s: %s",
			       strchr(undef, ',') ? "s" : "", undef);
	return 0;
}

static int layout(struct pk_reloc *r)
{
	size_t total = r->nsec + PK_SYN_COUNT, i, pass;
	uint64_t at = 0;

	r->order = calloc(total, sizeof(*r->order));
	if (!r->order)
		return pk_fail(r, "out of memory");
	r->align = 1;
	/* File-backed sections in file order, then the GOT, then NOBITS. */
	for (pass = 0; pass < 3; pass++) {
		for (i = 1; i < total; i++) {
			struct pk_section *s = &r->sec[i];
			int syn = i >= r->nsec;

			if (!s->alloc || (pass == 0 && (s->nobits || syn)) ||
			    (pass == 1 && !syn) || (pass == 2 && !s->nobits))
				continue;
			at = (at + s->align - 1) & ~(s->align - 1);
			s->offset = at;
			s->placed = 1;
			at += s->size;
			if (at > PK_RELOC_MAX_IMAGE)
				return pk_fail(r, "image larger than 0x%llx "
					       "bytes", PK_RELOC_MAX_IMAGE);
			if (s->align > r->align)
				r->align = s->align;
			r->order[r->norder++] = i;
			if (!s->nobits)
				r->file_size = at;
		}
	}
	r->size = at;
	return 0;
}

struct pk_reloc *pk_reloc_open(const void *buf, size_t len, const char *name,
			       char *err, size_t errlen)
{
	struct pk_reloc *r = calloc(1, sizeof(*r));
	size_t symtab = 0;

	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (elf_version(EV_CURRENT) == EV_NONE) {
		pk_fail(r, "libelf is unusable: %s", elf_errmsg(-1));
		goto fail;
	}
	r->file = malloc(len ? len : 1);
	if (!r->file) {
		pk_fail(r, "out of memory");
		goto fail;
	}
	memcpy(r->file, buf, len);
	r->file_len = len;
	if (len < sizeof(Elf64_Ehdr) && len >= EI_NIDENT &&
	    !memcmp(buf, ELFMAG, SELFMAG)) {
		pk_fail(r, "truncated ELF header (%zu bytes)", len);
		goto fail;
	}
	r->elf = elf_memory((char *)r->file, len);
	if (!r->elf) {
		pk_fail(r, "not an ELF file: %s", elf_errmsg(-1));
		goto fail;
	}
	if (check_header(r) || read_sections(r, &symtab) ||
	    read_symbols(r, symtab) || read_relocations(r, symtab) ||
	    arch_of(r)->prepare(r) || layout(r))
		goto fail;
	return r;
fail:
	snprintf(err, errlen, "%s", r->error);
	pk_reloc_close(r);
	return NULL;
}

struct pk_reloc *pk_reloc_open_file(const char *path, char *err,
				    size_t errlen)
{
	struct pk_reloc *r;
	uint8_t *buf;
	size_t got;
	char limit_what[64];

	/* An object four times the largest image is not a trampoline. */
	snprintf(limit_what, sizeof(limit_what), "the 0x%llx bytes an "
		 "object may have", 4 * PK_RELOC_MAX_IMAGE);
	if (pk_input_read(path, "input", 4 * PK_RELOC_MAX_IMAGE, limit_what,
			  PK_INPUT_ELF, &buf, &got, err, errlen))
		return NULL;
	r = pk_reloc_open(buf, got, path, err, errlen);
	free(buf);
	return r;
}

void pk_reloc_close(struct pk_reloc *r)
{
	size_t i;

	if (!r)
		return;
	if (r->sec)
		for (i = 0; i < r->nsec + PK_SYN_COUNT; i++)
			free(r->sec[i].rela);
	if (r->elf)
		elf_end(r->elf);
	free(r->sec);
	free(r->order);
	free(r->sym);
	free(r->got);
	free(r->image);
	free(r->file);
	free(r);
}

const char *pk_reloc_error(const struct pk_reloc *r)
{
	return r->error;
}

enum pk_reloc_machine pk_reloc_machine(const struct pk_reloc *r)
{
	return r->machine;
}

const char *pk_reloc_machine_name(const struct pk_reloc *r)
{
	return r->row ? r->row->name : "?";
}

int pk_reloc_big_endian(const struct pk_reloc *r)
{
	return r->big_endian;
}

uint64_t pk_reloc_size(const struct pk_reloc *r)
{
	return r->size;
}

uint64_t pk_reloc_align(const struct pk_reloc *r)
{
	return r->align;
}

uint64_t pk_reloc_file_size(const struct pk_reloc *r)
{
	return r->file_size;
}

const uint8_t *pk_reloc_image(const struct pk_reloc *r)
{
	return r->placed ? r->image : NULL;
}

uint64_t pk_reloc_base(const struct pk_reloc *r)
{
	return r->base;
}

int pk_reloc_place(struct pk_reloc *r, uint64_t base)
{
	const struct pk_reloc_arch *arch = arch_of(r);
	size_t k, j;

	r->placed = 0;
	if (base & (r->align - 1))
		return pk_fail(r, "base 0x%llx is not aligned to 0x%llx (the "
			       "largest section alignment)",
			       (unsigned long long)base,
			       (unsigned long long)r->align);
	if (r->size && base + r->size - 1 < base)
		return pk_fail(r, "image of 0x%llx bytes at 0x%llx wraps "
			       "around the address space",
			       (unsigned long long)r->size,
			       (unsigned long long)base);
	free(r->image);
	r->image = calloc(1, r->size ? r->size : 1);
	if (!r->image)
		return pk_fail(r, "out of memory");
	r->base = base;
	for (k = 0; k < r->norder; k++) {
		const struct pk_section *s = &r->sec[r->order[k]];

		if (s->bytes)
			memcpy(r->image + s->offset, s->bytes, s->size);
	}
	if (arch->begin(r))
		return -1;
	for (k = 0; k < r->norder; k++) {
		size_t si = r->order[k];
		const struct pk_section *s = &r->sec[si];

		for (j = 0; j < s->nrela; j++)
			if (arch->apply(r, si, &s->rela[j]))
				return -1;
	}
	r->placed = 1;
	return 0;
}

static void fill_symbol(const struct pk_reloc *r, size_t i,
			struct pk_reloc_symbol *out)
{
	const struct pk_symbol *s = &r->sym[i];

	memset(out, 0, sizeof(*out));
	out->name = s->name;
	out->address = pk_symbol_address(r, i);
	out->size = s->size;
	if (s->shndx == SHN_ABS) {
		out->section = "*ABS*";
	} else if (s->shndx < r->nsec) {
		out->section = r->sec[s->shndx].name;
		out->zero_fill = r->sec[s->shndx].nobits;
		out->patchable = !strcmp(out->section, PK_PATCH_SECTION);
	}
}

static long find_symbol(const struct pk_reloc *r, const char *name)
{
	long local = -1;
	size_t i;

	for (i = 1; i < r->nsym; i++) {
		const struct pk_symbol *s = &r->sym[i];

		if (s->shndx == SHN_UNDEF || s->type == STT_SECTION ||
		    s->type == STT_FILE || strcmp(s->name, name))
			continue;
		if (s->bind != STB_LOCAL)
			return (long)i;
		if (local < 0)
			local = (long)i;
	}
	return local;
}

int pk_reloc_symbol(struct pk_reloc *r, const char *name,
		    struct pk_reloc_symbol *out)
{
	long i = find_symbol(r, name);

	if (i < 0)
		return pk_fail(r, "no symbol '%s'", name);
	fill_symbol(r, (size_t)i, out);
	return 0;
}

int pk_reloc_entry(struct pk_reloc *r, uint64_t *entry)
{
	long i = find_symbol(r, PK_ENTRY_SYMBOL);
	struct pk_reloc_symbol s;

	if (i < 0)
		return pk_fail(r, "no entry symbol '%s'", PK_ENTRY_SYMBOL);
	if (!r->placed)
		return pk_fail(r, "entry asked before the image is placed");
	if (r->sym[i].shndx < r->nsec && !r->sec[r->sym[i].shndx].placed)
		return pk_fail(r, "entry symbol '%s' is in section %s, which is "
			       "not allocated", PK_ENTRY_SYMBOL,
			       r->sec[r->sym[i].shndx].name);
	fill_symbol(r, (size_t)i, &s);
	*entry = s.address;
	/* ELFv1: pk_entry may be a descriptor; the code address is word 0. */
	if (r->row->descriptor_section &&
	    !strcmp(s.section, r->row->descriptor_section)) {
		if (s.address < r->base || s.address - r->base > r->file_size ||
		    r->file_size - (s.address - r->base) < 8)
			return pk_fail(r, "descriptor '%s' lies outside %s",
				       PK_ENTRY_SYMBOL, r->row->descriptor_section);
		*entry = pk_reloc_get(r, r->image + (s.address - r->base), 8);
	}
	return 0;
}

static int is_patchable(const struct pk_reloc *r, size_t i);

/* "cannot patch 'X': no such symbol", with the patchable name the user
 * probably meant ("; did you mean 'pk_multiboot_info'?"). */
static int pk_fail_no_symbol(struct pk_reloc *r, const char *name)
{
	struct pk_nearest nearest;
	char hint[300];

	pk_nearest_init(&nearest, name);
	for (size_t i = 1; i < r->nsym; i++)
		if (is_patchable(r, i))
			pk_nearest_offer(&nearest, r->sym[i].name);
	return pk_fail(r, "cannot patch '%s': no such symbol%s", name,
		       pk_nearest_hint(&nearest, hint, sizeof(hint)));
}

int pk_reloc_set(struct pk_reloc *r, const char *name, const void *data,
		 uint64_t size)
{
	long i = find_symbol(r, name);
	const struct pk_symbol *s;
	const struct pk_section *sec;

	if (i < 0)
		return pk_fail_no_symbol(r, name);
	if (!r->placed)
		return pk_fail(r, "cannot patch '%s' before placing", name);
	s = &r->sym[i];
	if (s->shndx == SHN_ABS || s->shndx >= r->nsec)
		return pk_fail(r, "cannot patch '%s': it is an absolute "
			       "symbol", name);
	sec = &r->sec[s->shndx];
	if (!sec->placed)
		return pk_fail(r, "cannot patch '%s': its section %s is not "
			       "allocated, so not in the image", name,
			       sec->name);
	if (sec->nobits)
		return pk_fail(r, "cannot patch '%s': it is in zero-filled "
			       "section %s, which has no bytes in the image",
			       name, sec->name);
	/*
	 * Only PK_PATCHABLE objects: elsewhere the compiler may have folded
	 * the value into the code, and a patch would silently do nothing.
	 */
	if (strcmp(sec->name, PK_PATCH_SECTION))
		return pk_fail(r, "cannot patch '%s': it is in section %s, not "
			       "in " PK_PATCH_SECTION " (define it with "
			       "PK_PATCHABLE)", name, sec->name);
	if (size != s->size)
		return pk_fail(r, "cannot patch '%s': it is %llu bytes, the "
			       "value is %llu", name,
			       (unsigned long long)s->size,
			       (unsigned long long)size);
	if (s->value > sec->size || s->size > sec->size - s->value)
		return pk_fail(r, "cannot patch '%s': it extends past its "
			       "section %s", name, sec->name);
	memcpy(r->image + sec->offset + s->value, data, size);
	return 0;
}

int pk_reloc_set_int(struct pk_reloc *r, const char *name, uint64_t value)
{
	long i = find_symbol(r, name);
	uint8_t buf[8];
	uint64_t size;

	if (i < 0)
		return pk_fail_no_symbol(r, name);
	size = r->sym[i].size;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return pk_fail(r, "cannot patch '%s' with an integer: it is "
			       "%llu bytes (integers are 1, 2, 4 or 8)", name,
			       (unsigned long long)size);
	if (size < 8 && value >> (8 * size))
		return pk_fail(r, "cannot patch '%s': 0x%llx does not fit in "
			       "%llu bytes", name, (unsigned long long)value,
			       (unsigned long long)size);
	pk_reloc_put(r, buf, (int)size, value);
	return pk_reloc_set(r, name, buf, size);
}

size_t pk_reloc_section_count(const struct pk_reloc *r)
{
	return r->norder;
}

int pk_reloc_section_at(const struct pk_reloc *r, size_t i,
			struct pk_reloc_section *out)
{
	const struct pk_section *s;

	if (i >= r->norder)
		return -1;
	s = &r->sec[r->order[i]];
	out->name = s->name;
	out->address = r->base + s->offset;
	out->size = s->size;
	out->align = s->align;
	out->zero_fill = s->nobits;
	return 0;
}

static int is_patchable(const struct pk_reloc *r, size_t i)
{
	const struct pk_symbol *s = &r->sym[i];

	return s->shndx != SHN_UNDEF && s->shndx < r->nsec &&
		s->bind != STB_LOCAL && s->type != STT_SECTION &&
		!strcmp(r->sec[s->shndx].name, PK_PATCH_SECTION);
}

size_t pk_reloc_patchable_count(const struct pk_reloc *r)
{
	size_t i, n = 0;

	for (i = 1; i < r->nsym; i++)
		n += is_patchable(r, i);
	return n;
}

int pk_reloc_patchable_at(const struct pk_reloc *r, size_t k,
			  struct pk_reloc_symbol *out)
{
	size_t i;

	for (i = 1; i < r->nsym; i++) {
		if (!is_patchable(r, i))
			continue;
		if (k-- == 0) {
			fill_symbol(r, i, out);
			return 0;
		}
	}
	return -1;
}

/*
 * Is symbol i a defined function of the image?  A function's code, or on
 * ELFv1 its descriptor in the row's descriptor section.
 */
static bool is_function(const struct pk_reloc *r, size_t i)
{
	const struct pk_symbol *s = &r->sym[i];

	return s->type == STT_FUNC && s->name[0] && s->shndx != SHN_UNDEF &&
	       s->shndx < r->nsec && r->sec[s->shndx].alloc;
}

size_t pk_reloc_function_count(const struct pk_reloc *r)
{
	size_t i, n = 0;

	for (i = 1; i < r->nsym; i++)
		n += is_function(r, i);
	return n;
}

int pk_reloc_function_at(const struct pk_reloc *r, size_t k,
			 struct pk_reloc_symbol *out)
{
	size_t i;

	for (i = 1; i < r->nsym; i++) {
		if (!is_function(r, i) || k-- != 0)
			continue;
		fill_symbol(r, i, out);
		/* ELFv1: the descriptor's word 0 is the code; its size is
		 * the descriptor's, not the code's. */
		if (r->placed && r->row->descriptor_section &&
		    !strcmp(out->section, r->row->descriptor_section)) {
			uint64_t at = out->address - r->base;

			if (out->address < r->base || at > r->file_size ||
			    r->file_size - at < 8)
				return -1;
			out->address = pk_reloc_get(r, r->image + at, 8);
			out->size = 0;
		}
		return 0;
	}
	return -1;
}
