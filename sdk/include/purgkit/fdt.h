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

/*
 * Reading a device tree: nodes, properties, memory and reservations.
 *
 * pk_fdt_open checks the whole tree once (header, every token, names,
 * nesting, the reservation block): a tree it accepts can be walked by the
 * functions below without ever reading outside it, and one it refuses is
 * never read again.  Nodes and properties are named by their offset in
 * the structure block (an int >= 0); a negative return means "none" (or,
 * from pk_fdt_open, a malformed tree).  Nothing is copied or allocated:
 * names and values point into the blob (values are big-endian and may be
 * unaligned: read them with pk_fdt_cell / pk_fdt_cells).
 *
 *     struct pk_fdt t;
 *     int chosen;
 *     uint32_t len;
 *     const char *args;
 *
 *     if (!pk_fdt_open(&t, tree, PK_FDT_ANY_SIZE) &&
 *         (chosen = pk_fdt_path(&t, "/chosen")) >= 0 &&
 *         (args = pk_fdt_prop(&t, chosen, "bootargs", &len)) != NULL)
 *             pk_printf("bootargs: %.*s\n", (int)len, args);
 */
struct pk_fdt {
	const uint8_t *blob;
	uint32_t size;			/* totalsize */
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
	uint32_t rsvmap_off;
	uint32_t boot_cpuid_phys;
};

/* pk_fdt_open's max_size when the caller does not know the blob's size. */
#define PK_FDT_ANY_SIZE 0xffffffffu
/* Deepest nesting pk_fdt_open accepts (the root is depth 1). */
#define PK_FDT_MAX_DEPTH 32

/*
 * Check the tree at blob (version 16 or later, totalsize <= max_size) and
 * fill t.  Returns 0, or -1 with t unusable.
 */
int pk_fdt_open(struct pk_fdt *t, const void *blob, uint32_t max_size);

/* The root node (its name is ""). */
int pk_fdt_root(const struct pk_fdt *t);
/* A node's name with its unit address: "serial@10000000". */
const char *pk_fdt_name(const struct pk_fdt *t, int node);
/* Children in tree order: the first, then each next sibling; -1 at the end. */
int pk_fdt_first_child(const struct pk_fdt *t, int node);
int pk_fdt_next_sibling(const struct pk_fdt *t, int node);
/* The node's parent (-1 for the root). */
int pk_fdt_parent(const struct pk_fdt *t, int node);
/*
 * The child of parent called name ("memory@80000000"); a name without
 * '@' also matches a child with a unit address ("memory" finds the first
 * "memory@..."), as libfdt does.
 */
int pk_fdt_subnode(const struct pk_fdt *t, int parent, const char *name);
/*
 * The node at path: "/" components from the root, or an alias from
 * /aliases first ("serial0", "serial0/child"), as stdout-path uses them.
 * Anything after a ':' is ignored ("serial0:115200n8").
 */
int pk_fdt_path(const struct pk_fdt *t, const char *path);

/* A property's value and *len (len may be NULL); NULL when absent. */
const void *pk_fdt_prop(const struct pk_fdt *t, int node, const char *name,
			uint32_t *len);
/* Properties in order: pk_fdt_first_prop, pk_fdt_next_prop; -1 at the end. */
int pk_fdt_first_prop(const struct pk_fdt *t, int node);
int pk_fdt_next_prop(const struct pk_fdt *t, int prop);
/* The property at offset prop: its value, *name and *len. */
const void *pk_fdt_prop_at(const struct pk_fdt *t, int prop,
			   const char **name, uint32_t *len);
/* 1 when the node's property name is a string list holding value. */
int pk_fdt_prop_has_string(const struct pk_fdt *t, int node, const char *name,
			   const char *value);
/* 1 when the node is enabled: no "status", or "okay" / "ok". */
int pk_fdt_enabled(const struct pk_fdt *t, int node);

/* Big-endian cells at any alignment: one, or n (1 or 2) as one number. */
uint32_t pk_fdt_cell(const void *p);
uint64_t pk_fdt_cells(const void *p, uint32_t n);
/* The #address-cells (default 2) and #size-cells (default 1) a node
 * gives its children. */
uint32_t pk_fdt_address_cells(const struct pk_fdt *t, int node);
uint32_t pk_fdt_size_cells(const struct pk_fdt *t, int node);
/*
 * Entry index of the node's "reg", in its parent's cells.  Returns 0, or
 * -1 without that entry or with cells this reader cannot hold in 64 bits
 * (more than 2 address or size cells).
 */
int pk_fdt_reg(const struct pk_fdt *t, int node, int index, uint64_t *address,
	       uint64_t *size);

/*
 * A range callback: return 0 to go on, anything else to stop there.
 */
typedef int (*pk_fdt_range_fn)(void *ctx, uint64_t base, uint64_t size);
/*
 * RAM as the tree describes it: every enabled node under the root whose
 * device_type is "memory", each entry of its "linux,usable-memory" when
 * present (a capture kernel's tree), else of its "reg".  Returns the
 * number of ranges passed to fn, or -1 when an entry cannot be read.
 */
int pk_fdt_for_each_memory(const struct pk_fdt *t, pk_fdt_range_fn fn,
			   void *ctx);
/*
 * Memory the tree reserves: the /memreserve/ entries, then the "reg" of
 * each enabled child of /reserved-memory.  Returns the count, or -1.
 */
int pk_fdt_for_each_reserved(const struct pk_fdt *t, pk_fdt_range_fn fn,
			     void *ctx);

/* Byte-order helpers used by the above, public for trampolines. */
uint32_t pk_be32_to_cpu(uint32_t v);
uint64_t pk_be64_to_cpu(uint64_t v);
#define pk_cpu_to_be32 pk_be32_to_cpu
#define pk_cpu_to_be64 pk_be64_to_cpu

#endif /* PURGKIT_FDT_H */
