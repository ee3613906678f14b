/* SPDX-License-Identifier: MIT */
/*
 * Reading a flattened device tree (the Devicetree Specification, chapter
 * 5).  pk_fdt_open walks the whole structure block once and refuses any
 * tree whose tokens, names, lengths or nesting are not sound, so the
 * walkers after it only ever step over tokens it has already checked.
 * They still step with the bounded token reader, which keeps them in the
 * blob even if its bytes change after the check (a tree in memory that
 * something else may write).
 */
#include <purgkit/fdt.h>
#include <purgkit/string.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

#define FDT_HEADER_SIZE 40	/* the version 17 header */

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

uint32_t pk_fdt_cell(const void *p)
{
	return be32(p);
}

uint64_t pk_fdt_cells(const void *p, uint32_t n)
{
	const uint8_t *b = p;

	return n == 2 ? (uint64_t)be32(b) << 32 | be32(b + 4) : be32(b);
}

static uint32_t align4(uint32_t n)
{
	return (n + 3) & ~3u;
}

/*
 * The token at struct-block offset *off.  Advances *off past it and
 * returns its tag, or -1 when it does not fit in the block.  For a node,
 * *data is the offset of its name; for a property, of its length word.
 */
static int step(const struct pk_fdt *t, uint32_t *off, uint32_t *data)
{
	const uint8_t *block = t->blob + t->struct_off;
	uint32_t o = *off, room, tag;

	if (o > t->struct_size || t->struct_size - o < 4)
		return -1;
	tag = be32(block + o);
	o += 4;
	room = t->struct_size - o;
	switch (tag) {
	case FDT_BEGIN_NODE: {
		size_t n = strnlen((const char *)block + o, room);

		if (n == room)
			return -1;	/* the name runs out of the block */
		*data = o;
		o += align4((uint32_t)n + 1);
		break;
	}
	case FDT_PROP: {
		uint32_t len, nameoff;

		if (room < 8)
			return -1;
		len = be32(block + o);
		nameoff = be32(block + o + 4);
		if (len > room - 8 || nameoff >= t->strings_size)
			return -1;
		*data = o;
		o += 8 + align4(len);
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -1;
	}
	if (o > t->struct_size)
		return -1;
	*off = o;
	return (int)tag;
}

/* A property's name, NUL-terminated inside the strings block (checked). */
static const char *prop_name(const struct pk_fdt *t, uint32_t data)
{
	const uint8_t *block = t->blob + t->struct_off;

	return (const char *)t->blob + t->strings_off + be32(block + data + 4);
}

static int strings_ok(const struct pk_fdt *t, uint32_t nameoff)
{
	const char *s = (const char *)t->blob + t->strings_off + nameoff;

	return strnlen(s, t->strings_size - nameoff) < t->strings_size - nameoff;
}

int pk_fdt_open(struct pk_fdt *t, const void *blob, uint32_t max_size)
{
	struct pk_fdt_header h;
	uint32_t off = 0, data, depth = 0, rsv;
	int tag, seen_root = 0;

	t->size = 0;
	if (!blob || pk_fdt_read_header(blob, &h) || h.version < 16 ||
	    h.last_comp_version > 17)
		return -1;
	/* Offsets are ints: 2 GiB is far beyond any tree. */
	if (h.totalsize < FDT_HEADER_SIZE || h.totalsize > max_size ||
	    h.totalsize > 0x7fffffffu)
		return -1;
	t->blob = blob;
	t->size = h.totalsize;
	t->struct_off = h.off_dt_struct;
	t->strings_off = h.off_dt_strings;
	t->rsvmap_off = h.off_mem_rsvmap;
	t->boot_cpuid_phys = h.boot_cpuid_phys;
	/* Version 16 has no size_dt_struct: the block runs to the end. */
	if (t->struct_off > t->size || t->strings_off > t->size)
		goto bad;
	t->struct_size = h.version >= 17 ? h.size_dt_struct :
			 t->size - t->struct_off;
	t->strings_size = h.size_dt_strings;
	if (t->struct_size > t->size - t->struct_off ||
	    t->strings_size > t->size - t->strings_off ||
	    (t->struct_off & 3))
		goto bad;
	/* The reservation block: 16-byte pairs up to a 0,0 pair. */
	if (t->rsvmap_off & 7)
		goto bad;
	for (rsv = t->rsvmap_off;; rsv += 16) {
		if (rsv > t->size || t->size - rsv < 16)
			goto bad;
		if (!pk_fdt_cells(t->blob + rsv, 2) &&
		    !pk_fdt_cells(t->blob + rsv + 8, 2))
			break;
	}
	/* The structure: NOPs, one root node, END; every token sound. */
	for (;;) {
		tag = step(t, &off, &data);
		if (tag < 0)
			goto bad;
		if (tag == FDT_BEGIN_NODE) {
			if (depth == 0 && seen_root)
				goto bad;	/* a second root */
			seen_root = 1;
			if (++depth > PK_FDT_MAX_DEPTH)
				goto bad;
		} else if (tag == FDT_END_NODE) {
			if (depth == 0)
				goto bad;
			depth--;
		} else if (tag == FDT_PROP) {
			if (depth == 0 ||
			    !strings_ok(t, be32(t->blob + t->struct_off +
						data + 4)))
				goto bad;
		} else if (tag == FDT_END) {
			if (depth || !seen_root)
				goto bad;
			return 0;
		}
	}
bad:
	t->size = 0;
	return -1;
}

/* The first non-NOP token at or after off: its tag, and off moved to it. */
static int skip_nops(const struct pk_fdt *t, uint32_t *off)
{
	uint32_t o = *off, data;
	int tag;

	for (;;) {
		uint32_t at = o;

		tag = step(t, &o, &data);
		if (tag != FDT_NOP) {
			*off = at;
			return tag;
		}
	}
}

int pk_fdt_root(const struct pk_fdt *t)
{
	uint32_t off = 0;

	if (!t->size)
		return -1;
	return skip_nops(t, &off) == FDT_BEGIN_NODE ? (int)off : -1;
}

/* Offset just past node's BEGIN token and name; 0 if node is not one. */
static uint32_t node_body(const struct pk_fdt *t, int node)
{
	uint32_t off = (uint32_t)node, data;

	if (node < 0 || step(t, &off, &data) != FDT_BEGIN_NODE)
		return 0;
	return off;
}

const char *pk_fdt_name(const struct pk_fdt *t, int node)
{
	uint32_t off = (uint32_t)node, data;

	if (node < 0 || step(t, &off, &data) != FDT_BEGIN_NODE)
		return NULL;
	return (const char *)t->blob + t->struct_off + data;
}

/* Offset just past the node's END_NODE; 0 when malformed. */
static uint32_t node_end(const struct pk_fdt *t, int node)
{
	uint32_t off = node_body(t, node), data, depth = 1;

	if (!off)
		return 0;
	while (depth) {
		int tag = step(t, &off, &data);

		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE)
			depth--;
		else if (tag < 0 || tag == FDT_END)
			return 0;
	}
	return off;
}

/* The node starting at or after off (NOPs and properties skipped), or
 * -1 at the END_NODE that closes the level. */
static int node_at(const struct pk_fdt *t, uint32_t off)
{
	uint32_t data;

	for (;;) {
		uint32_t at = off;
		int tag = step(t, &off, &data);

		if (tag == FDT_BEGIN_NODE)
			return (int)at;
		if (tag != FDT_PROP && tag != FDT_NOP)
			return -1;
	}
}

int pk_fdt_first_child(const struct pk_fdt *t, int node)
{
	uint32_t off = node_body(t, node);

	return off ? node_at(t, off) : -1;
}

int pk_fdt_next_sibling(const struct pk_fdt *t, int node)
{
	uint32_t off = node_end(t, node);

	return off ? node_at(t, off) : -1;
}

int pk_fdt_parent(const struct pk_fdt *t, int node)
{
	int stack[PK_FDT_MAX_DEPTH];
	uint32_t off = 0, data;
	int depth = 0;

	for (;;) {
		uint32_t at = off;
		int tag = step(t, &off, &data);

		if (tag == FDT_BEGIN_NODE) {
			if (at == (uint32_t)node)
				return depth ? stack[depth - 1] : -1;
			if (depth == PK_FDT_MAX_DEPTH)
				return -1;
			stack[depth++] = (int)at;
		} else if (tag == FDT_END_NODE) {
			if (!depth)
				return -1;
			depth--;
		} else if (tag < 0 || tag == FDT_END) {
			return -1;
		}
	}
}

/* Does a node called full answer to name (n bytes)?  Exactly, or by the
 * part before '@' when name has no unit address. */
static int name_matches(const char *full, const char *name, size_t n)
{
	size_t i;

	if (strncmp(full, name, n))
		return 0;
	if (!full[n])
		return 1;
	for (i = 0; i < n && name[i] != '@'; i++)
		;
	return full[n] == '@' && i == n;
}

static int subnode_n(const struct pk_fdt *t, int parent, const char *name,
		     size_t n)
{
	int child;

	for (child = pk_fdt_first_child(t, parent); child >= 0;
	     child = pk_fdt_next_sibling(t, child))
		if (name_matches(pk_fdt_name(t, child), name, n))
			return child;
	return -1;
}

int pk_fdt_subnode(const struct pk_fdt *t, int parent, const char *name)
{
	return subnode_n(t, parent, name, strlen(name));
}

/* Walk the components of path[0..n) from node. */
static int walk(const struct pk_fdt *t, int node, const char *path, size_t n)
{
	size_t i = 0;

	while (node >= 0 && i < n) {
		size_t len = 0;

		while (i < n && path[i] == '/')
			i++;
		while (i + len < n && path[i + len] != '/')
			len++;
		if (len)
			node = subnode_n(t, node, path + i, len);
		i += len;
	}
	return node;
}

int pk_fdt_path(const struct pk_fdt *t, const char *path)
{
	size_t n = 0, alias_len = 0;
	const char *target;
	uint32_t len;
	int aliases;

	while (path[n] && path[n] != ':')
		n++;
	if (path[0] == '/')
		return walk(t, pk_fdt_root(t), path, n);
	/* An alias: its name up to the first '/', its value a full path. */
	while (alias_len < n && path[alias_len] != '/')
		alias_len++;
	aliases = pk_fdt_subnode(t, pk_fdt_root(t), "aliases");
	for (int prop = pk_fdt_first_prop(t, aliases); prop >= 0;
	     prop = pk_fdt_next_prop(t, prop)) {
		const char *name;

		target = pk_fdt_prop_at(t, prop, &name, &len);
		if (strncmp(name, path, alias_len) || name[alias_len])
			continue;
		if (!len || target[0] != '/' || strnlen(target, len) == len)
			return -1;	/* not a NUL-terminated path */
		return walk(t, walk(t, pk_fdt_root(t), target, strlen(target)),
			    path + alias_len, n - alias_len);
	}
	return -1;
}

/* The property starting at or after off among a node's properties (NOPs
 * skipped), or -1 at its first child or end. */
static int prop_at(const struct pk_fdt *t, uint32_t off)
{
	return skip_nops(t, &off) == FDT_PROP ? (int)off : -1;
}

int pk_fdt_first_prop(const struct pk_fdt *t, int node)
{
	uint32_t off = node_body(t, node);

	return off ? prop_at(t, off) : -1;
}

int pk_fdt_next_prop(const struct pk_fdt *t, int prop)
{
	uint32_t off = (uint32_t)prop, data;

	if (prop < 0 || step(t, &off, &data) != FDT_PROP)
		return -1;
	return prop_at(t, off);
}

const void *pk_fdt_prop_at(const struct pk_fdt *t, int prop,
			   const char **name, uint32_t *len)
{
	uint32_t off = (uint32_t)prop, data;
	const uint8_t *block = t->blob + t->struct_off;

	if (prop < 0 || step(t, &off, &data) != FDT_PROP)
		return NULL;
	if (name)
		*name = prop_name(t, data);
	if (len)
		*len = be32(block + data);
	return block + data + 8;
}

const void *pk_fdt_prop(const struct pk_fdt *t, int node, const char *name,
			uint32_t *len)
{
	for (int prop = pk_fdt_first_prop(t, node); prop >= 0;
	     prop = pk_fdt_next_prop(t, prop)) {
		const char *found;
		const void *value = pk_fdt_prop_at(t, prop, &found, len);

		if (!strcmp(found, name))
			return value;
	}
	return NULL;
}

int pk_fdt_prop_has_string(const struct pk_fdt *t, int node, const char *name,
			   const char *value)
{
	uint32_t len, at = 0;
	const char *list = pk_fdt_prop(t, node, name, &len);

	while (list && at < len) {
		size_t n = strnlen(list + at, len - at);

		if (n == len - at)
			return 0;	/* the last string is unterminated */
		if (!strcmp(list + at, value))
			return 1;
		at += (uint32_t)n + 1;
	}
	return 0;
}

int pk_fdt_enabled(const struct pk_fdt *t, int node)
{
	uint32_t len;
	const char *status = pk_fdt_prop(t, node, "status", &len);

	return !status || pk_fdt_prop_has_string(t, node, "status", "okay") ||
	       pk_fdt_prop_has_string(t, node, "status", "ok");
}

static uint32_t cells(const struct pk_fdt *t, int node, const char *name,
		      uint32_t fallback)
{
	uint32_t len;
	const void *v = pk_fdt_prop(t, node, name, &len);

	return v && len == 4 ? pk_fdt_cell(v) : fallback;
}

uint32_t pk_fdt_address_cells(const struct pk_fdt *t, int node)
{
	return cells(t, node, "#address-cells", 2);
}

uint32_t pk_fdt_size_cells(const struct pk_fdt *t, int node)
{
	return cells(t, node, "#size-cells", 1);
}

/* Entry index of property name (ac address cells, sc size cells). */
static int read_entry(const struct pk_fdt *t, int node, const char *name,
		      uint32_t ac, uint32_t sc, int index, uint64_t *address,
		      uint64_t *size)
{
	uint32_t len, entry = (ac + sc) * 4;
	const uint8_t *v = pk_fdt_prop(t, node, name, &len);

	if (!v || index < 0 || ac < 1 || ac > 2 || sc > 2 ||
	    (uint32_t)index >= len / entry)
		return -1;
	v += (uint32_t)index * entry;
	*address = pk_fdt_cells(v, ac);
	*size = sc ? pk_fdt_cells(v + ac * 4, sc) : 0;
	return 0;
}

int pk_fdt_reg(const struct pk_fdt *t, int node, int index, uint64_t *address,
	       uint64_t *size)
{
	int parent = pk_fdt_parent(t, node);

	if (parent < 0)
		return -1;
	return read_entry(t, node, "reg", pk_fdt_address_cells(t, parent),
			  pk_fdt_size_cells(t, parent), index, address, size);
}

/* Every entry of a node's property name, in the parent's cells, to fn.
 * Adds to *count; returns 1 when fn stopped the walk, -1 on a bad
 * property (a length that is not whole entries, or cells too wide). */
static int each_entry(const struct pk_fdt *t, int parent, int node,
		      const char *name, pk_fdt_range_fn fn, void *ctx,
		      int *count)
{
	uint32_t ac = pk_fdt_address_cells(t, parent);
	uint32_t sc = pk_fdt_size_cells(t, parent), len;
	uint64_t base, size;

	if (!pk_fdt_prop(t, node, name, &len))
		return 0;
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || len % ((ac + sc) * 4))
		return -1;
	for (int i = 0; !read_entry(t, node, name, ac, sc, i, &base, &size);
	     i++) {
		(*count)++;
		if (fn(ctx, base, size))
			return 1;
	}
	return 0;
}

int pk_fdt_for_each_memory(const struct pk_fdt *t, pk_fdt_range_fn fn,
			   void *ctx)
{
	int root = pk_fdt_root(t), count = 0;

	for (int node = pk_fdt_first_child(t, root); node >= 0;
	     node = pk_fdt_next_sibling(t, node)) {
		const char *name = "reg";
		int rc;

		if (!pk_fdt_prop_has_string(t, node, "device_type", "memory") ||
		    !pk_fdt_enabled(t, node))
			continue;
		if (pk_fdt_prop(t, node, "linux,usable-memory", NULL))
			name = "linux,usable-memory";
		rc = each_entry(t, root, node, name, fn, ctx, &count);
		if (rc < 0)
			return -1;
		if (rc)
			break;
	}
	return root < 0 ? -1 : count;
}

int pk_fdt_for_each_reserved(const struct pk_fdt *t, pk_fdt_range_fn fn,
			     void *ctx)
{
	int count = 0, parent;

	if (!t->size)
		return -1;
	for (uint32_t rsv = t->rsvmap_off;; rsv += 16) {
		uint64_t base, size;

		if (rsv > t->size || t->size - rsv < 16)
			return -1;
		base = pk_fdt_cells(t->blob + rsv, 2);
		size = pk_fdt_cells(t->blob + rsv + 8, 2);
		if (!base && !size)
			break;
		count++;
		if (fn(ctx, base, size))
			return count;
	}
	parent = pk_fdt_subnode(t, pk_fdt_root(t), "reserved-memory");
	for (int node = pk_fdt_first_child(t, parent); node >= 0;
	     node = pk_fdt_next_sibling(t, node)) {
		int rc;

		if (!pk_fdt_enabled(t, node))
			continue;
		rc = each_entry(t, parent, node, "reg", fn, ctx, &count);
		if (rc < 0)
			return -1;
		if (rc)
			break;
	}
	return count;
}
