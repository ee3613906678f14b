/* SPDX-License-Identifier: MIT */
/*
 * The running ppc64 system's memory map, from its device tree:
 *   RAM:       every /memory@... node's "reg" (root #address-cells and
 *              #size-cells, normally 2 and 2), and every LMB of
 *              /ibm,dynamic-reconfiguration-memory assigned to the
 *              partition and not reserved (drmem.c);
 *   reserved:  /reserved-ranges, the flattened tree's reserve map
 *              (/sys/firmware/fdt), RTAS (/rtas linux,rtas-base and
 *              rtas-size) and OPAL (/ibm,opal opal-base-address and
 *              opal-runtime-size);
 *   kernel end: /chosen/linux,kernel-end, which the kernel exports for
 *              exactly this purpose (kexec refuses segments below it);
 *   real-mode limit: the end of the memory node that starts at 0 (never
 *              an LMB's: placement stays where it was without them).
 * A foreign machine's map is a --memmap file in the common format with
 * "kernel-end" and "real-mode-limit" lines (docs/contract-ppc64.md).
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>

#include "ppc64/ppc64.h"

struct pk_range_list {
	struct pk_mem_range *items;
	size_t count;
};

static void pk_range_list_add(struct pk_range_list *list, uint64_t start,
			      uint64_t end, enum pk_mem_type type)
{
	if (end <= start)
		return;
	list->items = pk_xgrow(list->items, list->count, sizeof(*list->items));
	list->items[list->count++] = (struct pk_mem_range){ start, end, type };
}

/* Read a whole property file; NULL when it does not exist. */
static uint8_t *pk_read_prop(const char *path, size_t *size)
{
	struct pk_file file;
	struct stat st;

	/* Missing and empty properties are both "no value" here. */
	if (stat(path, &st) || st.st_size <= 0)
		return NULL;
	if (pk_file_read(path, "device-tree property", &file))
		return NULL;
	*size = file.size;
	return file.data;
}

int pk_ppc64_dt_number(const char *path, uint64_t *value, size_t *size)
{
	uint8_t *p;

	*size = 0;
	p = pk_read_prop(path, size);
	if (!p)
		return 1;
	if (*size == 4 || *size == 8)
		*value = pk_ppc64_cells(p, *size / 4);
	free(p);
	return 0;
}

static int pk_read_u64_prop(const char *path, uint64_t *value)
{
	size_t size;

	if (pk_ppc64_dt_number(path, value, &size) || (size != 4 && size != 8))
		return -1;
	return 0;
}

static unsigned int pk_root_cells(const char *name, unsigned int fallback)
{
	char path[256];
	uint64_t v;

	snprintf(path, sizeof(path), "%s/%s", PK_PPC64_PROC_DT, name);
	if (pk_read_u64_prop(path, &v) || v < 1 || v > 2)
		return fallback;
	return (unsigned int)v;
}

static int pk_read_memory_nodes(struct pk_range_list *ram, uint64_t *rma_top)
{
	unsigned int ac = pk_root_cells("#address-cells", 2);
	unsigned int sc = pk_root_cells("#size-cells", 2);
	size_t entry = (ac + sc) * 4;
	glob_t g;

	if (glob(PK_PPC64_PROC_DT "/memory@*", 0, NULL, &g) != 0)
		return pk_error("%s: no memory nodes (is this a ppc64 system "
				"with a device tree?)", PK_PPC64_PROC_DT);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char path[512];
		size_t size = 0;
		uint8_t *reg;

		snprintf(path, sizeof(path), "%s/reg", g.gl_pathv[i]);
		reg = pk_read_prop(path, &size);
		for (size_t off = 0; reg && off + entry <= size; off += entry) {
			uint64_t start = pk_ppc64_cells(reg + off, ac);
			uint64_t len = pk_ppc64_cells(reg + off + ac * 4, sc);

			pk_range_list_add(ram, start, start + len, PK_MEM_RAM);
			if (start == 0 && len > *rma_top)
				*rma_top = len;
		}
		free(reg);
	}
	globfree(&g);
	return 0;
}

/* The LMBs that are the partition's RAM; a malformed property refuses. */
static int pk_read_dr_memory(struct pk_range_list *ram)
{
	unsigned int ac = pk_root_cells("#address-cells", 2);
	unsigned int sc = pk_root_cells("#size-cells", 2);
	struct pk_ppc64_drmem_props props = { 0 };
	struct pk_ppc64_drmem drmem;
	uint8_t *lmb_size, *v1, *v2;
	int ret;

	lmb_size = pk_read_prop(PK_PPC64_PROC_DT PK_PPC64_DR_NODE
				"/ibm,lmb-size", &props.lmb_size_len);
	v1 = pk_read_prop(PK_PPC64_PROC_DT PK_PPC64_DR_NODE
			  "/ibm,dynamic-memory", &props.v1_len);
	v2 = pk_read_prop(PK_PPC64_PROC_DT PK_PPC64_DR_NODE
			  "/ibm,dynamic-memory-v2", &props.v2_len);
	props.lmb_size = lmb_size;
	props.v1 = v1;
	props.v2 = v2;
	ret = pk_ppc64_drmem_parse(PK_PPC64_PROC_DT, ac, sc, &props, &drmem);
	if (!ret && drmem.lmb_count)
		pk_debug("dynamic memory: %s, %llu LMBs of 0x%llx bytes in %zu "
			 "run(s)", v1 ? "ibm,dynamic-memory" :
					"ibm,dynamic-memory-v2",
			 (unsigned long long)drmem.lmb_count,
			 (unsigned long long)drmem.lmb_size, drmem.run_count);
	for (size_t i = 0; !ret && i < drmem.run_count; i++) {
		const struct pk_ppc64_lmb_run *run = &drmem.runs[i];

		if (!pk_ppc64_lmb_is_ram(run->flags))
			continue;
		pk_debug("dynamic memory: RAM 0x%llx-0x%llx (flags 0x%x)",
			 (unsigned long long)run->base,
			 (unsigned long long)(run->base +
					      run->count * drmem.lmb_size - 1),
			 run->flags);
		pk_range_list_add(ram, run->base,
				  run->base + run->count * drmem.lmb_size,
				  PK_MEM_RAM);
	}
	pk_ppc64_drmem_free(&drmem);
	free(lmb_size);
	free(v1);
	free(v2);
	return ret;
}

static void pk_read_reserved(struct pk_range_list *rsv)
{
	size_t size = 0;
	uint8_t *p = pk_read_prop(PK_PPC64_PROC_DT "/reserved-ranges", &size);
	uint64_t base, len;

	for (size_t off = 0; p && off + 16 <= size; off += 16)
		pk_range_list_add(rsv, pk_ppc64_cells(p + off, 2),
				  pk_ppc64_cells(p + off, 2) +
					  pk_ppc64_cells(p + off + 8, 2),
				  PK_MEM_RESERVED);
	free(p);

	p = pk_read_prop("/sys/firmware/fdt", &size);
	if (p && size >= sizeof(struct fdt_header) && fdt_check_header(p) == 0 &&
	    fdt_totalsize(p) <= size) {
		int n = fdt_num_mem_rsv(p);

		for (int i = 0; i < n; i++)
			if (fdt_get_mem_rsv(p, i, &base, &len) == 0)
				pk_range_list_add(rsv, base, base + len,
						  PK_MEM_RESERVED);
	}
	free(p);

	if (!pk_read_u64_prop(PK_PPC64_PROC_DT "/rtas/linux,rtas-base", &base) &&
	    !pk_read_u64_prop(PK_PPC64_PROC_DT "/rtas/rtas-size", &len))
		pk_range_list_add(rsv, base, base + len, PK_MEM_RESERVED);
	if (!pk_read_u64_prop(PK_PPC64_PROC_DT "/ibm,opal/opal-base-address",
			      &base) &&
	    !pk_read_u64_prop(PK_PPC64_PROC_DT "/ibm,opal/opal-runtime-size",
			      &len))
		pk_range_list_add(rsv, base, base + len, PK_MEM_RESERVED);
}

static int pk_compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool pk_in_list(const struct pk_range_list *list, uint64_t at)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].start <= at && at < list->items[i].end)
			return true;
	return false;
}

/*
 * Cut RAM and reserved ranges (which may overlap each other) into the
 * non-overlapping, sorted ranges a pk_memmap holds: reserved wins.
 */
static int pk_memmap_from_lists(struct pk_memmap *map,
				const struct pk_range_list *ram,
				const struct pk_range_list *rsv)
{
	size_t n = 0, total = 2 * (ram->count + rsv->count);
	uint64_t *edges = pk_xzalloc((total ? total : 1) * sizeof(*edges));
	uint64_t run_start = 0;
	enum pk_mem_type run_type = 0;
	int ret = 0;

	for (size_t i = 0; i < ram->count; i++) {
		edges[n++] = ram->items[i].start;
		edges[n++] = ram->items[i].end;
	}
	for (size_t i = 0; i < rsv->count; i++) {
		edges[n++] = rsv->items[i].start;
		edges[n++] = rsv->items[i].end;
	}
	qsort(edges, n, sizeof(*edges), pk_compare_u64);
	for (size_t i = 0; i + 1 < n && !ret; i++) {
		enum pk_mem_type type = 0;

		if (edges[i] == edges[i + 1])
			continue;
		if (pk_in_list(rsv, edges[i]))
			type = PK_MEM_RESERVED;
		else if (pk_in_list(ram, edges[i]))
			type = PK_MEM_RAM;
		if (type == run_type)
			continue;
		if (run_type)
			ret = pk_memmap_add(map, run_start, edges[i], run_type);
		run_start = edges[i];
		run_type = type;
	}
	if (!ret && run_type && n)
		ret = pk_memmap_add(map, run_start, edges[n - 1], run_type);
	free(edges);
	return ret;
}

int pk_ppc64_system_memmap(struct pk_memmap *map)
{
	struct pk_range_list ram = { 0 }, rsv = { 0 };
	uint64_t rma_top = 0, kernel_end = 0;
	char value[32];
	int ret;

	snprintf(map->source, sizeof(map->source), "%s", PK_PPC64_PROC_DT);
	ret = pk_read_memory_nodes(&ram, &rma_top);
	if (!ret)
		ret = pk_read_dr_memory(&ram);
	if (!ret) {
		pk_read_reserved(&rsv);
		ret = pk_memmap_from_lists(map, &ram, &rsv);
	}
	free(ram.items);
	free(rsv.items);
	if (ret)
		return ret;
	if (pk_read_u64_prop(PK_PPC64_PROC_DT "/chosen/linux,kernel-end",
			     &kernel_end))
		return pk_error("%s/chosen/linux,kernel-end is missing: cannot "
				"tell where the running kernel ends (kexec "
				"refuses segments below it); use --memmap",
				PK_PPC64_PROC_DT);
	map->kernel_end = kernel_end;
	if (rma_top) {
		map->directives = pk_xgrow(map->directives,
					   map->directive_count,
					   sizeof(*map->directives));
		snprintf(value, sizeof(value), "0x%llx",
			 (unsigned long long)rma_top);
		map->directives[map->directive_count].key =
			pk_xstrdup(PK_PPC64_RMA_DIRECTIVE);
		map->directives[map->directive_count].value = pk_xstrdup(value);
		map->directives[map->directive_count].line = 0;
		map->directive_count++;
	}
	return 0;
}

uint64_t pk_ppc64_rma_top(const struct pk_plan *plan)
{
	const char *text = pk_memmap_directive(&plan->memmap,
					       PK_PPC64_RMA_DIRECTIVE);
	uint64_t value;

	if (!text || pk_parse_u64(text, &value))
		return 0;
	return value;
}
