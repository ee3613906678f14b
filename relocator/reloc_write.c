/* SPDX-License-Identifier: MIT */
/*
 * The relocator library's two writers of a placed image: its bytes (bin)
 * and an executable ELF of it (elf).  Both report a failure in
 * pk_reloc_error() naming the cause (a full disk is "No space left on
 * device", not libelf's "Invalid argument") and free all they took.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reloc_internal.h"

static int pk_write_all(int fd, const uint8_t *p, uint64_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n > (1u << 30) ? (1u << 30) : n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

int pk_reloc_write_bin(struct pk_reloc *r, int fd)
{
	uint64_t file_size = pk_reloc_file_size(r);
	uint64_t size = pk_reloc_size(r);
	struct stat st;

	if (!r->placed)
		return pk_fail(r, "nothing to write before the image is "
			       "placed");
	if (pk_write_all(fd, r->image, file_size))
		return pk_fail(r, "write failed: %s", strerror(errno));
	/*
	 * The zero-fill (.bss) of a regular file is a hole, so a 1 GiB .bss
	 * costs neither the time nor the disk to write it; a pipe or
	 * device gets the zeros.
	 */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if (ftruncate(fd, size))
			return pk_fail(r, "cannot extend the output to 0x%llx "
				       "bytes: %s", (unsigned long long)size,
				       strerror(errno));
		return 0;
	}
	if (pk_write_all(fd, r->image + file_size, size - file_size))
		return pk_fail(r, "write failed: %s", strerror(errno));
	return 0;
}

/* String table builder for the ELF output. */
struct pk_strtab {
	char *buf;
	size_t len, cap;
};

/* Offset of s in t, or (size_t)-1 when memory ran out. */
static size_t pk_str_add(struct pk_strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;

	if (t->len + n > t->cap) {
		size_t cap = (t->len + n) * 2 + 64;
		char *nb = realloc(t->buf, cap);

		if (!nb)
			return (size_t)-1;
		t->buf = nb;
		t->cap = cap;
	}
	memcpy(t->buf + at, s, n);
	t->len += n;
	return at;
}

static uint64_t pk_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* A debug section of the object, copied and relocated for the output. */
struct pk_debug_copy {
	const char *name;
	uint8_t *bytes;
	uint64_t size, align, flags, entsize;
};

/* Everything the ELF writer allocates, freed in one place. */
struct pk_elf_out {
	Elf *e;
	struct pk_strtab shstr, str;
	size_t *secmap;
	Elf64_Sym *syms;
	Elf32_Word *xindex;	/* SHT_SYMTAB_SHNDX, when needed */
	struct pk_debug_copy *debug;
	size_t ndebug;
	int nomem;
};

/*
 * Relocate the copy of debug section `target`: each of its relocations
 * must be plain data (S + A at the field's size).  S is the placed
 * address of a symbol in the image, or the offset of a symbol in a
 * section outside it: the output's debug sections lie at address 0, as
 * a linked executable's do, so an offset into .debug_str stays one.
 * Returns 0, or -1 when a relocation is of another kind or out of
 * bounds: the section is then left out rather than written wrong.
 */
static int pk_relocate_debug(struct pk_reloc *r, size_t target,
			     uint8_t *bytes, uint64_t size)
{
	const struct pk_reloc_arch *arch = r->row->arch;
	uint64_t pending = 0;

	for (size_t i = 1; i < r->nsec; i++) {
		Elf_Scn *scn = elf_getscn(r->elf, i);
		GElf_Shdr sh;
		Elf_Data *d;

		if (!scn || !gelf_getshdr(scn, &sh) ||
		    sh.sh_type != SHT_RELA || sh.sh_info != target)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || d->d_size % sizeof(Elf64_Rela))
			return -1;
		for (size_t j = 0; j < d->d_size / sizeof(Elf64_Rela); j++) {
			GElf_Rela rel;
			unsigned int type;
			size_t si;
			uint64_t S;
			int n;

			if (!gelf_getrela(d, j, &rel))
				return -1;
			type = GELF_R_TYPE(rel.r_info);
			si = GELF_R_SYM(rel.r_info);
			if (arch->field_size(type) == 0 && arch->type_name(type))
				continue;	/* a marker, nothing to write */
			n = arch->debug_apply ? arch->field_size(type) :
				arch->data_size(type);
			if (!n || si >= r->nsym || rel.r_offset > size ||
			    (uint64_t)n > size - rel.r_offset)
				return -1;
			if (r->sym[si].shndx == SHN_UNDEF ||
			    r->sym[si].shndx == SHN_ABS ||
			    (r->sym[si].shndx < r->nsec &&
			     r->sec[r->sym[si].shndx].alloc))
				S = pk_symbol_address(r, si);
			else
				S = r->sym[si].value;
			if (arch->debug_apply) {
				if (arch->debug_apply(r, type,
						      bytes + rel.r_offset,
						      size - rel.r_offset,
						      S + (uint64_t)rel.r_addend,
						      &pending))
					return -1;
				continue;
			}
			pk_reloc_put(r, bytes + rel.r_offset, n,
				     S + (uint64_t)rel.r_addend);
		}
	}
	return 0;
}

/*
 * The object's debug sections (.debug_*), relocated for the placed
 * image, so that gdb and addr2line read the placed addresses with their
 * functions, files and lines.  A section that cannot be relocated, or
 * that is compressed, is left out; so are all of them for a machine
 * whose backend has neither data_size nor debug_apply.
 */
static int pk_collect_debug(struct pk_reloc *r, struct pk_elf_out *o)
{
	if (!r->row->arch->data_size && !r->row->arch->debug_apply)
		return 0;
	o->debug = calloc(r->nsec, sizeof(*o->debug));
	if (!o->debug)
		return -1;
	for (size_t i = 1; i < r->nsec; i++) {
		const struct pk_section *s = &r->sec[i];
		struct pk_debug_copy *c = &o->debug[o->ndebug];
		Elf_Scn *scn = elf_getscn(r->elf, i);
		Elf_Data *d;
		GElf_Shdr sh;

		if (s->alloc || strncmp(s->name, ".debug_", 7) || !scn ||
		    !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    (sh.sh_flags & SHF_COMPRESSED) || !sh.sh_size)
			continue;
		d = elf_rawdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size != sh.sh_size)
			continue;
		c->bytes = malloc(sh.sh_size);
		if (!c->bytes)
			return -1;
		memcpy(c->bytes, d->d_buf, sh.sh_size);
		if (pk_relocate_debug(r, i, c->bytes, sh.sh_size)) {
			free(c->bytes);
			c->bytes = NULL;
			continue;
		}
		c->name = s->name;
		c->size = sh.sh_size;
		c->align = sh.sh_addralign ? sh.sh_addralign : 1;
		c->flags = sh.sh_flags & (SHF_MERGE | SHF_STRINGS);
		c->entsize = sh.sh_entsize;
		o->ndebug++;
	}
	return 0;
}

static Elf_Scn *pk_new_section(struct pk_elf_out *o, GElf_Shdr *sh,
			       const char *name, void *buf, size_t size,
			       Elf_Type type)
{
	Elf_Scn *scn;
	Elf_Data *d;

	if (name) {
		size_t at = pk_str_add(&o->shstr, name);

		if (at == (size_t)-1) {
			o->nomem = 1;
			return NULL;
		}
		sh->sh_name = at;
	}
	scn = elf_newscn(o->e);
	if (!scn)
		return NULL;
	if (buf || size) {
		d = elf_newdata(scn);
		if (!d)
			return NULL;
		d->d_buf = buf;
		d->d_size = size;
		d->d_type = type;
		d->d_align = 1;
		d->d_version = EV_CURRENT;
	}
	if (!gelf_update_shdr(scn, sh))
		return NULL;
	return scn;
}

/* A table section after the image at *off (advanced past it). */
static int pk_add_table(struct pk_elf_out *o, GElf_Shdr *sh, const char *name,
			GElf_Word type, uint64_t *off, void *buf, size_t size,
			Elf_Type dtype)
{
	sh->sh_type = type;
	sh->sh_offset = *off;
	sh->sh_size = size;
	*off += size;
	return pk_new_section(o, sh, name, buf, size, dtype) ? 0 : -1;
}

/* Fill the output's symbols; returns the index of the first global. */
static size_t pk_elf_symbols(struct pk_reloc *r, struct pk_elf_out *o,
			     size_t *nsym)
{
	size_t firstglobal = 1;

	*nsym = 1;	/* symbol 0 is all zeros */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 1; i < r->nsym; i++) {
			const struct pk_symbol *ps = &r->sym[i];
			Elf64_Sym *s;
			size_t shndx, name;

			if ((ps->bind == STB_LOCAL) != (pass == 0) ||
			    !ps->name[0] || ps->type == STT_SECTION ||
			    ps->type == STT_FILE || ps->shndx == SHN_UNDEF)
				continue;
			if (ps->shndx != SHN_ABS && !o->secmap[ps->shndx])
				continue;
			name = pk_str_add(&o->str, ps->name);
			if (name == (size_t)-1) {
				o->nomem = 1;
				return 0;
			}
			shndx = ps->shndx == SHN_ABS ? SHN_ABS :
							o->secmap[ps->shndx];
			s = &o->syms[*nsym];
			s->st_name = name;
			s->st_info = GELF_ST_INFO(ps->bind, ps->type);
			s->st_other = ps->other;
			/* Past the reserved range: SHN_XINDEX (gABI). */
			if (shndx != SHN_ABS && shndx >= SHN_LORESERVE) {
				s->st_shndx = SHN_XINDEX;
				o->xindex[*nsym] = shndx;
			} else {
				s->st_shndx = shndx;
			}
			s->st_value = pk_symbol_address(r, i);
			s->st_size = ps->size;
			(*nsym)++;
		}
		if (pass == 0)
			firstglobal = *nsym;
	}
	return firstglobal;
}

static int pk_elf_build(struct pk_reloc *r, struct pk_elf_out *o, int fd)
{
	const uint8_t *image = r->image;
	size_t nsec = pk_reloc_section_count(r), nsym, firstglobal, i;
	size_t symtab_index, strtab_index, shstrtab_index, total;
	uint64_t align = pk_reloc_align(r), img_off, off, entry = 0;
	int need_xindex;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	GElf_Shdr sh;

	/* Sections: 0, the placed ones, the debug ones, .symtab[,
	 * .symtab_shndx], .strtab, .shstrtab. */
	if (pk_collect_debug(r, o))
		return pk_fail(r, "out of memory");
	symtab_index = nsec + o->ndebug + 1;
	need_xindex = symtab_index - 1 >= SHN_LORESERVE;
	strtab_index = symtab_index + 1 + need_xindex;
	shstrtab_index = strtab_index + 1;
	total = shstrtab_index + 1;
	if (total > UINT32_MAX)
		return pk_fail(r, "%zu sections do not fit in an ELF file",
			       total);
	o->secmap = calloc(r->nsec + PK_SYN_COUNT, sizeof(*o->secmap));
	o->syms = calloc(r->nsym + 1, sizeof(*o->syms));
	o->xindex = need_xindex ? calloc(r->nsym + 1, sizeof(*o->xindex)) :
				  NULL;
	if (!o->secmap || !o->syms || (need_xindex && !o->xindex) ||
	    pk_str_add(&o->shstr, "") || pk_str_add(&o->str, ""))
		return pk_fail(r, "out of memory");
	o->e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!o->e || !gelf_newehdr(o->e, ELFCLASS64) ||
	    !gelf_newphdr(o->e, 1))
		return -1;
	elf_flagelf(o->e, ELF_C_SET, ELF_F_LAYOUT);
	if (!gelf_getehdr(o->e, &eh))
		return -1;
	eh.e_ident[EI_DATA] = r->big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_EXEC;
	eh.e_machine = r->row->e_machine;
	eh.e_version = EV_CURRENT;
	eh.e_flags = r->row->elf_flags;
	if (pk_reloc_entry(r, &entry))
		entry = 0;
	eh.e_entry = entry;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	img_off = pk_align_up(sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr),
			      align < 16 ? 16 : align);

	/* Placed sections keep their names, types and flags. */
	for (i = 0; i < nsec; i++) {
		size_t si = r->order[i];
		const struct pk_section *s = &r->sec[si];

		memset(&sh, 0, sizeof(sh));
		sh.sh_type = s->nobits ? SHT_NOBITS : SHT_PROGBITS;
		sh.sh_flags = si >= r->nsec ? SHF_ALLOC | SHF_WRITE :
			s->flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR);
		sh.sh_addr = r->base + s->offset;
		sh.sh_offset = img_off + s->offset;
		sh.sh_size = s->size;
		sh.sh_addralign = s->align;
		if (!pk_new_section(o, &sh, s->name, s->nobits ? NULL :
				    (void *)(image + s->offset),
				    s->nobits ? 0 : s->size, ELF_T_BYTE))
			return -1;
		o->secmap[si] = i + 1;
	}
	firstglobal = pk_elf_symbols(r, o, &nsym);
	if (o->nomem)
		return pk_fail(r, "out of memory");

	/* After the image: the debug sections, the tables, then the
	 * section headers. */
	off = pk_align_up(img_off + pk_reloc_file_size(r), 8);
	for (i = 0; i < o->ndebug; i++) {
		const struct pk_debug_copy *c = &o->debug[i];

		memset(&sh, 0, sizeof(sh));
		sh.sh_flags = c->flags;
		sh.sh_entsize = c->entsize;
		sh.sh_addralign = c->align;
		off = pk_align_up(off, c->align);
		if (pk_add_table(o, &sh, c->name, SHT_PROGBITS, &off, c->bytes,
				 c->size, ELF_T_BYTE))
			return -1;
	}
	off = pk_align_up(off, 8);
	memset(&sh, 0, sizeof(sh));
	sh.sh_entsize = sizeof(Elf64_Sym);
	sh.sh_addralign = 8;
	sh.sh_link = strtab_index;
	sh.sh_info = firstglobal;
	if (pk_add_table(o, &sh, ".symtab", SHT_SYMTAB, &off, o->syms,
			 nsym * sizeof(Elf64_Sym), ELF_T_SYM))
		return -1;
	if (need_xindex) {
		memset(&sh, 0, sizeof(sh));
		sh.sh_entsize = sizeof(Elf32_Word);
		sh.sh_addralign = 4;
		sh.sh_link = symtab_index;
		if (pk_add_table(o, &sh, ".symtab_shndx", SHT_SYMTAB_SHNDX,
				 &off, o->xindex, nsym * sizeof(Elf32_Word),
				 ELF_T_WORD))
			return -1;
	}
	memset(&sh, 0, sizeof(sh));
	sh.sh_addralign = 1;
	if (pk_add_table(o, &sh, ".strtab", SHT_STRTAB, &off, o->str.buf,
			 o->str.len, ELF_T_BYTE))
		return -1;
	/* Its own name goes in first, so its size counts it. */
	sh.sh_name = pk_str_add(&o->shstr, ".shstrtab");
	if (sh.sh_name == (GElf_Word)-1)
		return pk_fail(r, "out of memory");
	if (pk_add_table(o, &sh, NULL, SHT_STRTAB, &off, o->shstr.buf,
			 o->shstr.len, ELF_T_BYTE))
		return -1;
	eh.e_shoff = pk_align_up(off, 8);
	/*
	 * gABI extended numbering: an index in the reserved range goes in
	 * section 0's sh_link, e_shstrndx says SHN_XINDEX; the count goes in
	 * section 0's sh_size with e_shnum 0.
	 */
	if (total >= SHN_LORESERVE || shstrtab_index >= SHN_LORESERVE) {
		Elf_Scn *zero = elf_getscn(o->e, 0);
		GElf_Shdr z;

		if (!zero || !gelf_getshdr(zero, &z))
			return -1;
		z.sh_size = total >= SHN_LORESERVE ? total : 0;
		z.sh_link = shstrtab_index >= SHN_LORESERVE ?
				    shstrtab_index : 0;
		if (!gelf_update_shdr(zero, &z))
			return -1;
	}
	eh.e_shstrndx = shstrtab_index >= SHN_LORESERVE ? SHN_XINDEX :
							   shstrtab_index;
	if (!gelf_update_ehdr(o->e, &eh))
		return -1;
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_LOAD;
	ph.p_flags = PF_R | PF_W | PF_X;
	ph.p_offset = img_off;
	ph.p_vaddr = r->base;
	ph.p_paddr = r->base;
	ph.p_filesz = pk_reloc_file_size(r);
	ph.p_memsz = pk_reloc_size(r);
	ph.p_align = align;
	if (!gelf_update_phdr(o->e, 0, &ph))
		return -1;
	errno = 0;
	if (elf_update(o->e, ELF_C_WRITE) < 0)
		return -1;
	return 0;
}

/* Copy all of from (from its start) to fd; 0 or -1 with errno set. */
static int pk_copy_fd(int from, int fd)
{
	uint8_t buf[65536];
	ssize_t n;

	if (lseek(from, 0, SEEK_SET) < 0)
		return -1;
	while ((n = read(from, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || pk_write_all(fd, buf, n))
			return -1;
	}
	return 0;
}

int pk_reloc_write_elf(struct pk_reloc *r, int fd)
{
	struct pk_elf_out o = { 0 };
	struct stat st;
	int rc, out = fd;

	if (!r->placed)
		return pk_fail(r, "nothing to write before the image is "
			       "placed");
	/*
	 * libelf sizes its file with ftruncate(2), which a pipe or device
	 * refuses ("Invalid argument"): build the ELF in an anonymous file
	 * and copy it, so the real cause of a failed write is seen.
	 */
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		FILE *scratch = tmpfile();

		out = scratch ? dup(fileno(scratch)) : -1;
		if (scratch)
			fclose(scratch);
		if (out < 0)
			return pk_fail(r, "no scratch file for the ELF: %s",
				       strerror(errno));
	}
	r->error[0] = '\0';
	errno = 0;
	rc = pk_elf_build(r, &o, out);
	if (!rc && out != fd) {
		if (o.e)
			elf_end(o.e);
		o.e = NULL;
		if (pk_copy_fd(out, fd))
			rc = pk_fail(r, "write failed: %s", strerror(errno));
	}
	if (out != fd)
		close(out);
	/* libelf's own message hides a failed write(2): prefer errno. */
	if (rc && !r->error[0])
		pk_fail(r, "cannot write the ELF: %s",
			errno ? strerror(errno) : elf_errmsg(-1));
	if (o.e)
		elf_end(o.e);
	free(o.secmap);
	free(o.syms);
	free(o.xindex);
	for (size_t i = 0; i < o.ndebug; i++)
		free(o.debug[i].bytes);
	free(o.debug);
	free(o.shstr.buf);
	free(o.str.buf);
	return rc ? -1 : 0;
}
