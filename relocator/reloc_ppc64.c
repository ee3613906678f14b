/* SPDX-License-Identifier: MIT */
/*
 * ppc64 relocations, both ABIs: ppc64le (ELFv2) and big-endian ppc64
 * (ELFv1, function descriptors in .opd), computed as GNU ld computes
 * them for a static executable.
 *
 * The TOC base, .TOC., is where ld puts it: the start of the first of
 * .got, .toc, .tocbss, .plt present, rounded down to 256 bytes, plus
 * 0x8000, so that signed 16-bit offsets reach 64 KiB of TOC.
 *
 * ELFv2: a call (R_PPC64_REL24) to a function lands on its local entry
 * point, past the global-entry prologue that sets r2 from r12; the
 * offset is in the symbol's st_other.  ELFv1: a call names the function
 * descriptor in .opd; it lands on the code address the descriptor's
 * first doubleword is relocated to.
 */
#include <stdio.h>
#include <string.h>

#include "reloc_internal.h"

#ifndef R_PPC64_ENTRY
#define R_PPC64_ENTRY 118
#endif
#ifndef R_PPC64_TOCSAVE
#define R_PPC64_TOCSAVE 109
#endif

#define TOC_OFFSET 0x8000
#define TOC_ALIGN 256

/* Instructions of the ELFv2 global-entry prologues that ld rewrites. */
#define INSN_ADDIS_R2_R12	0x3c4c0000u	/* addis r2,r12,x */
#define INSN_LIS_R2		0x3c400000u	/* lis r2,x */
#define INSN_ADDI_R2_R2		0x38420000u	/* addi r2,r2,x */
#define INSN_LD_R2_M8_R12	0xe84cfff8u	/* ld r2,-8(r12) */
#define INSN_ADD_R2_R2_R12	0x7c426214u	/* add r2,r2,r12 */

#define PPC_LO(v) ((v) & 0xffff)
#define PPC_HA(v) ((((v) + 0x8000) >> 16) & 0xffff)

static const char *ppc_type_name(unsigned int t)
{
	switch (t) {
	case R_PPC64_NONE: return "R_PPC64_NONE";
	case R_PPC64_ADDR32: return "R_PPC64_ADDR32";
	case R_PPC64_ADDR16: return "R_PPC64_ADDR16";
	case R_PPC64_ADDR16_LO: return "R_PPC64_ADDR16_LO";
	case R_PPC64_ADDR16_HI: return "R_PPC64_ADDR16_HI";
	case R_PPC64_ADDR16_HA: return "R_PPC64_ADDR16_HA";
	case R_PPC64_REL24: return "R_PPC64_REL24";
	case R_PPC64_REL14: return "R_PPC64_REL14";
	case R_PPC64_UADDR32: return "R_PPC64_UADDR32";
	case R_PPC64_UADDR16: return "R_PPC64_UADDR16";
	case R_PPC64_REL32: return "R_PPC64_REL32";
	case R_PPC64_ADDR64: return "R_PPC64_ADDR64";
	case R_PPC64_ADDR16_HIGHER: return "R_PPC64_ADDR16_HIGHER";
	case R_PPC64_ADDR16_HIGHERA: return "R_PPC64_ADDR16_HIGHERA";
	case R_PPC64_ADDR16_HIGHEST: return "R_PPC64_ADDR16_HIGHEST";
	case R_PPC64_ADDR16_HIGHESTA: return "R_PPC64_ADDR16_HIGHESTA";
	case R_PPC64_UADDR64: return "R_PPC64_UADDR64";
	case R_PPC64_REL64: return "R_PPC64_REL64";
	case R_PPC64_TOC16: return "R_PPC64_TOC16";
	case R_PPC64_TOC16_LO: return "R_PPC64_TOC16_LO";
	case R_PPC64_TOC16_HI: return "R_PPC64_TOC16_HI";
	case R_PPC64_TOC16_HA: return "R_PPC64_TOC16_HA";
	case R_PPC64_TOC: return "R_PPC64_TOC";
	case R_PPC64_ADDR16_DS: return "R_PPC64_ADDR16_DS";
	case R_PPC64_ADDR16_LO_DS: return "R_PPC64_ADDR16_LO_DS";
	case R_PPC64_TOC16_DS: return "R_PPC64_TOC16_DS";
	case R_PPC64_TOC16_LO_DS: return "R_PPC64_TOC16_LO_DS";
	case R_PPC64_TOCSAVE: return "R_PPC64_TOCSAVE";
	case R_PPC64_ADDR16_HIGH: return "R_PPC64_ADDR16_HIGH";
	case R_PPC64_ADDR16_HIGHA: return "R_PPC64_ADDR16_HIGHA";
	case R_PPC64_ENTRY: return "R_PPC64_ENTRY";
	case R_PPC64_REL16: return "R_PPC64_REL16";
	case R_PPC64_REL16_LO: return "R_PPC64_REL16_LO";
	case R_PPC64_REL16_HI: return "R_PPC64_REL16_HI";
	case R_PPC64_REL16_HA: return "R_PPC64_REL16_HA";
	}
	return NULL;
}

static int ppc_field_size(unsigned int t)
{
	switch (t) {
	case R_PPC64_NONE:
	case R_PPC64_TOCSAVE:
		return 0;
	case R_PPC64_ENTRY:
		return 8;
	case R_PPC64_ADDR32:
	case R_PPC64_UADDR32:
	case R_PPC64_REL32:
	case R_PPC64_REL24:
	case R_PPC64_REL14:
		return 4;
	case R_PPC64_ADDR64:
	case R_PPC64_UADDR64:
	case R_PPC64_REL64:
	case R_PPC64_TOC:
		return 8;
	default:
		return 2;
	}
}

static int ppc_data_size(unsigned int t)
{
	switch (t) {
	case R_PPC64_ADDR64:
	case R_PPC64_UADDR64:
		return 8;
	case R_PPC64_ADDR32:
	case R_PPC64_UADDR32:
		return 4;
	default:
		return 0;
	}
}

static int ppc_prepare(struct pk_reloc *r)
{
	return 0;
}

static long section_named(const struct pk_reloc *r, const char *name)
{
	size_t k;

	for (k = 0; k < r->norder; k++)
		if (!strcmp(r->sec[r->order[k]].name, name))
			return (long)r->order[k];
	return -1;
}

static int ppc_begin(struct pk_reloc *r)
{
	static const char *const toc_names[] = {
		".got", ".toc", ".tocbss", ".plt",
	};
	uint64_t start;
	long s = -1;
	size_t k;

	for (k = 0; k < 4 && s < 0; k++)
		s = section_named(r, toc_names[k]);
	/*
	 * No TOC section (code that uses .TOC. only to set r2): like ld,
	 * take the first writable section, else the first section.
	 */
	for (k = 0; k < r->norder && s < 0; k++)
		if (r->sec[r->order[k]].flags & SHF_WRITE)
			s = (long)r->order[k];
	if (s < 0 && r->norder)
		s = (long)r->order[0];
	start = s < 0 ? r->base : pk_section_address(r, (size_t)s);
	r->toc_base = (start & ~(uint64_t)(TOC_ALIGN - 1)) + TOC_OFFSET;
	return 0;
}

/*
 * ELFv1: the code address a call to descriptor symbol sym lands on, found
 * through the relocation of the descriptor's first doubleword.
 */
static int opd_code(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		    size_t sym, uint64_t *code)
{
	const struct pk_symbol *ds = &r->sym[sym];
	const struct pk_section *opd = &r->sec[ds->shndx];
	uint64_t at = ds->value + (uint64_t)rel->r_addend;
	size_t j;

	for (j = 0; j < opd->nrela; j++) {
		const GElf_Rela *d = &opd->rela[j];

		if (d->r_offset != at ||
		    GELF_R_TYPE(d->r_info) != R_PPC64_ADDR64)
			continue;
		*code = pk_symbol_address(r, GELF_R_SYM(d->r_info)) +
			(uint64_t)d->r_addend;
		return 0;
	}
	return pk_reloc_fail(r, s, rel, "call to a function descriptor "
			     "whose code address is not relocated");
}

/* v fits a lis/addis + addi pair: the @ha part is a signed 16 bits. */
static int fits_ha_lo(uint64_t v)
{
	return v + 0x80008000u <= 0xffffffffu;
}

static int is_toc_symbol(const struct pk_reloc *r, size_t sym)
{
	return r->sym[sym].shndx == SHN_UNDEF &&
		!strcmp(r->sym[sym].name, ".TOC.");
}

/*
 * ld's rewrite of the ELFv2 global-entry prologue in a static executable:
 *     addis r2,r12,(.TOC.-0b)@ha; addi r2,r2,(.TOC.-0b)@l
 * becomes  lis r2,.TOC.@ha; addi r2,r2,.TOC.@l  when .TOC. fits in 32
 * bits.  rel is the REL16_HA; the REL16_LO must follow it.  Returns 1 if
 * the pair was rewritten (the REL16_LO is then done too).
 */
static int toc_prologue(struct pk_reloc *r, size_t s, const GElf_Rela *rel)
{
	const struct pk_section *sec = &r->sec[s];
	size_t i = (size_t)(rel - sec->rela), sym = GELF_R_SYM(rel->r_info);
	uint8_t *insn = r->image + sec->offset + (rel->r_offset & ~3ull);
	const GElf_Rela *lo = rel + 1;
	uint64_t toc = r->toc_base;

	if (r->machine != PK_RELOC_PPC64LE || !is_toc_symbol(r, sym) ||
	    i + 1 >= sec->nrela || lo->r_info !=
	    GELF_R_INFO(sym, R_PPC64_REL16_LO) ||
	    lo->r_offset != rel->r_offset + 4 ||
	    lo->r_addend != rel->r_addend + 4 || !fits_ha_lo(toc) ||
	    (rel->r_offset & ~3ull) + 8 > sec->size)
		return 0;
	if ((pk_reloc_get(r, insn, 4) & 0xffff0000) != INSN_ADDIS_R2_R12 ||
	    (pk_reloc_get(r, insn + 4, 4) & 0xffff0000) != INSN_ADDI_R2_R2)
		return 0;
	pk_reloc_put(r, insn, 4, INSN_LIS_R2 | PPC_HA(toc));
	pk_reloc_put(r, insn + 4, 4, INSN_ADDI_R2_R2 | PPC_LO(toc));
	return 1;
}

/* True if the REL16_LO rel belongs to a prologue toc_prologue rewrote. */
static int toc_prologue_done(const struct pk_reloc *r, size_t s,
			     const GElf_Rela *rel)
{
	const struct pk_section *sec = &r->sec[s];
	size_t i = (size_t)(rel - sec->rela), sym = GELF_R_SYM(rel->r_info);
	const GElf_Rela *ha = rel - 1;
	uint8_t *insn;

	if (i == 0 || !is_toc_symbol(r, sym) || ha->r_info !=
	    GELF_R_INFO(sym, R_PPC64_REL16_HA) ||
	    ha->r_offset + 4 != rel->r_offset || (ha->r_offset & ~3ull) + 8 >
	    sec->size)
		return 0;
	insn = r->image + sec->offset + (ha->r_offset & ~3ull);
	return (pk_reloc_get(r, insn, 4) & 0xffff0000) == INSN_LIS_R2 &&
		ha->r_addend + 4 == rel->r_addend && fits_ha_lo(r->toc_base);
}

/*
 * R_PPC64_ENTRY marks the large-model global-entry prologue
 *     ld r2,-8(r12); add r2,r2,r12
 * (the doubleword before the function holds .TOC.-entry).  Like ld,
 * rewrite it to lis/addi of .TOC. when .TOC. fits in 32 bits, else to
 * addis/addi from r12 when the offset does, else leave it.
 */
static void entry_prologue(struct pk_reloc *r, size_t s, const GElf_Rela *rel)
{
	uint8_t *insn = r->image + r->sec[s].offset + rel->r_offset;
	uint64_t toc = r->toc_base;
	uint64_t off = toc - (pk_section_address(r, s) + rel->r_offset);

	if (pk_reloc_get(r, insn, 4) != INSN_LD_R2_M8_R12 ||
	    pk_reloc_get(r, insn + 4, 4) != INSN_ADD_R2_R2_R12)
		return;
	if (fits_ha_lo(toc)) {
		pk_reloc_put(r, insn, 4, INSN_LIS_R2 | PPC_HA(toc));
		pk_reloc_put(r, insn + 4, 4, INSN_ADDI_R2_R2 | PPC_LO(toc));
	} else if (fits_ha_lo(off)) {
		pk_reloc_put(r, insn, 4, INSN_ADDIS_R2_R12 | PPC_HA(off));
		pk_reloc_put(r, insn + 4, 4, INSN_ADDI_R2_R2 | PPC_LO(off));
	}
}

static int ppc_apply(struct pk_reloc *r, size_t s, const GElf_Rela *rel)
{
	const struct pk_reloc_site at = pk_reloc_site(r, s, rel);
	unsigned int t = at.type;
	size_t sym = at.sym;
	uint8_t *p = at.field;
	uint64_t S = at.S, P = at.P, A = at.A;
	uint64_t TOC = r->toc_base, v, mask = 0xffff;
	int size = ppc_field_size(t), shift = 0, ds = 0, bits = 16;
	enum { DONT, SIGNED, BITFIELD } check = DONT;
	char what[160];
	uint64_t old;

	switch (t) {
	case R_PPC64_NONE:
	case R_PPC64_TOCSAVE:
		return 0;
	case R_PPC64_ENTRY:
		if (r->machine == PK_RELOC_PPC64LE)
			entry_prologue(r, s, rel);
		return 0;
	case R_PPC64_ADDR64:
	case R_PPC64_UADDR64:
		pk_reloc_put(r, p, 8, S + A);
		return 0;
	case R_PPC64_REL64:
		pk_reloc_put(r, p, 8, S + A - P);
		return 0;
	case R_PPC64_TOC:
		pk_reloc_put(r, p, 8, TOC + A);
		return 0;
	case R_PPC64_ADDR32:
	case R_PPC64_UADDR32:
		v = S + A;
		check = BITFIELD;
		mask = 0xffffffff;
		bits = 32;
		break;
	case R_PPC64_REL32:
		v = S + A - P;
		check = SIGNED;
		mask = 0xffffffff;
		bits = 32;
		break;
	case R_PPC64_REL24:
		if (r->machine == PK_RELOC_PPC64BE && r->sym[sym].shndx <
		    r->nsec && !strcmp(r->sec[r->sym[sym].shndx].name,
				       ".opd")) {
			if (opd_code(r, s, rel, sym, &S))
				return -1;
			A = 0;
		}
		if (r->machine == PK_RELOC_PPC64LE &&
		    r->sym[sym].type == STT_FUNC)
			S += PPC64_LOCAL_ENTRY_OFFSET(r->sym[sym].other);
		v = S + A - P;
		check = SIGNED;
		mask = 0x03fffffc;
		bits = 26;
		ds = 1;
		break;
	case R_PPC64_REL14:
		v = S + A - P;
		check = SIGNED;
		mask = 0xfffc;
		ds = 1;
		break;
	case R_PPC64_ADDR16:
	case R_PPC64_UADDR16:
		v = S + A;
		check = BITFIELD;
		break;
	case R_PPC64_ADDR16_DS:
		v = S + A;
		check = SIGNED;
		ds = 1;
		break;
	case R_PPC64_ADDR16_LO:
		v = S + A;
		break;
	case R_PPC64_ADDR16_LO_DS:
		v = S + A;
		ds = 1;
		break;
	case R_PPC64_ADDR16_HI:
		v = S + A;
		shift = 16;
		check = SIGNED;
		break;
	case R_PPC64_ADDR16_HA:
		v = S + A + 0x8000;
		shift = 16;
		check = SIGNED;
		break;
	case R_PPC64_ADDR16_HIGH:
		v = S + A;
		shift = 16;
		break;
	case R_PPC64_ADDR16_HIGHA:
		v = S + A + 0x8000;
		shift = 16;
		break;
	case R_PPC64_ADDR16_HIGHER:
		v = S + A;
		shift = 32;
		break;
	case R_PPC64_ADDR16_HIGHERA:
		v = S + A + 0x8000;
		shift = 32;
		break;
	case R_PPC64_ADDR16_HIGHEST:
		v = S + A;
		shift = 48;
		break;
	case R_PPC64_ADDR16_HIGHESTA:
		v = S + A + 0x8000;
		shift = 48;
		break;
	case R_PPC64_REL16:
		v = S + A - P;
		check = SIGNED;
		break;
	case R_PPC64_REL16_LO:
		if (toc_prologue_done(r, s, rel))
			return 0;
		v = S + A - P;
		break;
	case R_PPC64_REL16_HI:
		v = S + A - P;
		shift = 16;
		check = SIGNED;
		break;
	case R_PPC64_REL16_HA:
		if (toc_prologue(r, s, rel))
			return 0;
		v = S + A - P + 0x8000;
		shift = 16;
		check = SIGNED;
		break;
	case R_PPC64_TOC16:
		v = S + A - TOC;
		check = SIGNED;
		break;
	case R_PPC64_TOC16_DS:
		v = S + A - TOC;
		check = SIGNED;
		ds = 1;
		break;
	case R_PPC64_TOC16_LO:
		v = S + A - TOC;
		break;
	case R_PPC64_TOC16_LO_DS:
		v = S + A - TOC;
		ds = 1;
		break;
	case R_PPC64_TOC16_HI:
		v = S + A - TOC;
		shift = 16;
		check = SIGNED;
		break;
	case R_PPC64_TOC16_HA:
		v = S + A - TOC + 0x8000;
		shift = 16;
		check = SIGNED;
		break;
	default:
		return pk_reloc_fail(r, s, rel, "unsupported");
	}
	/* The field holds bits [shift, shift+16) (or 26/32 bits unshifted). */
	if (check == SIGNED && !pk_fits_signed((int64_t)v >> shift, bits))
		return pk_reloc_overflow(r, s, rel, v >> shift, bits, "signed");
	if (check == BITFIELD &&
	    pk_reloc_check_fit(r, s, rel, v, bits, PK_FIT_BITFIELD))
		return -1;
	if (ds && (v & 3)) {
		snprintf(what, sizeof(what), "value 0x%llx is not a multiple "
			 "of 4, as its field requires",
			 (unsigned long long)v);
		return pk_reloc_fail(r, s, rel, what);
	}
	/*
	 * The low two bits of a DS field (ld/lwa/ldu, std/stdu) and of a
	 * branch (AA, LK) belong to the instruction, not to the value.
	 */
	if (ds)
		mask &= ~UINT64_C(3);
	v >>= shift;
	old = pk_reloc_get(r, p, size);
	pk_reloc_put(r, p, size, (old & ~mask) | (v & mask));
	return 0;
}

/* .TOC., which begin() computed as ld does. */
static uint64_t ppc_got_address(const struct pk_reloc *r)
{
	return r->toc_base;
}

static const struct pk_reloc_arch pk_reloc_arch_ppc64 = {
	.type_name = ppc_type_name,
	.field_size = ppc_field_size,
	.prepare = ppc_prepare,
	.begin = ppc_begin,
	.apply = ppc_apply,
	.got_address = ppc_got_address,
	.data_size = ppc_data_size,
};

/*
 * One e_machine, two rows: the byte order chooses the ABI, and an object
 * that says it has the other one is refused (e_flags' ABI field 0, "not
 * said", is taken as the row's own, as ld does).
 */
const struct pk_reloc_machine_row pk_reloc_rows_ppc64[] = {
	{
		.name = "ppc64le",
		.machine = PK_RELOC_PPC64LE,
		.e_machine = EM_PPC64,
		.elf_class = ELFCLASS64,
		.elf_data = ELFDATA2LSB,
		.abi_mask = EF_PPC64_ABI,
		.abi_refused = 1,
		.abi_refusal = "little-endian ppc64 ELFv1 is not supported "
			       "(only ELFv2)",
		.elf_flags = 2,
		.got_symbol = ".TOC.",
		.arch = &pk_reloc_arch_ppc64,
	},
	{
		.name = "ppc64",
		.machine = PK_RELOC_PPC64BE,
		.e_machine = EM_PPC64,
		.elf_class = ELFCLASS64,
		.elf_data = ELFDATA2MSB,
		.abi_mask = EF_PPC64_ABI,
		.abi_refused = 2,
		.abi_refusal = "big-endian ppc64 ELFv2 is not supported "
			       "(only ELFv1)",
		.elf_flags = 1,
		.got_symbol = ".TOC.",
		.descriptor_section = ".opd",
		.arch = &pk_reloc_arch_ppc64,
	},
	{ .name = NULL },
};
