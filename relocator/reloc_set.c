/* SPDX-License-Identifier: MIT */
/*
 * pk_reloc_set_value: the one parser of `--set SYMBOL=VALUE` values, shared
 * by purgkit-link and purgkit-load so a value means the same in both.
 *
 *   123, 0x7b           an integer, written at the symbol's size (1, 2, 4
 *                       or 8 bytes) in the target's byte order
 *   "text"              the text, its NUL, and zeros to the symbol's size
 *   @FILE               FILE's bytes; FILE must be exactly the symbol's size
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reloc_internal.h"

bool pk_reloc_value_is_integer(const char *value, uint64_t *integer)
{
	char *end;

	if (!*value || *value == '-')
		return false;
	errno = 0;
	*integer = strtoull(value, &end, 0);
	return !errno && !*end;
}

/* Read all of FILE; returns malloc'd bytes or NULL with errno set. */
static uint8_t *read_whole_file(const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t used = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (used == cap) {
			uint8_t *bigger;

			cap = cap ? cap * 2 : 4096;
			bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = bigger;
		}
		n = fread(buf + used, 1, cap - used, f);
		used += n;
	} while (n > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*len = used;
	return buf;
}

int pk_reloc_set_value(struct pk_reloc *r, const char *name, const char *value)
{
	struct pk_reloc_symbol sym;
	uint64_t integer, len;
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
		bytes = read_whole_file(value + 1, &len);
		if (!bytes)
			return pk_fail(r, "--set %s: %s: %s", name, value + 1,
				       strerror(errno));
		rc = pk_reloc_set(r, name, bytes, len);
		free(bytes);
		return rc;
	}
	if (!pk_reloc_value_is_integer(value, &integer))
		return pk_fail(r, "--set %s: '%s' is not an integer, a "
			       "\"string\" or @FILE", name, value);
	return pk_reloc_set_int(r, name, integer);
}
