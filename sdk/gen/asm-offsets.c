/* SPDX-License-Identifier: MIT */
/*
 * The offsets the SDK's assembly uses, taken from the C structures of the
 * contract (the Linux kernel's asm-offsets technique).  This file is only
 * compiled to assembly (-S) with each target's compiler; sdk/sdk.mk turns
 * every "->NAME VALUE" line into "#define NAME VALUE" in
 * build/<target>/include/generated/pk-asm-offsets.h, which
 * sdk/lib/<arch>/handoff.S includes.  So an assembly offset is never
 * written by hand, and changes with the structure it comes from.
 */
#include <purgkit/regs.h>

#define PK_ASM_VALUE(name, value) \
	__asm__ volatile("\n.ascii \"->" name " %c0\"" : : "i"(value))

/* PK_<STRUCT>_<FIELD> (offset), PK_<STRUCT>_SIZE, and for an array field
 * PK_<STRUCT>_<FIELD>_SIZE (one element); sdk.mk upper-cases the names. */
#define PK_ASM_FIELD(prefix, type, element, field, bound)		\
	PK_ASM_VALUE(#prefix "_" #field, offsetof(type, field));	\
	if (sizeof(#bound) > 1)						\
		PK_ASM_VALUE(#prefix "_" #field "_size", sizeof(element));
#define PK_ASM_STRUCT(prefix, type, fields)				\
	PK_ASM_VALUE(#prefix "_size", sizeof(type));			\
	fields

#define PK_ASM_X86_64(type, field, bound) \
	PK_ASM_FIELD(PK_X86_64_REGS, struct pk_x86_64_regs, type, field, bound)
#define PK_ASM_X86_32(type, field, bound) \
	PK_ASM_FIELD(PK_X86_32_REGS, struct pk_x86_32_regs, type, field, bound)
#define PK_ASM_X86_16(type, field, bound) \
	PK_ASM_FIELD(PK_X86_16_REGS, struct pk_x86_16_regs, type, field, bound)
#define PK_ASM_PPC64(type, field, bound) \
	PK_ASM_FIELD(PK_PPC64_REGS, struct pk_ppc64_regs, type, field, bound)

void pk_asm_offsets(void);

void pk_asm_offsets(void)
{
	PK_ASM_STRUCT(PK_X86_64_REGS, struct pk_x86_64_regs,
		      PK_X86_64_REGS(PK_ASM_X86_64))
	PK_ASM_STRUCT(PK_X86_32_REGS, struct pk_x86_32_regs,
		      PK_X86_32_REGS(PK_ASM_X86_32))
	PK_ASM_STRUCT(PK_X86_16_REGS, struct pk_x86_16_regs,
		      PK_X86_16_REGS(PK_ASM_X86_16))
	PK_ASM_STRUCT(PK_PPC64_REGS, struct pk_ppc64_regs,
		      PK_PPC64_REGS(PK_ASM_PPC64))
}
