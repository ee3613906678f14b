/* SPDX-License-Identifier: MIT */
/*
 * purgkit-link: place a relocatable trampoline (ld -r output) at an
 * address and write its bytes (--format bin) or an executable ELF of it
 * (--format elf).  The work is libpurgkit-reloc's; this is its command.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <purgkit/reloc.h>

#include "reloc_internal.h"

#define PROG "purgkit-link"

static const char usage[] =
"Usage: " PROG " [--base ADDR] [--set SYMBOL=VALUE]... [--format bin|elf]\n"
"                    [--map] -o OUT IN.ro\n"
"Place a relocatable trampoline (the ET_REL that ld -r makes) at ADDR,\n"
"as GNU ld would link it there, for x86_64, ppc64le (ELFv2) or big-endian\n"
"ppc64 (ELFv1); the target is read from IN.ro.\n"
"\n"
"  -b, --base ADDR       the image's first byte (default 0); a multiple of\n"
"                        the largest section alignment\n"
"  -s, --set SYM=VALUE   after relocating, overwrite symbol SYM, whose size\n"
"                        must match: VALUE is an integer (decimal or 0x...,\n"
"                        written in the target's byte order at the symbol's\n"
"                        size), a \"string\" (NUL-terminated, zero-padded to\n"
"                        the symbol's size), or @FILE (exactly its size)\n"
"  -f, --format FMT      bin: the image bytes from ADDR, zero-fill included\n"
"                        (default); elf: an executable ELF whose sections\n"
"                        and symbols carry their placed addresses\n"
"  -m, --map             print sections, entry point and patchable symbols\n"
"  -o, --output OUT      the file to write (nothing is written on error)\n"
"  -h, --help            this text;  -V, --version  the version\n"
"\n"
"Sections are placed in file order from ADDR upward, each at its alignment,\n"
"zero-filled sections last.  Errors are one line on stderr, exit status 1.\n"
"See purgkit-link(1).\n";

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

/* Apply one --set; returns 0 or -1 with the message on stderr. */
static int apply_set(struct pk_reloc *r, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[256];

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(name)) {
		fprintf(stderr, PROG ": --set %s: expected SYMBOL=VALUE\n", arg);
		return -1;
	}
	memcpy(name, arg, eq - arg);
	name[eq - arg] = 0;
	if (pk_reloc_set_value(r, name, eq + 1)) {
		fprintf(stderr, PROG ": %s\n", pk_reloc_error(r));
		return -1;
	}
	return 0;
}

static void print_map(struct pk_reloc *r, const char *in)
{
	struct pk_reloc_section s;
	struct pk_reloc_symbol sym;
	uint64_t entry;
	size_t i;

	printf("%s: %s, base 0x%llx, 0x%llx bytes (0x%llx from the file), "
	       "alignment 0x%llx\n", in, pk_reloc_machine_name(r),
	       (unsigned long long)pk_reloc_base(r),
	       (unsigned long long)pk_reloc_size(r),
	       (unsigned long long)pk_reloc_file_size(r),
	       (unsigned long long)pk_reloc_align(r));
	printf("\nSections:\n  %-18s  %-10s  %-6s  %s\n", "address", "size",
	       "align", "name");
	for (i = 0; pk_reloc_section_at(r, i, &s) == 0; i++)
		printf("  0x%016llx  0x%08llx  0x%-4llx  %s%s\n",
		       (unsigned long long)s.address,
		       (unsigned long long)s.size,
		       (unsigned long long)s.align, s.name,
		       s.zero_fill ? " (zero-fill)" : "");
	if (pk_reloc_entry(r, &entry) == 0)
		printf("\nEntry: 0x%016llx (pk_entry)\n",
		       (unsigned long long)entry);
	else
		printf("\nEntry: none (no pk_entry symbol)\n");
	printf("\nPatchable symbols (.pk.patch):\n");
	if (pk_reloc_patchable_count(r) == 0)
		printf("  none\n");
	else
		printf("  %-18s  %-10s  %s\n", "address", "size", "name");
	for (i = 0; pk_reloc_patchable_at(r, i, &sym) == 0; i++)
		printf("  0x%016llx  0x%08llx  %s\n",
		       (unsigned long long)sym.address,
		       (unsigned long long)sym.size, sym.name);
}

/* String table builder for the ELF output. */
struct strtab {
	char *buf;
	size_t len, cap;
};

static size_t str_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;

	if (t->len + n > t->cap) {
		size_t cap = (t->len + n) * 2 + 64;
		char *nb = realloc(t->buf, cap);

		if (!nb) {
			fprintf(stderr, PROG ": out of memory\n");
			exit(1);
		}
		t->buf = nb;
		t->cap = cap;
	}
	memcpy(t->buf + at, s, n);
	t->len += n;
	return at;
}

static Elf_Scn *new_section(Elf *e, GElf_Shdr *sh, void *buf, size_t size,
			    Elf_Type type)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d;

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

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/*
 * Add a non-allocated table section at *off (advanced past it), sh's
 * other fields as the caller set them.  names NULL: sh->sh_name is set.
 */
static int add_table(Elf *e, GElf_Shdr *sh, struct strtab *names,
		     const char *name, GElf_Word type, uint64_t *off,
		     void *buf, size_t size, Elf_Type dtype)
{
	if (names)
		sh->sh_name = str_add(names, name);
	sh->sh_type = type;
	sh->sh_offset = *off;
	sh->sh_size = size;
	*off += size;
	return new_section(e, sh, buf, size, dtype) ? 0 : -1;
}

/*
 * Write r as an executable ELF: one PT_LOAD for the image, every placed
 * section at its address, and the named symbols at theirs.
 */
static int write_elf(struct pk_reloc *r, int fd)
{
	const uint8_t *image = pk_reloc_image(r);
	struct strtab shstr = { 0 }, str = { 0 };
	size_t i, nsec = pk_reloc_section_count(r), nsym = 0, firstglobal;
	size_t *secmap = calloc(r->nsec + PK_SYN_COUNT, sizeof(*secmap));
	Elf64_Sym *syms = calloc(r->nsym + 1, sizeof(*syms));
	uint64_t align = pk_reloc_align(r), img_off, off;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	GElf_Shdr sh;
	uint64_t entry = 0;
	Elf *e;
	int pass;

	if (!secmap || !syms)
		return -1;
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, ELFCLASS64) || !gelf_newphdr(e, 1))
		return -1;
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	gelf_getehdr(e, &eh);
	eh.e_ident[EI_DATA] = r->big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_EXEC;
	eh.e_machine = r->machine == PK_RELOC_X86_64 ? EM_X86_64 : EM_PPC64;
	eh.e_version = EV_CURRENT;
	eh.e_flags = r->machine == PK_RELOC_PPC64LE ? 2 :
		r->machine == PK_RELOC_PPC64BE ? 1 : 0;
	if (pk_reloc_entry(r, &entry))
		entry = 0;
	eh.e_entry = entry;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	img_off = align_up(sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr),
			   align < 16 ? 16 : align);
	str_add(&shstr, "");
	str_add(&str, "");

	/* Placed sections keep their names, types and flags. */
	for (i = 0; i < nsec; i++) {
		size_t si = r->order[i];
		const struct pk_section *s = &r->sec[si];

		memset(&sh, 0, sizeof(sh));
		sh.sh_name = str_add(&shstr, s->name);
		sh.sh_type = s->nobits ? SHT_NOBITS : SHT_PROGBITS;
		sh.sh_flags = si >= r->nsec ? SHF_ALLOC | SHF_WRITE :
			s->flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR);
		sh.sh_addr = r->base + s->offset;
		sh.sh_offset = img_off + s->offset;
		sh.sh_size = s->size;
		sh.sh_addralign = s->align;
		if (!new_section(e, &sh, s->nobits ? NULL :
				 (void *)(image + s->offset),
				 s->nobits ? 0 : s->size, ELF_T_BYTE))
			return -1;
		secmap[si] = i + 1;
	}
	/* Symbols: locals first, as ELF requires. */
	memset(&syms[nsym++], 0, sizeof(syms[0]));
	firstglobal = 1;
	for (pass = 0; pass < 2; pass++) {
		for (i = 1; i < r->nsym; i++) {
			const struct pk_symbol *ps = &r->sym[i];
			Elf64_Sym *o;

			if ((ps->bind == STB_LOCAL) != (pass == 0) ||
			    !ps->name[0] || ps->type == STT_SECTION ||
			    ps->type == STT_FILE || ps->shndx == SHN_UNDEF)
				continue;
			if (ps->shndx != SHN_ABS && !secmap[ps->shndx])
				continue;
			o = &syms[nsym++];
			o->st_name = str_add(&str, ps->name);
			o->st_info = GELF_ST_INFO(ps->bind, ps->type);
			o->st_other = ps->other;
			o->st_shndx = ps->shndx == SHN_ABS ? SHN_ABS :
				secmap[ps->shndx];
			o->st_value = pk_symbol_address(r, i);
			o->st_size = ps->size;
		}
		if (pass == 0)
			firstglobal = nsym;
	}
	/* After the image: .symtab, .strtab, .shstrtab, section headers. */
	off = align_up(img_off + pk_reloc_file_size(r), 8);
	memset(&sh, 0, sizeof(sh));
	sh.sh_entsize = sizeof(Elf64_Sym);
	sh.sh_addralign = 8;
	sh.sh_link = nsec + 2;
	sh.sh_info = firstglobal;
	if (add_table(e, &sh, &shstr, ".symtab", SHT_SYMTAB, &off, syms,
		      nsym * sizeof(Elf64_Sym), ELF_T_SYM))
		return -1;
	memset(&sh, 0, sizeof(sh));
	sh.sh_addralign = 1;
	if (add_table(e, &sh, &shstr, ".strtab", SHT_STRTAB, &off, str.buf,
		      str.len, ELF_T_BYTE))
		return -1;
	/* Its own name goes in first, so its size counts it. */
	sh.sh_name = str_add(&shstr, ".shstrtab");
	if (add_table(e, &sh, NULL, NULL, SHT_STRTAB, &off, shstr.buf,
		      shstr.len, ELF_T_BYTE))
		return -1;
	eh.e_shoff = align_up(off, 8);
	eh.e_shstrndx = nsec + 3;
	if (!gelf_update_ehdr(e, &eh))
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
	if (!gelf_update_phdr(e, 0, &ph))
		return -1;
	if (elf_update(e, ELF_C_WRITE) < 0)
		return -1;
	elf_end(e);
	free(secmap);
	free(syms);
	free(shstr.buf);
	free(str.buf);
	return 0;
}

/* The process umask (reading it means setting it; put it straight back). */
static mode_t current_umask(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return mask;
}

static int write_all(int fd, const uint8_t *p, uint64_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n > (1u << 30) ? (1u << 30) : n);

		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "set", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "map", no_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *in, *format = "bin";
	struct stat st;
	const char **sets = calloc(argc, sizeof(*sets));
	char err[1024], *tmp;
	size_t nsets = 0, i;
	uint64_t base = 0;
	struct pk_reloc *r;
	int c, map = 0, fd, rc;

	if (!sets)
		die("out of memory");
	while ((c = getopt_long(argc, argv, "b:s:f:mo:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (parse_u64(optarg, &base))
				die("--base %s: not an address (decimal or "
				    "0x...)", optarg);
			break;
		case 's':
			sets[nsets++] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "bin") && strcmp(optarg, "elf"))
				die("--format %s: expected bin or elf",
				    optarg);
			format = optarg;
			break;
		case 'm':
			map = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			free(sets);
			return 0;
		case 'V':
			printf(PROG " (purgkit) %s\n", PURGKIT_VERSION);
			free(sets);
			return 0;
		default:
			fputs("Try '" PROG " --help'.\n", stderr);
			free(sets);
			return 1;
		}
	}
	if (optind != argc - 1)
		die("expected one input file (IN.ro); try --help");
	in = argv[optind];
	if (!out && !map)
		die("no output: give -o OUT (or --map)");
	r = pk_reloc_open_file(in, err, sizeof(err));
	if (!r)
		die("%s", err);
	if (pk_reloc_place(r, base))
		die("%s", pk_reloc_error(r));
	for (i = 0; i < nsets; i++) {
		if (apply_set(r, sets[i])) {
			pk_reloc_close(r);
			free(sets);
			return 1;
		}
	}
	if (map)
		print_map(r, in);
	if (!out) {
		pk_reloc_close(r);
		free(sets);
		return 0;
	}
	/*
	 * A regular OUT is written beside itself and renamed into place, so a
	 * failure never leaves a half-written file.  Anything else (/dev/null,
	 * a pipe, a terminal) is written in place: renaming over a device
	 * node would replace the device with a file.
	 */
	if (stat(out, &st) == 0 && !S_ISREG(st.st_mode)) {
		fd = open(out, O_WRONLY);
		if (fd < 0)
			die("%s: %s", out, strerror(errno));
		errno = 0;
		rc = !strcmp(format, "elf") ? write_elf(r, fd) :
			write_all(fd, pk_reloc_image(r), pk_reloc_size(r));
		if (close(fd) || rc)
			die("%s: cannot write: %s", out, errno ?
			    strerror(errno) : elf_errmsg(-1));
		pk_reloc_close(r);
		free(sets);
		return 0;
	}
	if (asprintf(&tmp, "%s.tmpXXXXXX", out) < 0)
		die("out of memory");
	fd = mkstemp(tmp);
	if (fd < 0)
		die("%s: %s", out, strerror(errno));
	/* A libelf failure leaves errno alone: report it, not a stale one. */
	errno = 0;
	if (!strcmp(format, "elf"))
		rc = write_elf(r, fd);
	else
		rc = write_all(fd, pk_reloc_image(r), pk_reloc_size(r));
	if (rc == 0)
		rc = fchmod(fd, (!strcmp(format, "elf") ? 0777 : 0666) &
				    ~current_umask());
	if (close(fd))
		rc = -1;
	if (rc || rename(tmp, out)) {
		int e = errno;

		unlink(tmp);
		die("%s: cannot write: %s", out, e ? strerror(e) :
		    elf_errmsg(-1));
	}
	free(tmp);
	pk_reloc_close(r);
	free(sets);
	return 0;
}
