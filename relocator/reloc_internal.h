/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the relocator's generic part (reloc.c,
 * reloc_machines.c, reloc_set.c, reloc_write.c) and its per-machine
 * backends (reloc_<arch>.c).  Not installed.
 */
#ifndef PURGKIT_RELOC_INTERNAL_H
#define PURGKIT_RELOC_INTERNAL_H

#include <gelf.h>
#include <stdint.h>

#include <purgkit/byteorder.h>
#include <purgkit/reloc.h>

/* Synthetic sections the relocator adds, numbered after the file's. */
enum pk_synthetic {
	PK_SYN_GOT = 0,		/* GOT entries, like ld's .got */
	PK_SYN_GOTPLT,		/* ld's .got.plt (x86_64: _GLOBAL_OFFSET_TABLE_) */
	PK_SYN_COUNT,
};

struct pk_section {
	const char *name;
	uint64_t size, align, offset;	/* offset from the image's base */
	const uint8_t *bytes;		/* file contents; NULL for NOBITS */
	uint64_t flags;			/* sh_flags */
	int alloc, nobits, placed;
	/* Relocations that apply to this section, host order. */
	GElf_Rela *rela;
	size_t nrela;
};

struct pk_symbol {
	const char *name;
	uint64_t value, size;
	unsigned int shndx;		/* file index, SHN_ABS or SHN_UNDEF */
	unsigned char type, bind, other;
};

/* One GOT entry: which symbol it holds the address of. */
struct pk_got_entry {
	size_t sym;
};

struct pk_reloc_machine_row;

struct pk_reloc {
	char name[256];
	char error[1024];
	/* The object's row of the machine table, set by the header check. */
	const struct pk_reloc_machine_row *row;
	enum pk_reloc_machine machine;	/* row->machine, for the backends */
	int big_endian;
	uint8_t *file;
	size_t file_len;
	Elf *elf;

	/* Sections by file index, then the synthetic ones. */
	struct pk_section *sec;
	size_t nsec;		/* file sections */
	size_t *order;		/* placement order: indices into sec */
	size_t norder;

	struct pk_symbol *sym;
	size_t nsym;

	uint64_t size, file_size, align;
	uint8_t *image;
	uint64_t base;
	int placed;

	/* GOT entries (in .got) and, x86_64, whether ld's .got.plt exists. */
	struct pk_got_entry *got;
	size_t ngot, got_cap;
	int need_gotplt;
	/* Set while relocating; per-machine state. */
	uint64_t toc_base;
};

/* Print into r->error; always returns -1. */
int pk_fail(struct pk_reloc *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Placed address of symbol i (base-relative values resolved). */
uint64_t pk_symbol_address(const struct pk_reloc *r, size_t i);
/* Placed address of section i. */
uint64_t pk_section_address(const struct pk_reloc *r, size_t i);
/* Index of symbol sym's GOT slot (r->got), adding one if add is set; -1
 * if it has none (or memory ran out while adding).  The backends that
 * build a GOT number its slots from this. */
long pk_reloc_got_slot(struct pk_reloc *r, size_t sym, int add);
/*
 * What one relocation works with, decoded once for every machine, in the
 * ELF specification's names: S the symbol's value, P the place, A the
 * addend; field points at the bytes to change in r->image.
 */
struct pk_reloc_site {
	unsigned int type;
	size_t sym;
	uint8_t *field;
	uint64_t S, P, A;
};

struct pk_reloc_site pk_reloc_site(struct pk_reloc *r, size_t s,
				   const GElf_Rela *rel);

/* A name for symbol i in messages: its name, or its section's. */
const char *pk_symbol_label(const struct pk_reloc *r, size_t i);

/* An integer of `bytes` bytes in the object's byte order (byteorder.h). */
uint64_t pk_reloc_get(const struct pk_reloc *r, const uint8_t *p, int bytes);
void pk_reloc_put(const struct pk_reloc *r, uint8_t *p, int bytes, uint64_t v);

/*
 * Describes a failed relocation for people: "R_X86_64_PC32 against
 * 'foo' at .text+0x12".
 */
int pk_reloc_fail(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		  const char *what);
/*
 * The same for a value that does not fit its field: "... value 0x12345
 * overflows its 16-bit signed field".  kind is "signed", "unsigned" or
 * NULL for ld's bitfield check (signed or unsigned would do).
 */
int pk_reloc_overflow(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		      uint64_t v, int bits, const char *kind);

/* How a relocation's value must fit its field, as GNU ld checks it. */
enum pk_reloc_fit {
	PK_FIT_ANY,		/* no check: the field is as wide as the value */
	PK_FIT_SIGNED,
	PK_FIT_UNSIGNED,
	PK_FIT_BITFIELD,	/* signed or unsigned, either fits */
};

/* 0 if v fits a `bits`-bit field as `fit` asks, else pk_reloc_overflow. */
int pk_reloc_check_fit(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		       uint64_t v, int bits, enum pk_reloc_fit fit);

static inline int pk_fits_signed(int64_t v, int bits)
{
	return bits == 64 || (v >= -(INT64_C(1) << (bits - 1)) &&
			      v < (INT64_C(1) << (bits - 1)));
}

static inline int pk_fits_unsigned(uint64_t v, int bits)
{
	return bits == 64 || v < (UINT64_C(1) << bits);
}

/*
 * Per-machine hooks of the relocator (not the loader's struct pk_arch,
 * which describes a kexec target).
 */
struct pk_reloc_arch {
	/* Name of relocation type t, or NULL if the relocator refuses it. */
	const char *(*type_name)(unsigned int t);
	/* Bytes a relocation of type t touches at r_offset (0 for markers). */
	int (*field_size)(unsigned int t);
	/*
	 * Called once after open, before any place: reserve synthetic
	 * sections (GOT) the relocations need.  Returns 0 or -1.
	 */
	int (*prepare)(struct pk_reloc *r);
	/* Called at the start of each place, after layout. */
	int (*begin)(struct pk_reloc *r);
	/* Apply one relocation to section s in r->image. */
	int (*apply)(struct pk_reloc *r, size_t s, const GElf_Rela *rel);
	/*
	 * The placed value of the row's got_symbol (the GOT or TOC base an
	 * object may name undefined); needed when a row has a got_symbol.
	 */
	uint64_t (*got_address)(const struct pk_reloc *r);
	/*
	 * Bytes of a relocation of type t that is plain data, S + A written
	 * at its size (what debug sections use), or 0 for any other type.
	 * Optional: without it an ELF output keeps no debug sections.
	 */
	int (*data_size)(unsigned int t);
	/*
	 * Optional, instead of data_size, for a machine whose debug sections
	 * hold more than plain data (riscv64: label differences as ADD/SUB
	 * and ULEB128 pairs): apply one relocation of type t, value S + A,
	 * to field, with room bytes left in the section.  pending is kept
	 * across the relocations of one section, zero at its start, for
	 * pairs.  Returns 0, or -1 when it cannot (the section is then left
	 * out).
	 */
	int (*debug_apply)(struct pk_reloc *r, unsigned int t, uint8_t *field,
			   uint64_t room, uint64_t value, uint64_t *pending);
};

/*
 * The machine table: one row per kind of object the relocator places,
 * declared by the backend that relocates it (relocator/reloc_<arch>.c) in
 * an array pk_reloc_rows_<arch>[] ended by a row whose name is NULL.  The
 * generic code reads the ELF header against these rows only
 * (reloc_machines.c); it never names a machine itself.
 */
struct pk_reloc_machine_row {
	const char *name;		/* pk_reloc_machine_name: "ppc64le" */
	enum pk_reloc_machine machine;	/* the public value */
	uint16_t e_machine;		/* EM_* */
	unsigned char elf_class;	/* ELFCLASS64: all the reader reads */
	unsigned char elf_data;		/* ELFDATA2LSB or ELFDATA2MSB */
	/*
	 * An ABI in e_flags this row refuses: (e_flags & abi_mask) ==
	 * abi_refused fails with abi_refusal (abi_mask 0: no check).
	 */
	uint32_t abi_mask, abi_refused;
	const char *abi_refusal;
	uint32_t elf_flags;		/* e_flags of a written ELF */
	/* The undefined symbol that means the GOT/TOC base, or NULL. */
	const char *got_symbol;
	/*
	 * The section holding function descriptors (ELFv1 .opd): an entry
	 * symbol there is a descriptor whose first doubleword is the code
	 * address.  NULL: symbols are code addresses.
	 */
	const char *descriptor_section;
	const struct pk_reloc_arch *arch;
};

/*
 * PK_RELOC_BACKENDS(X): X(arch) for every backend, relocator/reloc_<arch>.c
 * and its pk_reloc_rows_<arch>.  relocator/relocator.mk defines it from the
 * architecture families of the target table, so a new machine adds its
 * backend file, a target row and its value of enum pk_reloc_machine
 * (purgkit/reloc.h), and no list here.
 */
#ifndef PK_RELOC_BACKENDS
#error "PK_RELOC_BACKENDS is defined by relocator/relocator.mk (RELOC_CFLAGS)"
#endif

#define PK_RELOC_DECLARE_ROWS(arch) \
	extern const struct pk_reloc_machine_row pk_reloc_rows_##arch[];
PK_RELOC_BACKENDS(PK_RELOC_DECLARE_ROWS)

/*
 * The machine table's part of the header check (reloc_machines.c), both
 * 0 or -1.  First, before the rest of the header: the class, the byte
 * order (sets r->big_endian) and an e_machine that only reads right
 * byte-swapped.  Last: the row of the object's machine, class, byte
 * order and ABI, into r->row and r->machine, or a refusal naming the
 * machine and the rows there are.
 */
int pk_reloc_check_ident(struct pk_reloc *r, const GElf_Ehdr *eh,
			 const char *ident);
int pk_reloc_match_machine(struct pk_reloc *r, const GElf_Ehdr *eh,
			   const char *ident);

#endif /* PURGKIT_RELOC_INTERNAL_H */
