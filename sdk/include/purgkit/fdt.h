/* SPDX-License-Identifier: MIT */
/*
 * Flattened device tree header access.  A device tree is big-endian
 * whatever the CPU runs in; these helpers convert, so they are correct
 * from a little- or big-endian trampoline alike.
 */
#ifndef PURGKIT_FDT_H
#define PURGKIT_FDT_H

#include <stdint.h>

#define PK_FDT_MAGIC 0xd00dfeedu

/* Header fields, in host order. */
struct pk_fdt_header {
	uint32_t magic;
	uint32_t totalsize;
	uint32_t off_dt_struct;
	uint32_t off_dt_strings;
	uint32_t off_mem_rsvmap;
	uint32_t version;
	uint32_t last_comp_version;
	uint32_t boot_cpuid_phys;	/* version >= 2 */
	uint32_t size_dt_strings;	/* version >= 3 */
	uint32_t size_dt_struct;	/* version >= 17 */
};

/*
 * Read the header at fdt into out.  Returns 0, or -1 when the magic is
 * wrong or the version is older than 2.
 */
int pk_fdt_read_header(const void *fdt, struct pk_fdt_header *out);
/* Set boot_cpuid_phys (stored big-endian).  Returns 0, or -1 as above. */
int pk_fdt_set_boot_cpuid(void *fdt, uint32_t cpu);

/* Byte-order helpers used by the above, public for trampolines. */
uint32_t pk_be32_to_cpu(uint32_t v);
uint64_t pk_be64_to_cpu(uint64_t v);
#define pk_cpu_to_be32 pk_be32_to_cpu
#define pk_cpu_to_be64 pk_be64_to_cpu

#endif /* PURGKIT_FDT_H */
