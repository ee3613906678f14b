/* SPDX-License-Identifier: MIT */
/*
 * riscv64 relocations, computed as GNU ld computes them for a static,
 * position-dependent executable linked with --no-relax (the RISC-V psABI,
 * "ELF Object Files": relocations, and binutils' elfnn-riscv.c).
 *
 * Linker relaxation.  An object built with the compiler's default -mrelax
 * marks relaxable sequences with R_RISCV_RELAX and pads every alignment in
 * code with the most NOPs it could need, marked R_RISCV_ALIGN: the padding
 * is only right after the linker has deleted the NOPs the final address
 * makes unneeded, and deleting bytes moves every later symbol and
 * relocation.  The relocator never deletes bytes.  R_RISCV_RELAX is a hint
 * and is ignored, which is what ld --no-relax does.  An R_RISCV_ALIGN is
 * accepted where its padding is already exact at the placed address
 * (nothing to delete: ld would keep every byte too) and refused otherwise,
 * with one line that says to build with -mno-relax; the SDK, its
 * trampolines and the examples are built with -mno-relax, which makes the
 * assembler pad alignments itself and emit neither relocation.
 *
 * PC-relative pairs.  An R_RISCV_PCREL_LO12_I/S does not name its target:
 * its symbol is the label of the auipc that carries the R_RISCV_PCREL_HI20
 * (or R_RISCV_GOT_HI20) it completes, and it takes the low 12 bits of that
 * relocation's value (plus its own addend).  The relocator finds the HI20
 * at that label and computes its value again.
 *
 * Like ld for a non-PIC executable, a PC-relative pair whose target is out
 * of an auipc's reach (+-2 GiB) but whose absolute address fits a lui
 * (the low 2 GiB, or the top 2 GiB of the address space) becomes a lui
 * pair: what makes an undefined weak symbol 0 from code placed high.
 *
 * The GOT (R_RISCV_GOT_HI20, what -fpic code loads a preemptible symbol's
 * address through) is built by the relocator as ld builds it: ".got", one
 * zero doubleword (ld's _DYNAMIC slot, 0 in a static image) then one
 * doubleword per symbol, holding its address; _GLOBAL_OFFSET_TABLE_ is
 * its start; and ld's 16-byte ".got.plt" header (-1, 0) beside it.
 *
 * ADD, SUB and SET are halves of label differences (ADD32 then SUB32 at
 * the same place: a - b), computed modulo the field's width as the psABI
 * defines them; like ld, the relocator checks no range on them.  Every
 * other relocation that does not fit its field is refused by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reloc_internal.h"

/* Types newer than some hosts' <elf.h>. */
#ifndef R_RISCV_PLT32
#define R_RISCV_PLT32 59
#endif
#ifndef R_RISCV_SET_ULEB128
#define R_RISCV_SET_ULEB128 60
#endif
#ifndef R_RISCV_SUB_ULEB128
#define R_RISCV_SUB_ULEB128 61
#endif

/* Opcodes the relocator rewrites (the low 7 bits of an instruction). */
#define RV_OPCODE_MASK 0x7fu
#define RV_OPCODE_LUI 0x37u
#define RV_JALR_RS1_MASK (0x1fu << 15)

#define REFUSE_TLS "thread-local storage: a trampoline has no thread pointer"
#define REFUSE_DYNAMIC "a dynamic relocation: give the relocator the ld -r " \
	"object, not a linked executable or shared object"
#define REFUSE_RELAXED "made only by linker relaxation, which the " \
	"relocator does not do (build with -mno-relax)"

/*
 * Every type the backend knows: its name, the bytes it changes at
 * r_offset, and for those it refuses, why (checked at open, so a refused
 * object fails before anything is placed).
 */
struct riscv_type {
	const char *name;
	unsigned char field;
	const char *refusal;
};

#define T(type, bytes) [type] = { #type, bytes, NULL }
#define REFUSED(type, why) [type] = { #type, 0, why }
static const struct riscv_type types[] = {
	T(R_RISCV_NONE, 0),
	T(R_RISCV_32, 4),
	T(R_RISCV_64, 8),
	REFUSED(R_RISCV_RELATIVE, REFUSE_DYNAMIC),
	REFUSED(R_RISCV_COPY, REFUSE_DYNAMIC),
	REFUSED(R_RISCV_JUMP_SLOT, REFUSE_DYNAMIC),
	REFUSED(R_RISCV_TLS_DTPMOD32, REFUSE_TLS),
	REFUSED(R_RISCV_TLS_DTPMOD64, REFUSE_TLS),
	REFUSED(R_RISCV_TLS_DTPREL32, REFUSE_TLS),
	REFUSED(R_RISCV_TLS_DTPREL64, REFUSE_TLS),
	REFUSED(R_RISCV_TLS_TPREL32, REFUSE_TLS),
	REFUSED(R_RISCV_TLS_TPREL64, REFUSE_TLS),
	T(R_RISCV_BRANCH, 4),
	T(R_RISCV_JAL, 4),
	T(R_RISCV_CALL, 8),
	T(R_RISCV_CALL_PLT, 8),
	T(R_RISCV_GOT_HI20, 4),
	REFUSED(R_RISCV_TLS_GOT_HI20, REFUSE_TLS),
	REFUSED(R_RISCV_TLS_GD_HI20, REFUSE_TLS),
	T(R_RISCV_PCREL_HI20, 4),
	T(R_RISCV_PCREL_LO12_I, 4),
	T(R_RISCV_PCREL_LO12_S, 4),
	T(R_RISCV_HI20, 4),
	T(R_RISCV_LO12_I, 4),
	T(R_RISCV_LO12_S, 4),
	REFUSED(R_RISCV_TPREL_HI20, REFUSE_TLS),
	REFUSED(R_RISCV_TPREL_LO12_I, REFUSE_TLS),
	REFUSED(R_RISCV_TPREL_LO12_S, REFUSE_TLS),
	REFUSED(R_RISCV_TPREL_ADD, REFUSE_TLS),
	T(R_RISCV_ADD8, 1),
	T(R_RISCV_ADD16, 2),
	T(R_RISCV_ADD32, 4),
	T(R_RISCV_ADD64, 8),
	T(R_RISCV_SUB8, 1),
	T(R_RISCV_SUB16, 2),
	T(R_RISCV_SUB32, 4),
	T(R_RISCV_SUB64, 8),
	T(R_RISCV_ALIGN, 0),
	T(R_RISCV_RVC_BRANCH, 2),
	T(R_RISCV_RVC_JUMP, 2),
	REFUSED(R_RISCV_RVC_LUI, REFUSE_RELAXED),
	REFUSED(R_RISCV_GPREL_I, REFUSE_RELAXED),
	REFUSED(R_RISCV_GPREL_S, REFUSE_RELAXED),
	REFUSED(R_RISCV_TPREL_I, REFUSE_TLS),
	REFUSED(R_RISCV_TPREL_S, REFUSE_TLS),
	T(R_RISCV_RELAX, 0),
	T(R_RISCV_SUB6, 1),
	T(R_RISCV_SET6, 1),
	T(R_RISCV_SET8, 1),
	T(R_RISCV_SET16, 2),
	T(R_RISCV_SET32, 4),
	T(R_RISCV_32_PCREL, 4),
	REFUSED(R_RISCV_IRELATIVE, REFUSE_DYNAMIC),
	T(R_RISCV_PLT32, 4),
	T(R_RISCV_SET_ULEB128, 1),
	T(R_RISCV_SUB_ULEB128, 1),
};
#undef T
#undef REFUSED

#define NTYPES (sizeof(types) / sizeof(types[0]))

static const char *riscv_type_name(unsigned int t)
{
	return t < NTYPES ? types[t].name : NULL;
}

static int riscv_field_size(unsigned int t)
{
	return t < NTYPES ? types[t].field : 0;
}

static struct pk_section *got_section(struct pk_reloc *r)
{
	return &r->sec[r->nsec + PK_SYN_GOT];
}

/*
 * The GOT slot of symbol sym, as a byte offset from the start of .got
 * (slot 0 is ld's header); adds one if add is set.  -1 if none (or out of
 * memory while adding).
 */
static long got_offset(struct pk_reloc *r, size_t sym, int add)
{
	long slot = pk_reloc_got_slot(r, sym, add);

	return slot < 0 ? -1 : 8 * (slot + 1);
}

static int is_undefined_weak(const struct pk_reloc *r, size_t sym)
{
	return sym && r->sym[sym].shndx == SHN_UNDEF &&
		r->sym[sym].bind == STB_WEAK;
}

/* The checks that need no address, one relocation at a time. */
static int check_relocation(struct pk_reloc *r, size_t s, size_t j)
{
	const struct pk_section *sec = &r->sec[s];
	const GElf_Rela *rel = &sec->rela[j];
	unsigned int t = GELF_R_TYPE(rel->r_info);
	size_t sym = GELF_R_SYM(rel->r_info);
	const GElf_Rela *next = j + 1 < sec->nrela ? rel + 1 : NULL;
	const GElf_Rela *prev = j ? rel - 1 : NULL;

	if (types[t].refusal)
		return pk_reloc_fail(r, s, rel, types[t].refusal);
	switch (t) {
	case R_RISCV_GOT_HI20:
		/* ld: "The addend isn't allowed for R_RISCV_GOT_HI20". */
		if (rel->r_addend)
			return pk_reloc_fail(r, s, rel, "a GOT load with an "
					     "addend (the GOT holds the "
					     "symbol's address only)");
		if (got_offset(r, sym, 1) < 0)
			return pk_fail(r, "out of memory");
		return 0;
	case R_RISCV_PCREL_LO12_I:
	case R_RISCV_PCREL_LO12_S:
		/* The label is the auipc's address; an addend there is
		 * ambiguous (ld refuses it too). */
		if (r->sym[sym].type == STT_SECTION && rel->r_addend)
			return pk_reloc_fail(r, s, rel, "%pcrel_lo names its "
					     "auipc by a section symbol with an "
					     "addend; it must name the label");
		if (r->sym[sym].shndx == SHN_UNDEF ||
		    r->sym[sym].shndx == SHN_ABS)
			return pk_reloc_fail(r, s, rel, "%pcrel_lo must name "
					     "the label of its auipc in this "
					     "object");
		return 0;
	case R_RISCV_ALIGN:
		if ((uint64_t)rel->r_addend > sec->size - rel->r_offset)
			return pk_reloc_fail(r, s, rel, "its padding runs past "
					     "the end of the section");
		return 0;
	case R_RISCV_SET_ULEB128:
		if (!next || GELF_R_TYPE(next->r_info) !=
			     R_RISCV_SUB_ULEB128 ||
		    next->r_offset != rel->r_offset)
			return pk_reloc_fail(r, s, rel, "not followed by the "
					     "R_RISCV_SUB_ULEB128 at the same "
					     "offset that completes it");
		return 0;
	case R_RISCV_SUB_ULEB128:
		if (!prev || GELF_R_TYPE(prev->r_info) !=
			     R_RISCV_SET_ULEB128 ||
		    prev->r_offset != rel->r_offset)
			return pk_reloc_fail(r, s, rel, "not preceded by the "
					     "R_RISCV_SET_ULEB128 at the same "
					     "offset it completes");
		return 0;
	}
	return 0;
}

static int riscv_prepare(struct pk_reloc *r)
{
	struct pk_section *gotplt = &r->sec[r->nsec + PK_SYN_GOTPLT];
	struct pk_section *got = got_section(r);
	int named = 0;
	size_t i, j;

	for (i = 1; i < r->nsec; i++)
		for (j = 0; j < r->sec[i].nrela; j++)
			if (check_relocation(r, i, j))
				return -1;
	for (i = 1; i < r->nsym; i++)
		if (r->sym[i].shndx == SHN_UNDEF &&
		    !strcmp(r->sym[i].name, r->row->got_symbol))
			named = 1;
	if (!r->ngot && !named)
		return 0;
	got->name = ".got";
	got->alloc = 1;
	got->align = 8;
	got->size = 8 * (r->ngot + 1);
	gotplt->name = ".got.plt";
	gotplt->alloc = 1;
	gotplt->align = 8;
	gotplt->size = 16;
	return 0;
}

static int riscv_begin(struct pk_reloc *r)
{
	const struct pk_section *got = got_section(r);
	size_t i;

	if (!got->alloc)
		return 0;
	/* ld's .got.plt header: -1, then 0 (the .got header is 0 too). */
	pk_reloc_put(r, r->image + r->sec[r->nsec + PK_SYN_GOTPLT].offset, 8,
		     UINT64_MAX);
	for (i = 0; i < r->ngot; i++)
		pk_reloc_put(r, r->image + got->offset + 8 * (i + 1), 8,
			     pk_symbol_address(r, r->got[i].sym));
	return 0;
}

static uint32_t get_insn(const struct pk_reloc *r, const uint8_t *p)
{
	return (uint32_t)pk_reloc_get(r, p, 4);
}

static void put_insn(const struct pk_reloc *r, uint8_t *p, uint32_t insn)
{
	pk_reloc_put(r, p, 4, insn);
}

/* Whether a lui or auipc (+ a 12-bit signed part) reaches v. */
static int fits_hi20(uint64_t v)
{
	int64_t x = (int64_t)(v + 0x800);

	return x >= INT32_MIN && x <= INT32_MAX;
}

/* The 20 upper bits of v, rounded for a signed 12-bit low part. */
static uint32_t hi20(uint64_t v)
{
	return (uint32_t)((v + 0x800) & 0xfffff000u);
}

static uint32_t encode_itype(uint32_t insn, uint64_t v)
{
	return (insn & 0x000fffffu) | (uint32_t)((v & 0xfff) << 20);
}

static uint32_t encode_stype(uint32_t insn, uint64_t v)
{
	return (insn & 0x01fff07fu) | (uint32_t)((v & 0xfe0) << 20) |
		(uint32_t)((v & 0x1f) << 7);
}

static uint32_t encode_btype(uint32_t insn, uint64_t v)
{
	return (insn & 0x01fff07fu) | (uint32_t)(((v >> 12) & 1) << 31) |
		(uint32_t)(((v >> 5) & 0x3f) << 25) |
		(uint32_t)(((v >> 1) & 0xf) << 8) |
		(uint32_t)(((v >> 11) & 1) << 7);
}

static uint32_t encode_jtype(uint32_t insn, uint64_t v)
{
	return (insn & 0x00000fffu) | (uint32_t)(((v >> 20) & 1) << 31) |
		(uint32_t)(((v >> 1) & 0x3ff) << 21) |
		(uint32_t)(((v >> 11) & 1) << 20) |
		(uint32_t)(((v >> 12) & 0xff) << 12);
}

/* c.beqz / c.bnez: offset[8|4:3] at [12|11:10], [7:6|2:1|5] at [6:2]. */
static uint32_t encode_cbtype(uint32_t insn, uint64_t v)
{
	return (insn & ~0x1c7cu) | (uint32_t)(((v >> 8) & 1) << 12) |
		(uint32_t)(((v >> 3) & 3) << 10) |
		(uint32_t)(((v >> 6) & 3) << 5) |
		(uint32_t)(((v >> 1) & 3) << 3) |
		(uint32_t)(((v >> 5) & 1) << 2);
}

/* c.j / c.jal: offset[11|4|9:8|10|6|7|3:1|5] at [12:2]. */
static uint32_t encode_cjtype(uint32_t insn, uint64_t v)
{
	return (insn & ~0x1ffcu) | (uint32_t)(((v >> 11) & 1) << 12) |
		(uint32_t)(((v >> 4) & 1) << 11) |
		(uint32_t)(((v >> 8) & 3) << 9) |
		(uint32_t)(((v >> 10) & 1) << 8) |
		(uint32_t)(((v >> 6) & 1) << 7) |
		(uint32_t)(((v >> 7) & 1) << 6) |
		(uint32_t)(((v >> 1) & 7) << 3) |
		(uint32_t)(((v >> 5) & 1) << 2);
}

/*
 * What a PCREL_HI20 or GOT_HI20 computes: the offset from its auipc to
 * its target, or the target itself where ld makes the auipc a lui
 * (absolute).
 */
struct riscv_hi {
	uint64_t value;
	int absolute;
};

static struct riscv_hi hi_value(struct pk_reloc *r, size_t s,
				const GElf_Rela *rel)
{
	const struct pk_reloc_site at = pk_reloc_site(r, s, rel);
	uint64_t target = at.S;
	struct riscv_hi hi;

	if (at.type == R_RISCV_GOT_HI20)
		target = pk_section_address(r, r->nsec + PK_SYN_GOT) +
			(uint64_t)got_offset(r, at.sym, 0);
	/*
	 * ld (riscv_zero_pcrel_hi_reloc) decides on the target without the
	 * addend, then relocates target + addend either way.
	 */
	if (!fits_hi20(target - at.P) && fits_hi20(target)) {
		hi.value = target + at.A;
		hi.absolute = 1;
	} else {
		hi.value = target + at.A - at.P;
		hi.absolute = 0;
	}
	return hi;
}

/* The HI20 relocation at the label a PCREL_LO12 names, or NULL. */
static const GElf_Rela *find_hi(const struct pk_reloc *r, size_t sym,
				size_t *hi_section)
{
	const struct pk_symbol *label = &r->sym[sym];
	const struct pk_section *sec = &r->sec[label->shndx];
	size_t j;

	for (j = 0; j < sec->nrela; j++) {
		unsigned int t = GELF_R_TYPE(sec->rela[j].r_info);

		if (sec->rela[j].r_offset == label->value &&
		    (t == R_RISCV_PCREL_HI20 || t == R_RISCV_GOT_HI20)) {
			*hi_section = label->shndx;
			return &sec->rela[j];
		}
	}
	return NULL;
}

static int apply_pcrel_lo(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
			  const struct pk_reloc_site *at)
{
	size_t hs = 0;
	const GElf_Rela *hirel = find_hi(r, at->sym, &hs);
	struct riscv_hi hi;
	uint64_t v;
	uint32_t insn = get_insn(r, at->field);

	if (!hirel)
		return pk_reloc_fail(r, s, rel, "no R_RISCV_PCREL_HI20 or "
				     "R_RISCV_GOT_HI20 at the label it names");
	if (GELF_R_TYPE(hirel->r_info) == R_RISCV_GOT_HI20 && at->A)
		return pk_reloc_fail(r, s, rel, "an addend on the low part of "
				     "a GOT load");
	hi = hi_value(r, hs, hirel);
	v = hi.value + at->A;
	if (hi20(v) != hi20(hi.value))
		return pk_reloc_fail(r, s, rel, "its addend carries into the "
				     "high part its auipc already holds");
	insn = at->type == R_RISCV_PCREL_LO12_I ? encode_itype(insn, v) :
		encode_stype(insn, v);
	put_insn(r, at->field, insn);
	return 0;
}

/* An even offset that fits `bits` signed bits, else a refusal. */
static int check_jump(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		      uint64_t v, int bits)
{
	if (v & 1)
		return pk_reloc_fail(r, s, rel, "the target is at an odd "
				     "offset from the jump");
	return pk_reloc_check_fit(r, s, rel, v, bits, PK_FIT_SIGNED);
}

static int check_hi20(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		      uint64_t v)
{
	char what[128];

	if (fits_hi20(v))
		return 0;
	snprintf(what, sizeof(what), "value 0x%llx is out of the +-2 GiB "
		 "reach of its 32-bit %%hi/%%lo pair", (unsigned long long)v);
	return pk_reloc_fail(r, s, rel, what);
}

/* A ULEB128 at p of at most `room` bytes: its length, or 0. */
static size_t uleb128_length(const uint8_t *p, uint64_t room)
{
	size_t n;

	for (n = 0; n < room && n < 10; n++)
		if (!(p[n] & 0x80))
			return n + 1;
	return 0;
}

/*
 * The SET_ULEB128 + SUB_ULEB128 pair at rel (check_relocation made sure
 * the SUB follows): (S + A) - (S' + A') into the ULEB128 that is there,
 * in as many bytes as it has (the assembler's padding is kept).
 */
static int apply_uleb128(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
			 const struct pk_reloc_site *at)
{
	const struct pk_reloc_site sub = pk_reloc_site(r, s, rel + 1);
	const struct pk_section *sec = &r->sec[s];
	size_t n = uleb128_length(at->field, sec->size - rel->r_offset), i;
	uint64_t v = at->S + at->A - (sub.S + sub.A);

	if (!n)
		return pk_reloc_fail(r, s, rel, "no ULEB128 at the offset "
				     "(it runs past the section or 10 bytes)");
	if (n < 10 && v >> (7 * n))
		return pk_reloc_overflow(r, s, rel, v, (int)(7 * n),
					 "unsigned");
	for (i = 0; i < n; i++)
		at->field[i] = (uint8_t)(((v >> (7 * i)) & 0x7f) |
					 (i + 1 < n ? 0x80 : 0));
	return 0;
}

/* ld's R_RISCV_ALIGN: accepted only where no byte need be deleted. */
static int check_align(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		       uint64_t P)
{
	uint64_t alignment = 1, needed;
	char what[256];

	while (alignment <= (uint64_t)rel->r_addend)
		alignment *= 2;
	needed = (alignment - (P & (alignment - 1))) & (alignment - 1);
	if (needed == (uint64_t)rel->r_addend)
		return 0;
	snprintf(what, sizeof(what), "%lld bytes of alignment padding of "
		 "which %lld are needed at 0x%llx: only linker relaxation "
		 "deletes the rest, which the relocator does not do (build "
		 "with -mno-relax)", (long long)rel->r_addend,
		 (long long)needed, (unsigned long long)P);
	return pk_reloc_fail(r, s, rel, what);
}

/* ADD, SUB, SET: the value at the place, changed modulo its width. */
static int apply_arithmetic(struct pk_reloc *r, const struct pk_reloc_site *at)
{
	int size = types[at->type].field;
	uint64_t old = pk_reloc_get(r, at->field, size), v;

	switch (at->type) {
	case R_RISCV_ADD8:
	case R_RISCV_ADD16:
	case R_RISCV_ADD32:
	case R_RISCV_ADD64:
		v = old + at->S + at->A;
		break;
	case R_RISCV_SUB8:
	case R_RISCV_SUB16:
	case R_RISCV_SUB32:
	case R_RISCV_SUB64:
		v = old - (at->S + at->A);
		break;
	case R_RISCV_SUB6:
		v = (old & ~0x3fu) | ((old - (at->S + at->A)) & 0x3f);
		break;
	case R_RISCV_SET6:
		v = (old & ~0x3fu) | ((at->S + at->A) & 0x3f);
		break;
	default:		/* SET8, SET16, SET32 */
		v = at->S + at->A;
		break;
	}
	pk_reloc_put(r, at->field, size, v);
	return 0;
}

static int riscv_apply(struct pk_reloc *r, size_t s, const GElf_Rela *rel)
{
	const struct pk_reloc_site at = pk_reloc_site(r, s, rel);
	uint8_t *p = at.field;
	uint64_t v;
	uint32_t insn;
	struct riscv_hi hi;

	switch (at.type) {
	case R_RISCV_NONE:
	case R_RISCV_RELAX:
	case R_RISCV_SUB_ULEB128:	/* done with its SET_ULEB128 */
		return 0;
	case R_RISCV_ALIGN:
		return check_align(r, s, rel, at.P);
	case R_RISCV_64:
		pk_reloc_put(r, p, 8, at.S + at.A);
		return 0;
	case R_RISCV_32:
		v = at.S + at.A;
		if (pk_reloc_check_fit(r, s, rel, v, 32, PK_FIT_BITFIELD))
			return -1;
		pk_reloc_put(r, p, 4, v);
		return 0;
	case R_RISCV_32_PCREL:
	case R_RISCV_PLT32:
		v = at.S + at.A - at.P;
		if (pk_reloc_check_fit(r, s, rel, v, 32, PK_FIT_SIGNED))
			return -1;
		pk_reloc_put(r, p, 4, v);
		return 0;
	case R_RISCV_HI20:
		v = at.S + at.A;
		if (check_hi20(r, s, rel, v))
			return -1;
		put_insn(r, p, (get_insn(r, p) & 0xfffu) | hi20(v));
		return 0;
	case R_RISCV_LO12_I:
		put_insn(r, p, encode_itype(get_insn(r, p), at.S + at.A));
		return 0;
	case R_RISCV_LO12_S:
		put_insn(r, p, encode_stype(get_insn(r, p), at.S + at.A));
		return 0;
	case R_RISCV_PCREL_HI20:
	case R_RISCV_GOT_HI20:
		hi = hi_value(r, s, rel);
		if (check_hi20(r, s, rel, hi.value))
			return -1;
		insn = get_insn(r, p);
		if (hi.absolute)
			insn = (insn & ~RV_OPCODE_MASK) | RV_OPCODE_LUI;
		put_insn(r, p, (insn & 0xfffu) | hi20(hi.value));
		return 0;
	case R_RISCV_PCREL_LO12_I:
	case R_RISCV_PCREL_LO12_S:
		return apply_pcrel_lo(r, s, rel, &at);
	case R_RISCV_CALL:
	case R_RISCV_CALL_PLT:
		v = at.S + at.A - at.P;
		insn = get_insn(r, p + 4);
		if (is_undefined_weak(r, at.sym)) {
			/* ld: the jalr's base becomes x0, the target A. */
			insn &= ~RV_JALR_RS1_MASK;
			v = at.A;
		}
		if (check_hi20(r, s, rel, v))
			return -1;
		put_insn(r, p, (get_insn(r, p) & 0xfffu) | hi20(v));
		put_insn(r, p + 4, encode_itype(insn, v));
		return 0;
	case R_RISCV_JAL:
		v = at.S + at.A - at.P;
		if (check_jump(r, s, rel, v, 21))
			return -1;
		put_insn(r, p, encode_jtype(get_insn(r, p), v));
		return 0;
	case R_RISCV_BRANCH:
		v = at.S + at.A - at.P;
		if (check_jump(r, s, rel, v, 13))
			return -1;
		put_insn(r, p, encode_btype(get_insn(r, p), v));
		return 0;
	case R_RISCV_RVC_BRANCH:
	case R_RISCV_RVC_JUMP:
		v = at.S + at.A - at.P;
		if (check_jump(r, s, rel, v,
			       at.type == R_RISCV_RVC_BRANCH ? 9 : 12))
			return -1;
		insn = (uint32_t)pk_reloc_get(r, p, 2);
		insn = at.type == R_RISCV_RVC_BRANCH ? encode_cbtype(insn, v) :
			encode_cjtype(insn, v);
		pk_reloc_put(r, p, 2, insn);
		return 0;
	case R_RISCV_SET_ULEB128:
		return apply_uleb128(r, s, rel, &at);
	case R_RISCV_ADD8:
	case R_RISCV_ADD16:
	case R_RISCV_ADD32:
	case R_RISCV_ADD64:
	case R_RISCV_SUB6:
	case R_RISCV_SUB8:
	case R_RISCV_SUB16:
	case R_RISCV_SUB32:
	case R_RISCV_SUB64:
	case R_RISCV_SET6:
	case R_RISCV_SET8:
	case R_RISCV_SET16:
	case R_RISCV_SET32:
		return apply_arithmetic(r, &at);
	}
	return pk_reloc_fail(r, s, rel, "unsupported");
}

/*
 * A relocation of a debug section (an ELF output's .debug_*, for gdb and
 * addr2line): 32 and 64 are S + A; ADD, SUB and SET change the value in
 * place as in the image; a SET_ULEB128 leaves its value in *pending for
 * the SUB_ULEB128 at the same offset, which writes the difference in the
 * ULEB128's own length.  Anything else: -1.
 */
static int riscv_debug_apply(struct pk_reloc *r, unsigned int t,
			     uint8_t *field, uint64_t room, uint64_t value,
			     uint64_t *pending)
{
	struct pk_reloc_site at = { 0 };
	size_t n;
	uint64_t v;

	switch (t) {
	case R_RISCV_32:
	case R_RISCV_64:
		pk_reloc_put(r, field, types[t].field, value);
		return 0;
	case R_RISCV_SET_ULEB128:
		*pending = value;
		return 0;
	case R_RISCV_SUB_ULEB128:
		v = *pending - value;
		n = uleb128_length(field, room);
		if (!n || (n < 10 && v >> (7 * n)))
			return -1;
		for (size_t i = 0; i < n; i++)
			field[i] = (uint8_t)(((v >> (7 * i)) & 0x7f) |
					     (i + 1 < n ? 0x80 : 0));
		return 0;
	case R_RISCV_ADD8:
	case R_RISCV_ADD16:
	case R_RISCV_ADD32:
	case R_RISCV_ADD64:
	case R_RISCV_SUB6:
	case R_RISCV_SUB8:
	case R_RISCV_SUB16:
	case R_RISCV_SUB32:
	case R_RISCV_SUB64:
	case R_RISCV_SET6:
	case R_RISCV_SET8:
	case R_RISCV_SET16:
	case R_RISCV_SET32:
		at.type = t;
		at.field = field;
		at.S = value;
		at.A = 0;
		return apply_arithmetic(r, &at);
	}
	return -1;
}

/* _GLOBAL_OFFSET_TABLE_ is the start of .got, as ld defines it. */
static uint64_t riscv_got_address(const struct pk_reloc *r)
{
	return pk_section_address(r, r->nsec + PK_SYN_GOT);
}

static const struct pk_reloc_arch pk_reloc_arch_riscv64 = {
	.type_name = riscv_type_name,
	.field_size = riscv_field_size,
	.prepare = riscv_prepare,
	.begin = riscv_begin,
	.apply = riscv_apply,
	.got_address = riscv_got_address,
	.debug_apply = riscv_debug_apply,
};

const struct pk_reloc_machine_row pk_reloc_rows_riscv64[] = {
	{
		.name = "riscv64",
		.machine = PK_RELOC_RISCV64,
		.e_machine = EM_RISCV,
		.elf_class = ELFCLASS64,
		.elf_data = ELFDATA2LSB,
		/* RVC, soft-float ABI (lp64): what the SDK builds. */
		.elf_flags = EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_SOFT,
		.got_symbol = "_GLOBAL_OFFSET_TABLE_",
		.arch = &pk_reloc_arch_riscv64,
	},
	{ .name = NULL },
};
