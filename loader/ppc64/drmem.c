/* SPDX-License-Identifier: MIT */
/*
 * Memory described by /ibm,dynamic-reconfiguration-memory (PowerVM
 * LPARs, QEMU pseries with DIMMs) rather than by /memory@... nodes.
 *
 * The node holds (Linux: arch/powerpc/mm/drmem.c, asm/drmem.h; PAPR):
 *   ibm,lmb-size           one LMB's size, in root #size-cells cells;
 *   ibm,dynamic-memory     v1: a u32 count, then per LMB: its base
 *                          (#address-cells cells), u32 drc-index, u32
 *                          reserved, u32 associativity index, u32 flags;
 *   ibm,dynamic-memory-v2  v2: a u32 count of sets, then per set: u32
 *                          number of consecutive LMBs, the first one's
 *                          base (#address-cells cells), u32 drc-index,
 *                          u32 associativity index, u32 flags.
 * Linux reads v1 when both are there.  An LMB is the partition's RAM when
 * its flags say assigned and not reserved (QEMU marks the boot memory's
 * LMBs reserved: the memory nodes describe it).
 *
 * Both the running system's map (memmap.c, from /proc/device-tree files)
 * and the capture kernel's tree (devtree.c, libfdt) read it through
 * pk_ppc64_drmem_parse, so they agree on what an LMB is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "ppc64/ppc64.h"

bool pk_ppc64_lmb_is_ram(uint32_t flags)
{
	return (flags & PK_PPC64_DRCONF_ASSIGNED) &&
	       !(flags & PK_PPC64_DRCONF_RESERVED);
}

void pk_ppc64_drmem_free(struct pk_ppc64_drmem *drmem)
{
	free(drmem->runs);
	memset(drmem, 0, sizeof(*drmem));
}

static int pk_drmem_add_run(const char *where, struct pk_ppc64_drmem *drmem,
			    const char *prop, size_t index, uint64_t base,
			    uint32_t count, uint32_t flags)
{
	if (!count)
		return 0;
	/* Its end must be an address: base + count * lmb_size < 2^64. */
	if (count > (UINT64_MAX - base) / drmem->lmb_size)
		return pk_error("%s" PK_PPC64_DR_NODE ": %s entry %zu: %u "
				"LMB(s) of 0x%llx bytes from 0x%llx wrap around "
				"the address space", where, prop, index, count,
				(unsigned long long)drmem->lmb_size,
				(unsigned long long)base);
	if (drmem->lmb_count + count > PK_PPC64_LMB_MAX)
		return pk_error("%s" PK_PPC64_DR_NODE ": %s describes more than "
				"%u LMBs", where, prop, PK_PPC64_LMB_MAX);
	drmem->lmb_count += count;
	drmem->runs = pk_xgrow(drmem->runs, drmem->run_count,
			       sizeof(*drmem->runs));
	drmem->runs[drmem->run_count++] =
		(struct pk_ppc64_lmb_run){ base, count, flags };
	return 0;
}

int pk_ppc64_drmem_parse(const char *where, unsigned int ac, unsigned int sc,
			 const struct pk_ppc64_drmem_props *props,
			 struct pk_ppc64_drmem *drmem)
{
	bool v1 = props->v1 != NULL;
	const char *name = v1 ? "ibm,dynamic-memory" : "ibm,dynamic-memory-v2";
	const uint8_t *p = v1 ? props->v1 : props->v2;
	size_t len = v1 ? props->v1_len : props->v2_len;
	size_t entry = v1 ? ac * 4 + 16 : 4 + ac * 4 + 12;
	uint32_t count;

	memset(drmem, 0, sizeof(*drmem));
	if (!p)
		return 0;	/* no dynamic memory: the memory nodes say all */
	if (!props->lmb_size)
		return pk_error("%s" PK_PPC64_DR_NODE ": %s without "
				"ibm,lmb-size: its LMBs have no size", where,
				name);
	if (props->lmb_size_len != sc * 4)
		return pk_error("%s" PK_PPC64_DR_NODE ": ibm,lmb-size is %zu "
				"bytes, not %u (#size-cells %u)", where,
				props->lmb_size_len, sc * 4, sc);
	drmem->lmb_size = pk_ppc64_cells(props->lmb_size, sc);
	if (!drmem->lmb_size || (drmem->lmb_size & (drmem->lmb_size - 1)))
		return pk_error("%s" PK_PPC64_DR_NODE ": ibm,lmb-size 0x%llx "
				"is not a power of two", where,
				(unsigned long long)drmem->lmb_size);
	if (len < 4 || (len - 4) % entry)
		return pk_error("%s" PK_PPC64_DR_NODE ": %s is %zu bytes, not "
				"a 4-byte count and %zu-byte %s (#address-cells "
				"%u)", where, name, len, entry,
				v1 ? "LMB entries" : "LMB sets", ac);
	count = (uint32_t)pk_ppc64_cells(p, 1);
	if (count != (len - 4) / entry)
		return pk_error("%s" PK_PPC64_DR_NODE ": %s counts %u %s but "
				"holds %zu", where, name, count,
				v1 ? "LMBs" : "LMB sets", (len - 4) / entry);
	p += 4;
	for (uint32_t i = 0; i < count; i++, p += entry) {
		uint32_t n = v1 ? 1 : (uint32_t)pk_ppc64_cells(p, 1);
		const uint8_t *q = v1 ? p : p + 4;
		uint64_t base = pk_ppc64_cells(q, ac);
		/* v1: drc-index, reserved, aa-index, flags; v2: no reserved. */
		uint32_t flags = (uint32_t)pk_ppc64_cells(
			q + ac * 4 + (v1 ? 12 : 8), 1);

		if (pk_drmem_add_run(where, drmem, name, i, base, n, flags)) {
			pk_ppc64_drmem_free(drmem);
			return -1;
		}
	}
	return 0;
}

int pk_ppc64_drmem_from_fdt(const void *fdt, const char *where,
			    struct pk_ppc64_drmem *drmem)
{
	struct pk_ppc64_drmem_props props = { 0 };
	int node = fdt_path_offset(fdt, PK_PPC64_DR_NODE);
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	const void *v;
	int len;

	memset(drmem, 0, sizeof(*drmem));
	if (node < 0)
		return 0;
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return pk_error("%s: root #address-cells %d, #size-cells %d: "
				PK_PPC64_DR_NODE " cannot be read", where, ac,
				sc);
	if ((v = fdt_getprop(fdt, node, "ibm,lmb-size", &len))) {
		props.lmb_size = v;
		props.lmb_size_len = (size_t)len;
	}
	if ((v = fdt_getprop(fdt, node, "ibm,dynamic-memory", &len))) {
		props.v1 = v;
		props.v1_len = (size_t)len;
	}
	if ((v = fdt_getprop(fdt, node, "ibm,dynamic-memory-v2", &len))) {
		props.v2 = v;
		props.v2_len = (size_t)len;
	}
	return pk_ppc64_drmem_parse(where, (unsigned int)ac, (unsigned int)sc,
				    &props, drmem);
}
