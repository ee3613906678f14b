/* SPDX-License-Identifier: MIT */
/*
 * aarch64 relocations, computed as GNU ld computes them for a static,
 * position-dependent executable (ld -o, no -pie), in the names of the
 * Arm ELF ABI ("ELF for the Arm 64-bit Architecture", aaelf64): S the
 * symbol, A the addend, P the place, Page(x) = x & ~0xfff, GOT the
 * address of _GLOBAL_OFFSET_TABLE_ and G(S) the address of S's GOT slot.
 *
 * Instructions are little-endian whatever the data byte order (the
 * architecture fetches them so); only little-endian objects have a row.
 *
 * Overflow checks are ld's: a field of N bits after a right shift of R
 * takes a value that fits N + R bits, signed or unsigned as the ABI's
 * table says; the _NC ("no check") forms take any value.  Calls and
 * jumps out of reach are refused: ld would add a veneer (a stub the
 * branch goes through), which a trampoline never needs.
 *
 * The GOT: ld keeps every GOT load of aarch64 code (it does not rewrite
 * adrp+ldr into adrp+add), so the relocator builds the GOT ld builds: a
 * ".got" section whose first 8-byte slot is reserved (the dynamic
 * section's address, 0 in a static image) and whose start is
 * _GLOBAL_OFFSET_TABLE_, a slot per symbol after it holding the symbol's
 * address, then ld's 24-byte ".got.plt" (three reserved slots, all 0).
 * A GOT load with an addend is refused (ld would drop the addend).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reloc_internal.h"

/*
 * The relocation types of the ABI's static and GOT tables, with their
 * numbers (elf.h has them, but not every host's elf.h has all).
 */
#define AARCH64_RELOCS(X)						\
	X(NONE, 0)							\
	X(ABS64, 257) X(ABS32, 258) X(ABS16, 259)			\
	X(PREL64, 260) X(PREL32, 261) X(PREL16, 262)			\
	X(MOVW_UABS_G0, 263) X(MOVW_UABS_G0_NC, 264)			\
	X(MOVW_UABS_G1, 265) X(MOVW_UABS_G1_NC, 266)			\
	X(MOVW_UABS_G2, 267) X(MOVW_UABS_G2_NC, 268)			\
	X(MOVW_UABS_G3, 269)						\
	X(MOVW_SABS_G0, 270) X(MOVW_SABS_G1, 271) X(MOVW_SABS_G2, 272)	\
	X(LD_PREL_LO19, 273) X(ADR_PREL_LO21, 274)			\
	X(ADR_PREL_PG_HI21, 275) X(ADR_PREL_PG_HI21_NC, 276)		\
	X(ADD_ABS_LO12_NC, 277) X(LDST8_ABS_LO12_NC, 278)		\
	X(TSTBR14, 279) X(CONDBR19, 280) X(JUMP26, 282) X(CALL26, 283)	\
	X(LDST16_ABS_LO12_NC, 284) X(LDST32_ABS_LO12_NC, 285)		\
	X(LDST64_ABS_LO12_NC, 286)					\
	X(MOVW_PREL_G0, 287) X(MOVW_PREL_G0_NC, 288)			\
	X(MOVW_PREL_G1, 289) X(MOVW_PREL_G1_NC, 290)			\
	X(MOVW_PREL_G2, 291) X(MOVW_PREL_G2_NC, 292)			\
	X(MOVW_PREL_G3, 293)						\
	X(LDST128_ABS_LO12_NC, 299)					\
	X(GOT_LD_PREL19, 309) X(LD64_GOTOFF_LO15, 310)			\
	X(ADR_GOT_PAGE, 311) X(LD64_GOT_LO12_NC, 312)			\
	X(LD64_GOTPAGE_LO15, 313)

enum aarch64_reloc {
#define AARCH64_ENUM(name, number) A64_##name = number,
	AARCH64_RELOCS(AARCH64_ENUM)
#undef AARCH64_ENUM
};

/*
 * Types the ABI defines that the relocator refuses, named so that the
 * refusal says which: thread-local storage (a trampoline has no thread
 * pointer), the GOT-relative MOVW group and data (GOTREL), PLT32
 * (GNU ld 2.40, the oracle the relocator is checked against, has
 * neither), TLS descriptors and the dynamic relocations (an ET_REL has
 * none).
 */
#define AARCH64_REFUSED(X)						\
	X(GOTREL64, 307) X(GOTREL32, 308) X(PLT32, 314)			\
	X(MOVW_GOTOFF_G0, 300) X(MOVW_GOTOFF_G0_NC, 301)		\
	X(MOVW_GOTOFF_G1, 302) X(MOVW_GOTOFF_G1_NC, 303)		\
	X(MOVW_GOTOFF_G2, 304) X(MOVW_GOTOFF_G2_NC, 305)		\
	X(MOVW_GOTOFF_G3, 306)						\
	X(TLSGD_ADR_PREL21, 512) X(TLSGD_ADR_PAGE21, 513)		\
	X(TLSGD_ADD_LO12_NC, 514)					\
	X(TLSIE_ADR_GOTTPREL_PAGE21, 541)				\
	X(TLSIE_LD64_GOTTPREL_LO12_NC, 542)				\
	X(TLSIE_LD_GOTTPREL_PREL19, 543)				\
	X(TLSLE_MOVW_TPREL_G2, 544) X(TLSLE_MOVW_TPREL_G1, 545)		\
	X(TLSLE_MOVW_TPREL_G1_NC, 546) X(TLSLE_MOVW_TPREL_G0, 547)	\
	X(TLSLE_MOVW_TPREL_G0_NC, 548) X(TLSLE_ADD_TPREL_HI12, 549)	\
	X(TLSLE_ADD_TPREL_LO12, 550) X(TLSLE_ADD_TPREL_LO12_NC, 551)	\
	X(TLSDESC_LD_PREL19, 560) X(TLSDESC_ADR_PREL21, 561)		\
	X(TLSDESC_ADR_PAGE21, 562) X(TLSDESC_LD64_LO12, 563)		\
	X(TLSDESC_ADD_LO12, 564) X(TLSDESC_OFF_G1, 565)			\
	X(TLSDESC_OFF_G0_NC, 566) X(TLSDESC_LDR, 567)			\
	X(TLSDESC_ADD, 568) X(TLSDESC_CALL, 569)			\
	X(COPY, 1024) X(GLOB_DAT, 1025) X(JUMP_SLOT, 1026)		\
	X(RELATIVE, 1027) X(TLS_DTPMOD, 1028) X(TLS_DTPREL, 1029)	\
	X(TLS_TPREL, 1030) X(TLSDESC, 1031) X(IRELATIVE, 1032)

static const struct {
	unsigned int type;
	const char *name;
	int supported;
} type_names[] = {
#define AARCH64_NAME(name, number) { number, "R_AARCH64_" #name, 1 },
	AARCH64_RELOCS(AARCH64_NAME)
#undef AARCH64_NAME
#define AARCH64_REFUSED_NAME(name, number) { number, "R_AARCH64_" #name, 0 },
	AARCH64_REFUSED(AARCH64_REFUSED_NAME)
#undef AARCH64_REFUSED_NAME
};

#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

static int type_index(unsigned int t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (type_names[i].type == t)
			return (int)i;
	return -1;
}

/*
 * Every type the ABI names has a name, so that even one the relocator
 * refuses is refused by name (at place time, by apply()).
 */
static const char *a64_type_name(unsigned int t)
{
	int i = type_index(t);

	return i < 0 ? NULL : type_names[i].name;
}

static int a64_field_size(unsigned int t)
{
	switch (t) {
	case A64_NONE:
		return 0;
	case A64_ABS16:
	case A64_PREL16:
		return 2;
	case A64_ABS64:
	case A64_PREL64:
		return 8;
	default:
		/* One instruction, or a 32-bit datum. */
		return 4;
	}
}

/* The plain S + A data of debug sections (.debug_info, .debug_line...). */
static int a64_data_size(unsigned int t)
{
	switch (t) {
	case A64_ABS64:
		return 8;
	case A64_ABS32:
		return 4;
	case A64_ABS16:
		return 2;
	default:
		return 0;
	}
}

static int uses_got_slot(unsigned int t)
{
	switch (t) {
	case A64_GOT_LD_PREL19:
	case A64_LD64_GOTOFF_LO15:
	case A64_ADR_GOT_PAGE:
	case A64_LD64_GOT_LO12_NC:
	case A64_LD64_GOTPAGE_LO15:
		return 1;
	}
	return 0;
}

/*
 * Sized once, at open, so that the image's size does not depend on the
 * base: a slot per symbol a GOT load names, in the order of first
 * reference.  ld orders its slots by its symbol hash table instead; any
 * order is a correct link (tests/relocator compares what each load
 * reads, not where the slot is).
 */
static int a64_prepare(struct pk_reloc *r)
{
	struct pk_section *got = &r->sec[r->nsec + PK_SYN_GOT];
	struct pk_section *gotplt = &r->sec[r->nsec + PK_SYN_GOTPLT];
	const char *base_name = r->row->got_symbol;
	int base = 0;
	size_t i, j;

	for (i = 1; i < r->nsym; i++)
		if (r->sym[i].shndx == SHN_UNDEF &&
		    !strcmp(r->sym[i].name, base_name))
			base = 1;
	for (i = 1; i < r->nsec; i++) {
		const struct pk_section *s = &r->sec[i];

		for (j = 0; j < s->nrela; j++) {
			unsigned int t = GELF_R_TYPE(s->rela[j].r_info);

			if (uses_got_slot(t) &&
			    pk_reloc_got_slot(r, GELF_R_SYM(s->rela[j].r_info),
					      1) < 0)
				return pk_fail(r, "out of memory");
		}
	}
	if (r->ngot || base) {
		got->name = ".got";
		got->alloc = 1;
		got->align = 8;
		got->size = 8 * (1 + r->ngot);
		gotplt->name = ".got.plt";
		gotplt->alloc = 1;
		gotplt->align = 8;
		gotplt->size = 24;
	}
	r->need_gotplt = r->ngot || base;
	return 0;
}

static uint64_t got_base(const struct pk_reloc *r)
{
	return pk_section_address(r, r->nsec + PK_SYN_GOT);
}

static int a64_begin(struct pk_reloc *r)
{
	uint8_t *got = r->image + r->sec[r->nsec + PK_SYN_GOT].offset;
	size_t i;

	for (i = 0; i < r->ngot; i++)
		pk_reloc_put(r, got + 8 * (1 + i), 8,
			     pk_symbol_address(r, r->got[i].sym));
	return 0;
}

static uint64_t page(uint64_t x)
{
	return x & ~UINT64_C(0xfff);
}

static uint32_t insn_get(const uint8_t *p)
{
	return (uint32_t)pk_load_uint(p, 4, 0);
}

static void insn_put(uint8_t *p, uint32_t insn)
{
	pk_store_uint(p, 4, 0, insn);
}

/* Replaces bits [lsb, lsb + width) of the instruction at p with v's low bits. */
static void insn_set(uint8_t *p, int lsb, int width, uint64_t v)
{
	uint32_t mask = (uint32_t)(((UINT64_C(1) << width) - 1) << lsb);

	insn_put(p, (insn_get(p) & ~mask) | (((uint32_t)v << lsb) & mask));
}

/* ADR and ADRP: immlo in bits 30:29, immhi in bits 23:5. */
static void set_adr_imm(uint8_t *p, uint64_t imm21)
{
	insn_set(p, 29, 2, imm21 & 3);
	insn_set(p, 5, 19, imm21 >> 2);
}

/*
 * The MOVW group relocations that may make the value negative turn the
 * instruction into MOVN (bit 30 clear) with the value inverted, else
 * into MOVZ (bit 30 set), as ld does; the others only set the 16-bit
 * immediate (of a MOVK, typically).
 */
static void set_movw(uint8_t *p, uint64_t v, int shift, int signed_form)
{
	if (signed_form) {
		if ((int64_t)v < 0) {
			insn_set(p, 29, 2, 0);	/* MOVN */
			v = ~v;
		} else {
			insn_set(p, 29, 2, 2);	/* MOVZ */
		}
	}
	insn_set(p, 5, 16, v >> shift);
}

/* The scale of an LDSTn_ABS_LO12_NC load or store: log2 of its size. */
static int ldst_scale(unsigned int t)
{
	switch (t) {
	case A64_LDST16_ABS_LO12_NC:
		return 1;
	case A64_LDST32_ABS_LO12_NC:
		return 2;
	case A64_LDST64_ABS_LO12_NC:
	case A64_LD64_GOT_LO12_NC:
		return 3;
	case A64_LDST128_ABS_LO12_NC:
		return 4;
	default:
		return 0;
	}
}

/*
 * ld's check: v fits `bits` bits, signed or unsigned; the value the
 * message shows is the whole one, before any shift.
 */
static int fits(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		uint64_t v, int bits, enum pk_reloc_fit fit)
{
	return pk_reloc_check_fit(r, s, rel, v, bits, fit);
}

/* A scaled field: the low bits the scale drops must be zero. */
static int aligned(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		   uint64_t v, int scale, const char *what)
{
	char msg[160];

	if (!(v & ((UINT64_C(1) << scale) - 1)))
		return 0;
	snprintf(msg, sizeof(msg), "value 0x%llx is not a multiple of %d, "
		 "as %s needs", (unsigned long long)v, 1 << scale, what);
	return pk_reloc_fail(r, s, rel, msg);
}

#define INSN_NOP 0xd503201fu

/* An undefined weak symbol (ld resolves it to 0), not the GOT's. */
static int undefined_weak(const struct pk_reloc *r, size_t sym)
{
	const struct pk_symbol *y = &r->sym[sym];

	return sym && y->shndx == SHN_UNDEF &&
		strcmp(y->name, r->row->got_symbol);
}

/* The instruction fields computed from S - P (not from the GOT). */
static int is_pc_relative_insn(unsigned int t)
{
	switch (t) {
	case A64_LD_PREL_LO19:
	case A64_ADR_PREL_LO21:
	case A64_ADR_PREL_PG_HI21:
	case A64_ADR_PREL_PG_HI21_NC:
	case A64_TSTBR14:
	case A64_CONDBR19:
	case A64_JUMP26:
	case A64_CALL26:
		return 1;
	}
	return 0;
}

static int a64_apply(struct pk_reloc *r, size_t s, const GElf_Rela *rel)
{
	const struct pk_reloc_site at = pk_reloc_site(r, s, rel);
	unsigned int t = at.type;
	uint8_t *p = at.field;
	uint64_t S = at.S, P = at.P, A = at.A;
	uint64_t GOT = r->need_gotplt ? got_base(r) : 0, G = 0, v;
	int i = type_index(t);
	long slot;

	if (i < 0 || !type_names[i].supported)
		return pk_reloc_fail(r, s, rel, "not supported by the "
				     "relocator (thread-local, dynamic, "
				     "GOT-relative and PLT32 relocations "
				     "are refused)");
	if (undefined_weak(r, at.sym) && is_pc_relative_insn(t)) {
		/*
		 * ld turns a call or jump to an undefined weak function
		 * into a nop (there is nothing to call), and makes any
		 * other PC-relative reference to one point at the place
		 * itself, not at 0; code that tests such a symbol for 0
		 * must load it through the GOT (as -fpic and -fpie code
		 * does), so that is refused.
		 */
		if (t == A64_CALL26 || t == A64_JUMP26) {
			insn_put(p, INSN_NOP);
			return 0;
		}
		return pk_reloc_fail(r, s, rel, "a PC-relative reference "
				     "to an undefined weak symbol (it is 0; "
				     "take its address through the GOT)");
	}
	if (uses_got_slot(t)) {
		/*
		 * ld keys GOT slots by symbol and drops the addend: gas
		 * writes a load of a local label as its section plus an
		 * offset, which ld would send to the section's start.
		 */
		if (A)
			return pk_reloc_fail(r, s, rel, "a GOT load with an "
					     "addend (GNU ld drops it and "
					     "loads another address; load a "
					     "global symbol)");
		slot = pk_reloc_got_slot(r, at.sym, 0);
		if (slot < 0)
			return pk_reloc_fail(r, s, rel, "no GOT slot");
		/* G: the slot's address (slot 0 is reserved). */
		G = GOT + 8 * (uint64_t)(1 + slot);
	}
	switch (t) {
	case A64_NONE:
		return 0;
	case A64_ABS64:
		pk_reloc_put(r, p, 8, S + A);
		return 0;
	case A64_ABS32:
	case A64_ABS16:
		/* ld checks these as unsigned: a negative value overflows. */
		v = S + A;
		if (fits(r, s, rel, v, 8 * a64_field_size(t), PK_FIT_UNSIGNED))
			return -1;
		pk_reloc_put(r, p, a64_field_size(t), v);
		return 0;
	case A64_PREL64:
		pk_reloc_put(r, p, 8, S + A - P);
		return 0;
	case A64_PREL32:
	case A64_PREL16:
		v = S + A - P;
		if (fits(r, s, rel, v, 8 * a64_field_size(t), PK_FIT_SIGNED))
			return -1;
		pk_reloc_put(r, p, a64_field_size(t), v);
		return 0;

	case A64_MOVW_UABS_G0:
	case A64_MOVW_UABS_G1:
	case A64_MOVW_UABS_G2:
		v = S + A;
		/* G0 checks 16 bits, G1 32, G2 48. */
		if (fits(r, s, rel, v, 16 * (1 + (t - A64_MOVW_UABS_G0) / 2),
			 PK_FIT_UNSIGNED))
			return -1;
		set_movw(p, v, 16 * ((t - A64_MOVW_UABS_G0) / 2), 0);
		return 0;
	case A64_MOVW_UABS_G0_NC:
	case A64_MOVW_UABS_G1_NC:
	case A64_MOVW_UABS_G2_NC:
	case A64_MOVW_UABS_G3:
		set_movw(p, S + A, 16 * ((t - A64_MOVW_UABS_G0) / 2), 0);
		return 0;
	case A64_MOVW_SABS_G0:
	case A64_MOVW_SABS_G1:
	case A64_MOVW_SABS_G2:
		v = S + A;
		/* A sign and 16 bits above the shift: 17, 33, 49 bits. */
		if (fits(r, s, rel, v, 17 + 16 * (t - A64_MOVW_SABS_G0),
			 PK_FIT_SIGNED))
			return -1;
		set_movw(p, v, 16 * (t - A64_MOVW_SABS_G0), 1);
		return 0;
	case A64_MOVW_PREL_G0:
	case A64_MOVW_PREL_G1:
	case A64_MOVW_PREL_G2:
		v = S + A - P;
		if (fits(r, s, rel, v, 17 + 16 * ((t - A64_MOVW_PREL_G0) / 2),
			 PK_FIT_SIGNED))
			return -1;
		set_movw(p, v, 16 * ((t - A64_MOVW_PREL_G0) / 2), 1);
		return 0;
	case A64_MOVW_PREL_G3:
		set_movw(p, S + A - P, 48, 1);
		return 0;
	case A64_MOVW_PREL_G0_NC:
	case A64_MOVW_PREL_G1_NC:
	case A64_MOVW_PREL_G2_NC:
		set_movw(p, S + A - P, 16 * ((t - A64_MOVW_PREL_G0) / 2), 0);
		return 0;

	case A64_ADR_PREL_LO21:
		v = S + A - P;
		if (fits(r, s, rel, v, 21, PK_FIT_SIGNED))
			return -1;
		set_adr_imm(p, v);
		return 0;
	case A64_ADR_PREL_PG_HI21:
	case A64_ADR_PREL_PG_HI21_NC:
	case A64_ADR_GOT_PAGE:
		v = page(t == A64_ADR_GOT_PAGE ? G : S + A) - page(P);
		/* 21 bits of pages: +-4 GiB. */
		if (t != A64_ADR_PREL_PG_HI21_NC &&
		    fits(r, s, rel, v, 33, PK_FIT_SIGNED))
			return -1;
		set_adr_imm(p, v >> 12);
		return 0;
	case A64_ADD_ABS_LO12_NC:
		insn_set(p, 10, 12, (S + A) & 0xfff);
		return 0;
	case A64_LDST8_ABS_LO12_NC:
	case A64_LDST16_ABS_LO12_NC:
	case A64_LDST32_ABS_LO12_NC:
	case A64_LDST64_ABS_LO12_NC:
	case A64_LDST128_ABS_LO12_NC:
	case A64_LD64_GOT_LO12_NC:
		v = (t == A64_LD64_GOT_LO12_NC ? G : S + A) & 0xfff;
		/*
		 * The offset is scaled by the access size: a misaligned
		 * one would reach another address.
		 */
		if (aligned(r, s, rel, v, ldst_scale(t), "the load or "
			    "store's scaled offset"))
			return -1;
		insn_set(p, 10, 12, v >> ldst_scale(t));
		return 0;
	case A64_LD64_GOTPAGE_LO15:
	case A64_LD64_GOTOFF_LO15:
		v = G - (t == A64_LD64_GOTPAGE_LO15 ? page(GOT) : GOT);
		if (fits(r, s, rel, v, 15, PK_FIT_UNSIGNED) ||
		    aligned(r, s, rel, v, 3, "a 64-bit load's scaled offset"))
			return -1;
		insn_set(p, 10, 12, v >> 3);
		return 0;

	case A64_TSTBR14:
	case A64_CONDBR19:
	case A64_JUMP26:
	case A64_CALL26:
	case A64_LD_PREL_LO19:
	case A64_GOT_LD_PREL19: {
		/* PC-relative word offsets: imm14, imm19 or imm26. */
		int width = t == A64_TSTBR14 ? 14 :
			(t == A64_JUMP26 || t == A64_CALL26) ? 26 : 19;
		int lsb = width == 26 ? 0 : 5;

		v = (t == A64_GOT_LD_PREL19 ? G : S + A) - P;
		if (fits(r, s, rel, v, width + 2, PK_FIT_SIGNED) ||
		    aligned(r, s, rel, v, 2, "a word offset"))
			return -1;
		insn_set(p, lsb, width, v >> 2);
		return 0;
	}
	}
	return pk_reloc_fail(r, s, rel, "unsupported");
}

/* _GLOBAL_OFFSET_TABLE_ is the start of .got, as ld places it. */
static uint64_t a64_got_address(const struct pk_reloc *r)
{
	return got_base(r);
}

static const struct pk_reloc_arch pk_reloc_arch_aarch64 = {
	.type_name = a64_type_name,
	.field_size = a64_field_size,
	.prepare = a64_prepare,
	.begin = a64_begin,
	.apply = a64_apply,
	.got_address = a64_got_address,
	.data_size = a64_data_size,
};

const struct pk_reloc_machine_row pk_reloc_rows_aarch64[] = {
	{
		.name = "aarch64",
		.machine = PK_RELOC_AARCH64,
		.e_machine = EM_AARCH64,
		.elf_class = ELFCLASS64,
		.elf_data = ELFDATA2LSB,
		.got_symbol = "_GLOBAL_OFFSET_TABLE_",
		.arch = &pk_reloc_arch_aarch64,
	},
	{ .name = NULL },
};
