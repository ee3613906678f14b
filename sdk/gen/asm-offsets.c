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
#include <purgkit/contract.h>

#define PK_ASM_VALUE(name, value) \
	__asm__ volatile("\n.ascii \"->" name " %c0\"" : : "i"(value))

/*
 * For every structure of the contract (PK_CONTRACT_STRUCTS,
 * purgkit/contract.h), its field list with S = the structure's tag:
 * PK_<S>_<FIELD> (its offset) and, for an array field, PK_<S>_<FIELD>_SIZE
 * (one element's size); PK_<S>_SIZE for the structure.  sdk/sdk.mk
 * upper-cases the names.
 */
#define PK_ASM_FIELD(S, type, field, bound)				\
	PK_ASM_VALUE(#S "_" #field, offsetof(struct S, field));	\
	if (sizeof(#bound) > 1)						\
		PK_ASM_VALUE(#S "_" #field "_size", sizeof(type));
#define PK_ASM_STRUCT(S, FIELDS, in_asm)				\
	if (in_asm) {							\
		PK_ASM_VALUE(#S "_size", sizeof(struct S));		\
		FIELDS(PK_ASM_FIELD, S)					\
	}

void pk_asm_offsets(void);

void pk_asm_offsets(void)
{
	PK_CONTRACT_STRUCTS(PK_ASM_STRUCT)
}
