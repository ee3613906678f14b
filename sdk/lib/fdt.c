/* SPDX-License-Identifier: MIT */
/*
 * Device-tree header helpers.  Fields are read and written a byte at a
 * time in big-endian order, which is right whatever the CPU's byte order
 * and whatever the blob's alignment.
 */
#include <purgkit/fdt.h>

#define FDT_OFF_BOOT_CPUID 28

static uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t pk_be32_to_cpu(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

uint64_t pk_be64_to_cpu(uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}

int pk_fdt_read_header(const void *fdt, struct pk_fdt_header *out)
{
	const uint8_t *p = fdt;
	uint32_t version;

	if (get_be32(p) != PK_FDT_MAGIC)
		return -1;
	version = get_be32(p + 20);
	if (version < 2)
		return -1;
	out->magic = PK_FDT_MAGIC;
	out->totalsize = get_be32(p + 4);
	out->off_dt_struct = get_be32(p + 8);
	out->off_dt_strings = get_be32(p + 12);
	out->off_mem_rsvmap = get_be32(p + 16);
	out->version = version;
	out->last_comp_version = get_be32(p + 24);
	out->boot_cpuid_phys = get_be32(p + FDT_OFF_BOOT_CPUID);
	/* Fields a version lacks read as 0, not as the bytes after it. */
	out->size_dt_strings = version >= 3 ? get_be32(p + 32) : 0;
	out->size_dt_struct = version >= 17 ? get_be32(p + 36) : 0;
	return 0;
}

int pk_fdt_set_boot_cpuid(void *fdt, uint32_t cpu)
{
	uint8_t *p = fdt;

	if (get_be32(p) != PK_FDT_MAGIC || get_be32(p + 20) < 2)
		return -1;
	put_be32(p + FDT_OFF_BOOT_CPUID, cpu);
	return 0;
}
