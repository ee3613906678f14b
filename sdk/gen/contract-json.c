/* SPDX-License-Identifier: MIT */
/*
 * Prints the trampoline<->loader contract as JSON, from the very lists
 * the SDK, the trampolines and the loader compile against, so that the
 * tests read the contract instead of typing it again:
 *
 *   { "runtime":     { "pk_verify_enabled": 4, ... },
 *     "trampolines": { "x86_64/linux": { "pk_linux_entry": 8, ... }, ... },
 *     "structs":     { "pk_x86_64_regs": { "size": 136,
 *                      "fields": { "rax": [0, 8, 8], ... } }, ... },
 *     "constants":   { "PK_MEMLOG_MAGIC": ..., ... },
 *     "consoles":    { "serial": { "constant": "PK_CONSOLE_SERIAL",
 *                      "mask": 1, "parameters": 2 }, ... } }
 *
 * Sizes are in bytes; a field is [offset, size, element size] (the last
 * two differ for an array, as pk_ppc64_regs.gpr).  The structures and
 * constants are purgkit/contract.h's lists.  Built for the host as
 * build/host/contract-json, run once into build/host/contract.json
 * (sdk/sdk.mk).
 */
#include <stdio.h>

#include "contract-table.h"

/* Opens a JSON member, with the comma the previous one needs. */
static bool first_member;

static void member(const char *indent, const char *key)
{
	printf("%s\n%s\"%s\": ", first_member ? "" : ",", indent, key);
	first_member = false;
}

/* Each trampoline once, in the order the list first names it. */
static void print_trampolines(void)
{
	bool outer_first = true;

	for (size_t i = 0; i < PK_CONTRACT_COUNT; i++) {
		const char *list = pk_contract_symbols[i].trampolines;

		for (const char *p = list ? list : ""; *p;
		     p += strcspn(p, " "), p += *p == ' ') {
			size_t n = strcspn(p, " ");
			bool seen = false;

			for (size_t j = 0; j < i && !seen; j++)
				seen = pk_contract_symbols[j].trampolines &&
				       pk_contract_has(&pk_contract_symbols[j],
						       p, n);
			if (seen)
				continue;
			printf("%s\n    \"%.*s\": {", outer_first ? "" : ",",
			       (int)n, p);
			outer_first = false;
			first_member = true;
			for (size_t j = i; j < PK_CONTRACT_COUNT; j++) {
				const struct pk_contract_symbol *e =
					&pk_contract_symbols[j];

				if (!e->trampolines || !pk_contract_has(e, p, n))
					continue;
				member("      ", e->name);
				printf("%zu", e->size);
			}
			printf("\n    }");
		}
	}
}

#define PK_JSON_RUNTIME_SYMBOL(name, type, bound)			\
	member("    ", #name);						\
	printf("%zu", sizeof(pk_patch_type_##name));

#define PK_JSON_FIELD(S, type, field, bound)				\
	member("        ", #field);					\
	printf("[%zu, %zu, %zu]", offsetof(struct S, field),		\
	       sizeof(type bound), sizeof(type));

#define PK_JSON_STRUCT(S, FIELDS, in_asm)				\
	member("    ", #S);						\
	printf("{ \"size\": %zu, \"fields\": {", sizeof(struct S));	\
	first_member = true;						\
	FIELDS(PK_JSON_FIELD, S)					\
	printf("\n      } }");						\
	first_member = false;

#define PK_JSON_CONSTANT(name)						\
	member("    ", #name);						\
	printf("%llu", (unsigned long long)(name));

/* A console backend: its --console name, bit and parameter count. */
#define PK_JSON_CONSOLE(C, NAME, bit, name, parameters)			\
	member("    ", name);						\
	printf("{ \"constant\": \"PK_CONSOLE_%s\", \"mask\": %u, "	\
	       "\"parameters\": %d }", #NAME, PK_CONSOLE_##NAME, parameters);

int main(void)
{
	printf("{\n  \"runtime\": {");
	first_member = true;
	PK_RUNTIME_PATCH_SYMBOLS(PK_JSON_RUNTIME_SYMBOL)
	printf("\n  },\n  \"trampolines\": {");
	print_trampolines();
	printf("\n  },\n  \"structs\": {");
	first_member = true;
	PK_CONTRACT_STRUCTS(PK_JSON_STRUCT)
	printf("\n  },\n  \"constants\": {");
	first_member = true;
	PK_CONTRACT_CONSTANTS(PK_JSON_CONSTANT)
	printf("\n  },\n  \"consoles\": {");
	first_member = true;
	PK_CONSOLE_BACKENDS(PK_JSON_CONSOLE, )
	printf("\n  }\n}\n");
	return 0;
}
