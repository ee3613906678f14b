/* SPDX-License-Identifier: MIT */
/*
 * The contract's patchable symbols as one host table, for the build's
 * own tools (contract-check.c, contract-json.c): name, size and which
 * trampolines have it, all from the lists in purgkit/patch.h and
 * purgkit/trampolines.h.
 */
#ifndef PK_CONTRACT_TABLE_H
#define PK_CONTRACT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define PK_HOST 1
#include <purgkit/patch.h>
#include <purgkit/contract.h>
#include <purgkit/trampolines.h>

struct pk_contract_symbol {
	const char *name;
	size_t size;
	const char *trampolines;	/* "ARCH/NAME ...", NULL: every one */
};

#define PK_CONTRACT_RUNTIME(name, type, bound) \
	{ #name, sizeof(pk_patch_type_##name), NULL },
#define PK_CONTRACT_TRAMPOLINE(name, type, bound, trampolines) \
	{ #name, sizeof(pk_patch_type_##name), trampolines },

static const struct pk_contract_symbol pk_contract_symbols[] = {
	PK_RUNTIME_PATCH_SYMBOLS(PK_CONTRACT_RUNTIME)
	PK_TRAMPOLINE_PATCH_SYMBOLS(PK_CONTRACT_TRAMPOLINE)
};
#define PK_CONTRACT_COUNT \
	(sizeof(pk_contract_symbols) / sizeof(pk_contract_symbols[0]))

/* Does trampoline (n bytes of "ARCH/NAME") have symbol e? */
static inline bool pk_contract_has(const struct pk_contract_symbol *e,
				   const char *trampoline, size_t n)
{
	if (!e->trampolines)
		return true;
	for (const char *p = e->trampolines; *p;
	     p += strcspn(p, " "), p += *p == ' ')
		if (strcspn(p, " ") == n && !strncmp(p, trampoline, n))
			return true;
	return false;
}

#endif /* PK_CONTRACT_TABLE_H */
