/* SPDX-License-Identifier: MIT */
/*
 * The architecture table: the rows loader/<arch>/arch.c register with
 * PK_ARCH, and the byte-order family every target-order store goes through.
 */
#include <stdio.h>
#include <string.h>

#include "arch.h"

extern const struct pk_arch *const __start_pk_arches[];
extern const struct pk_arch *const __stop_pk_arches[];

const struct pk_arch *const *pk_arches(size_t *count)
{
	*count = __stop_pk_arches - __start_pk_arches;
	return __start_pk_arches;
}

const struct pk_arch *pk_arch_find(const char *name)
{
	size_t count;
	const struct pk_arch *const *arches = pk_arches(&count);

	for (size_t i = 0; i < count; i++)
		if (!strcmp(arches[i]->name, name))
			return arches[i];
	return NULL;
}

const struct pk_arch *pk_arch_host(void)
{
	size_t count;
	const struct pk_arch *const *arches = pk_arches(&count);

	for (size_t i = 0; i < count; i++)
		if (arches[i]->is_host)
			return arches[i];
	return NULL;
}

const char *pk_arch_names(void)
{
	static char names[256];
	size_t count, len = 0;
	const struct pk_arch *const *arches = pk_arches(&count);

	for (size_t i = 0; i < count && len < sizeof(names); i++)
		len += snprintf(names + len, sizeof(names) - len, "%s%s",
				i ? ", " : "", arches[i]->name);
	return names;
}

void pk_put_uint(const struct pk_arch *arch, void *dst, size_t size,
		 uint64_t value)
{
	pk_store_uint(dst, (int)size, arch->big_endian, value);
}

uint64_t pk_get_uint(const struct pk_arch *arch, const void *src, size_t size)
{
	return pk_load_uint(src, (int)size, arch->big_endian);
}

void pk_put16(const struct pk_arch *arch, void *dst, uint16_t value)
{
	pk_put_uint(arch, dst, 2, value);
}

void pk_put32(const struct pk_arch *arch, void *dst, uint32_t value)
{
	pk_put_uint(arch, dst, 4, value);
}

void pk_put64(const struct pk_arch *arch, void *dst, uint64_t value)
{
	pk_put_uint(arch, dst, 8, value);
}
