/* SPDX-License-Identifier: MIT */
/*
 * x86_64 relocations, computed as GNU ld computes them for a static,
 * position-dependent executable (ld -o, no -pie).
 *
 * GOT loads: ld rewrites an R_X86_64_GOTPCRELX / R_X86_64_REX_GOTPCRELX
 * load into an instruction that needs no GOT when the symbol is defined
 * (always, here) and the result fits: mov to mov $imm, call/jmp through
 * the GOT to a direct call/jmp, test and the ALU ops to their immediate
 * forms; a plain R_X86_64_GOTPCREL mov becomes a PC-relative lea.  The
 * relocator makes exactly those rewrites.  Where ld would keep the GOT
 * (other plain GOTPCREL loads, the 64-bit GOT relocations) or where a
 * rewrite does not fit (the symbol is above 2 GiB), the load goes
 * through a GOT the relocator builds: a ".got" section of 8-byte
 * addresses placed after the file's sections, followed by ld's 24-byte
 * ".got.plt", whose start is _GLOBAL_OFFSET_TABLE_.
 */
#include <stdlib.h>
#include <string.h>

#include "reloc_internal.h"

static const char *const type_names[] = {
	[R_X86_64_NONE] = "R_X86_64_NONE",
	[R_X86_64_64] = "R_X86_64_64",
	[R_X86_64_PC32] = "R_X86_64_PC32",
	[R_X86_64_GOT32] = "R_X86_64_GOT32",
	[R_X86_64_PLT32] = "R_X86_64_PLT32",
	[R_X86_64_GOTPCREL] = "R_X86_64_GOTPCREL",
	[R_X86_64_32] = "R_X86_64_32",
	[R_X86_64_32S] = "R_X86_64_32S",
	[R_X86_64_16] = "R_X86_64_16",
	[R_X86_64_PC16] = "R_X86_64_PC16",
	[R_X86_64_8] = "R_X86_64_8",
	[R_X86_64_PC8] = "R_X86_64_PC8",
	[R_X86_64_PC64] = "R_X86_64_PC64",
	[R_X86_64_GOTOFF64] = "R_X86_64_GOTOFF64",
	[R_X86_64_GOTPC32] = "R_X86_64_GOTPC32",
	[R_X86_64_GOT64] = "R_X86_64_GOT64",
	[R_X86_64_GOTPCREL64] = "R_X86_64_GOTPCREL64",
	[R_X86_64_GOTPC64] = "R_X86_64_GOTPC64",
	[R_X86_64_GOTPLT64] = "R_X86_64_GOTPLT64",
	[R_X86_64_PLTOFF64] = "R_X86_64_PLTOFF64",
	[R_X86_64_GOTPCRELX] = "R_X86_64_GOTPCRELX",
	[R_X86_64_REX_GOTPCRELX] = "R_X86_64_REX_GOTPCRELX",
};

#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

static const char *x86_type_name(unsigned int t)
{
	return t < NTYPES ? type_names[t] : NULL;
}

static int x86_field_size(unsigned int t)
{
	switch (t) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_8:
	case R_X86_64_PC8:
		return 1;
	case R_X86_64_16:
	case R_X86_64_PC16:
		return 2;
	case R_X86_64_64:
	case R_X86_64_PC64:
	case R_X86_64_GOTOFF64:
	case R_X86_64_GOT64:
	case R_X86_64_GOTPCREL64:
	case R_X86_64_GOTPC64:
	case R_X86_64_GOTPLT64:
	case R_X86_64_PLTOFF64:
		return 8;
	default:
		return 4;
	}
}

static int x86_data_size(unsigned int t)
{
	switch (t) {
	case R_X86_64_64:
		return 8;
	case R_X86_64_32:
	case R_X86_64_32S:
		return 4;
	default:
		return 0;
	}
}

static int uses_got_entry(unsigned int t)
{
	switch (t) {
	case R_X86_64_GOT32:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
	case R_X86_64_GOT64:
	case R_X86_64_GOTPCREL64:
	case R_X86_64_GOTPLT64:
		return 1;
	}
	return 0;
}

static int uses_got_base(unsigned int t)
{
	return t == R_X86_64_GOTOFF64 || t == R_X86_64_GOTPC32 ||
		t == R_X86_64_GOTPC64 || t == R_X86_64_PLTOFF64;
}

/*
 * Whether the load at rel has a shape ld may rewrite (whether the result
 * fits is known only at place time).
 */
static int may_relax(const struct pk_reloc *r, const struct pk_section *s,
		     const GElf_Rela *rel)
{
	unsigned int t = GELF_R_TYPE(rel->r_info);
	const uint8_t *p;

	if (t == R_X86_64_GOTPCRELX || t == R_X86_64_REX_GOTPCRELX)
		return 1;
	if (t != R_X86_64_GOTPCREL || !s->bytes)
		return 0;
	p = s->bytes + rel->r_offset;
	return rel->r_offset >= 2 &&
		p[-2] == 0x8b && (p[-1] & 0xc7) == 0x05;
}

/*
 * The GOT is sized once, at open, so that the layout (and so the image
 * size) does not depend on the base.  Slots come in ld's order (first
 * reference) for the loads ld keeps in the GOT; then come slots for the
 * GOTPCRELX loads, which ld always rewrites at the bases where it can
 * link at all, and which the relocator sends through the GOT only where
 * the rewrite does not fit (above 2 GiB).
 */
static int x86_prepare(struct pk_reloc *r)
{
	struct pk_section *got = &r->sec[r->nsec + PK_SYN_GOT];
	struct pk_section *gotplt = &r->sec[r->nsec + PK_SYN_GOTPLT];
	size_t i, j, pass;
	int base = 0;

	for (i = 1; i < r->nsym; i++)
		if (r->sym[i].shndx == SHN_UNDEF &&
		    !strcmp(r->sym[i].name, "_GLOBAL_OFFSET_TABLE_"))
			base = 1;
	for (pass = 0; pass < 2; pass++) {
		for (i = 1; i < r->nsec; i++) {
			const struct pk_section *s = &r->sec[i];

			for (j = 0; j < s->nrela; j++) {
				unsigned int t = GELF_R_TYPE(s->rela[j].r_info);
				size_t sym = GELF_R_SYM(s->rela[j].r_info);
				int relaxable = may_relax(r, s,
							  &s->rela[j]);

				if (uses_got_base(t))
					base = 1;
				if (!uses_got_entry(t) ||
				    relaxable != (pass == 1))
					continue;
				if (pk_reloc_got_slot(r, sym, 1) < 0)
					return pk_fail(r, "out of memory");
			}
		}
	}
	if (r->ngot) {
		got->name = ".got";
		got->alloc = 1;
		got->align = 8;
		got->size = 8 * r->ngot;
		base = 1;
	}
	if (base) {
		gotplt->name = ".got.plt";
		gotplt->alloc = 1;
		gotplt->align = 8;
		gotplt->size = 24;
	}
	r->need_gotplt = base;
	return 0;
}

static int x86_begin(struct pk_reloc *r)
{
	size_t i;

	if (!r->ngot)
		return 0;
	for (i = 0; i < r->ngot; i++)
		pk_reloc_put(r, r->image + r->sec[r->nsec + PK_SYN_GOT].offset + 8 * i,
		       8, pk_symbol_address(r, r->got[i].sym));
	return 0;
}

/*
 * Try ld's rewrite of a GOTPCRELX load at p (the 4-byte field) whose
 * symbol is at sym_addr.  Returns 1 if rewritten, 0 if the load must go
 * through the GOT.
 */
static int x86_relax(struct pk_reloc *r, size_t s, const GElf_Rela *rel,
		     uint64_t sym_addr)
{
	uint8_t *sec = r->image + r->sec[s].offset;
	uint64_t off = rel->r_offset;
	uint64_t P = pk_section_address(r, s) + off;
	int64_t A = rel->r_addend;
	unsigned int t = GELF_R_TYPE(rel->r_info);
	uint8_t *p = sec + off, opcode, modrm, rex = 0;
	int has_rex = 0;

	if (off < 2)
		return 0;
	opcode = p[-2];
	modrm = p[-1];
	/* Only RIP-relative memory operands: mod 00, r/m 101. */
	if ((modrm & 0xc7) != 0x05)
		return 0;
	if (t == R_X86_64_GOTPCREL) {
		/* ld turns only a plain GOT mov into lea, PC-relative. */
		int64_t v = (int64_t)(sym_addr + A - P);

		if (opcode != 0x8b || !pk_fits_signed(v, 32))
			return 0;
		p[-2] = 0x8d;
		pk_reloc_put(r, p, 4, (uint64_t)v);
		return 1;
	}
	if (t == R_X86_64_REX_GOTPCRELX) {
		if (off < 3 || (p[-3] & 0xf0) != 0x40)
			return 0;
		rex = p[-3];
		has_rex = 1;
	}
	if (opcode == 0xff) {
		/* call *foo@GOTPCREL(%rip) / jmp *foo@GOTPCREL(%rip) */
		int64_t v;

		if (modrm == 0x15) {
			v = (int64_t)(sym_addr + A - P);
			if (!pk_fits_signed(v, 32))
				return 0;
			p[-2] = 0x67;	/* addr32 prefix: same length */
			p[-1] = 0xe8;
			pk_reloc_put(r, p, 4, (uint64_t)v);
			return 1;
		}
		if (modrm == 0x25) {
			/* jmp rel32 is one byte shorter: pad with a nop. */
			v = (int64_t)(sym_addr + A - (P - 1));
			if (!pk_fits_signed(v, 32))
				return 0;
			p[-2] = 0xe9;
			pk_reloc_put(r, p - 1, 4, (uint64_t)v);
			p[3] = 0x90;
			return 1;
		}
		return 0;
	}
	/* Immediate forms hold the symbol itself; A only adjusted for P. */
	{
		uint64_t imm = sym_addr + A + 4;
		int wide = has_rex && (rex & 0x08);
		uint8_t reg = (modrm >> 3) & 7;
		int ok = wide ? pk_fits_signed((int64_t)imm, 32) :
			pk_fits_unsigned(imm, 32);

		if (!ok)
			return 0;
		if (opcode == 0x8b) {
			/* mov foo@GOTPCREL(%rip), %reg -> mov $foo, %reg */
			p[-2] = 0xc7;
			p[-1] = 0xc0 | reg;
		} else if (!has_rex) {
			/* ld rewrites test and the ALU ops only with REX. */
			return 0;
		} else if (opcode == 0x85) {
			/* test %reg, foo@GOTPCREL(%rip) -> test $foo, %reg */
			p[-2] = 0xf7;
			p[-1] = 0xc0 | reg;
		} else if ((opcode & 0xc7) == 0x03) {
			/* op foo@GOTPCREL(%rip), %reg -> op $foo, %reg */
			p[-2] = 0x81;
			p[-1] = 0xc0 | (opcode & 0x38) | reg;
		} else {
			return 0;
		}
		/* The register moved from ModRM.reg to ModRM.rm. */
		if (has_rex && (rex & 0x04))
			p[-3] = (rex & ~0x04) | 0x01;
		pk_reloc_put(r, p, 4, imm);
		return 1;
	}
}

static int x86_apply(struct pk_reloc *r, size_t s, const GElf_Rela *rel)
{
	const struct pk_reloc_site at = pk_reloc_site(r, s, rel);
	unsigned int t = at.type;
	size_t sym = at.sym;
	uint8_t *p = at.field;
	uint64_t S = at.S, P = at.P, A = at.A;
	uint64_t GOT = 0, G = 0, v;
	int size = x86_field_size(t);
	enum pk_reloc_fit check = PK_FIT_ANY;
	long slot;

	if (r->need_gotplt)
		GOT = pk_section_address(r, r->nsec + PK_SYN_GOTPLT);
	if (uses_got_entry(t)) {
		if ((t == R_X86_64_GOTPCREL || t == R_X86_64_GOTPCRELX ||
		     t == R_X86_64_REX_GOTPCRELX) && x86_relax(r, s, rel, S))
			return 0;
		slot = pk_reloc_got_slot(r, sym, 0);
		if (slot < 0)
			return pk_reloc_fail(r, s, rel, "the rewrite ld would "
					     "make does not fit at this base "
					     "and there is no GOT slot (place "
					     "the image below 2 GiB)");
		/* G: the slot's offset from _GLOBAL_OFFSET_TABLE_. */
		G = pk_section_address(r, r->nsec + PK_SYN_GOT) + 8 * slot -
			GOT;
	}
	switch (t) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_64:
		v = S + A;
		break;
	case R_X86_64_32:
		v = S + A;
		check = PK_FIT_UNSIGNED;
		break;
	case R_X86_64_32S:
		v = S + A;
		check = PK_FIT_SIGNED;
		break;
	case R_X86_64_16:
	case R_X86_64_8:
		/* ld checks these as bitfields: signed or unsigned fits. */
		v = S + A;
		check = PK_FIT_BITFIELD;
		break;
	case R_X86_64_PC8:
	case R_X86_64_PC16:
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		v = S + A - P;
		check = PK_FIT_SIGNED;
		break;
	case R_X86_64_PC64:
		v = S + A - P;
		break;
	case R_X86_64_GOT32:
		v = G + A;
		check = PK_FIT_SIGNED;
		break;
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		v = G + GOT + A - P;
		check = PK_FIT_SIGNED;
		break;
	case R_X86_64_GOT64:
	case R_X86_64_GOTPLT64:
		v = G + A;
		break;
	case R_X86_64_GOTPCREL64:
		v = G + GOT + A - P;
		break;
	case R_X86_64_GOTOFF64:
	case R_X86_64_PLTOFF64:
		/* No PLT in a static image: a PLT entry is the function. */
		v = S + A - GOT;
		break;
	case R_X86_64_GOTPC32:
		v = GOT + A - P;
		check = PK_FIT_SIGNED;
		break;
	case R_X86_64_GOTPC64:
		v = GOT + A - P;
		break;
	default:
		return pk_reloc_fail(r, s, rel, "unsupported");
	}
	if (pk_reloc_check_fit(r, s, rel, v, 8 * size, check))
		return -1;
	pk_reloc_put(r, p, size, v);
	return 0;
}

/* _GLOBAL_OFFSET_TABLE_ is ld's .got.plt, which begin() placed. */
static uint64_t x86_got_address(const struct pk_reloc *r)
{
	return pk_section_address(r, r->nsec + PK_SYN_GOTPLT);
}

static const struct pk_reloc_arch pk_reloc_arch_x86_64 = {
	.type_name = x86_type_name,
	.field_size = x86_field_size,
	.prepare = x86_prepare,
	.begin = x86_begin,
	.apply = x86_apply,
	.got_address = x86_got_address,
	.data_size = x86_data_size,
};

const struct pk_reloc_machine_row pk_reloc_rows_x86_64[] = {
	{
		.name = "x86_64",
		.machine = PK_RELOC_X86_64,
		.e_machine = EM_X86_64,
		.elf_class = ELFCLASS64,
		.elf_data = ELFDATA2LSB,
		.got_symbol = "_GLOBAL_OFFSET_TABLE_",
		.arch = &pk_reloc_arch_x86_64,
	},
	{ .name = NULL },
};
