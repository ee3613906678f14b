/* SPDX-License-Identifier: MIT */
/*
 * pk_reloc_set_value: the one parser of `--set SYMBOL=VALUE` values, shared
 * by purgkit-link and purgkit-load so a value means the same in both.
 *
 *   123, 0x7b           an integer, written at the symbol's size (1, 2, 4
 *                       or 8 bytes) in the target's byte order
 *   "text"              the text, its NUL, and zeros to the symbol's size
 *   @FILE               FILE's bytes; a regular FILE must be exactly the
 *                       symbol's size, a character device (/dev/urandom)
 *                       gives that many bytes; nothing else is read
 *                       (pk_input_read), so no value can read forever
 *
 * Integers follow the one grammar of purgkit/input.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/input.h>

#include "reloc_internal.h"

/* An integer in the one grammar (purgkit/input.h), as --set reads it. */
bool pk_reloc_value_is_integer(const char *value, uint64_t *integer)
{
	return pk_number_parse(value, integer) == NULL;
}

int pk_reloc_set_value(struct pk_reloc *r, const char *name, const char *value)
{
	struct pk_reloc_symbol sym;
	uint64_t integer;
	const char *why;
	uint8_t *bytes;
	size_t n = strlen(value);
	int rc;

	if (value[0] == '"') {
		if (n < 2 || value[n - 1] != '"')
			return pk_fail(r, "--set %s: string has no closing "
				       "quote", name);
		if (pk_reloc_symbol(r, name, &sym))
			return -1;
		if (n - 2 + 1 > sym.size)
			return pk_fail(r, "--set %s: string of %zu bytes and "
				       "its NUL do not fit in the symbol's "
				       "%" PRIu64 " bytes", name, n - 2,
				       sym.size);
		bytes = calloc(1, sym.size);
		if (!bytes)
			return pk_fail(r, "--set %s: out of memory", name);
		memcpy(bytes, value + 1, n - 2);
		rc = pk_reloc_set(r, name, bytes, sym.size);
		free(bytes);
		return rc;
	}
	if (value[0] == '@') {
		char what[300], limit_what[64], err[512];
		size_t got;

		if (pk_reloc_symbol(r, name, &sym))
			return -1;
		snprintf(what, sizeof(what), "--set %s: file", name);
		snprintf(limit_what, sizeof(limit_what),
			 "the symbol's %" PRIu64 " bytes", sym.size);
		/* Bounded by the symbol: @/dev/zero cannot read forever. */
		if (pk_input_read(value + 1, what, sym.size, limit_what,
				  PK_INPUT_DEVICE, &bytes, &got, err,
				  sizeof(err)))
			return pk_fail(r, "%s", err);
		rc = pk_reloc_set(r, name, bytes, got);
		free(bytes);
		return rc;
	}
	why = pk_number_parse(value, &integer);
	if (why && value[0] >= '0' && value[0] <= '9')
		return pk_fail(r, "--set %s: integer '%s' %s", name, value,
			       why);
	if (why)
		return pk_fail(r, "--set %s: '%s' is not an integer, a "
			       "\"string\" or @FILE", name, value);
	return pk_reloc_set_int(r, name, integer);
}
