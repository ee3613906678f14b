/* SPDX-License-Identifier: MIT */
/*
 * contract-check ARCH/NAME TRAMPOLINE.ro
 *
 * Run by the build on every trampoline it links: the trampoline's
 * patchable symbols (.pk.patch) must be exactly the runtime's and those
 * the contract lists for ARCH/NAME (purgkit/patch.h,
 * purgkit/trampolines.h), each at the size of its type there.  So a
 * symbol added to the contract but not defined, defined but not listed,
 * or of another size fails the build, not the boot.  Each disagreement
 * is one line naming the symbol; the exit status is then 1.
 */
#include <stdio.h>

#include <purgkit/reloc.h>

#include "contract-table.h"

int main(int argc, char **argv)
{
	struct pk_reloc_symbol sym;
	struct pk_reloc *r;
	char err[256];
	int status = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: contract-check ARCH/NAME FILE.ro\n");
		return 2;
	}
	r = pk_reloc_open_file(argv[2], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "contract-check: %s\n", err);
		return 1;
	}
	/* Every patchable symbol of the file is in the contract, at its size. */
	for (size_t i = 0; pk_reloc_patchable_at(r, i, &sym) == 0; i++) {
		const struct pk_contract_symbol *e = NULL;

		for (size_t k = 0; k < PK_CONTRACT_COUNT && !e; k++)
			if (!strcmp(pk_contract_symbols[k].name, sym.name) &&
			    pk_contract_has(&pk_contract_symbols[k], argv[1],
					    strlen(argv[1])))
				e = &pk_contract_symbols[k];
		if (!e) {
			fprintf(stderr, "trampoline %s: %s is patchable but "
				"not in its contract (purgkit/trampolines.h)\n",
				argv[1], sym.name);
			status = 1;
		} else if (sym.size != e->size) {
			fprintf(stderr, "trampoline %s: %s is %llu bytes, the "
				"contract says %zu\n", argv[1], sym.name,
				(unsigned long long)sym.size, e->size);
			status = 1;
		}
	}
	/* Every symbol the contract gives this trampoline is defined. */
	for (size_t k = 0; k < PK_CONTRACT_COUNT; k++) {
		const struct pk_contract_symbol *e = &pk_contract_symbols[k];

		if (!pk_contract_has(e, argv[1], strlen(argv[1])))
			continue;
		if (pk_reloc_symbol(r, e->name, &sym) ||
		    !sym.patchable) {
			fprintf(stderr, "trampoline %s: %s is in its contract "
				"but not defined with PK_PATCH_DEFINE\n",
				argv[1], e->name);
			status = 1;
		}
	}
	pk_reloc_close(r);
	return status;
}
