/* SPDX-License-Identifier: MIT */
/*
 * The device tree for the next kernel (libfdt).
 *
 * Source: --dtb FILE, or the running kernel's /proc/device-tree walked
 * into a flattened tree, as kexec-tools' fs2dt does.  Properties that
 * describe the old kernel's own boot (its initrd, its kernel end, its
 * hash table, its memory limit, crash kernel) are left out; the
 * trampoline fills boot_cpuid_phys at run time, when the primary CPU is
 * known.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include <purgkit/byteorder.h>

#include "crash.h"
#include "tree.h"
#include "ppc64/ppc64.h"

/* Room for the edits of pk_ppc64_dt_prepare, and for the next kernel. */
#define PK_DT_SLACK 0x10000

static const char *const pk_dt_skipped[] = {
	"linux,initrd-start", "linux,initrd-end", "linux,kernel-end",
	"linux,htab-base", "linux,htab-size", "linux,memory-limit",
	"linux,crashkernel-base", "linux,crashkernel-size",
	"linux,tce-base", "linux,tce-size", "linux,usable-memory-range",
	"linux,elfcorehdr",
};

static bool pk_dt_skip(const char *name)
{
	for (size_t i = 0; i < sizeof(pk_dt_skipped) / sizeof(pk_dt_skipped[0]);
	     i++)
		if (!strcmp(name, pk_dt_skipped[i]))
			return true;
	return false;
}

static int pk_name_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Properties first, then child nodes, each in name order. */
static int pk_dt_walk(void *fdt, const char *path, const char *name)
{
	struct dirent *de;
	char **props = NULL, **nodes = NULL;
	size_t nprops = 0, nnodes = 0;
	int ret = 0;
	DIR *dir = opendir(path);

	if (!dir)
		return pk_error("%s: %s", path, strerror(errno));
	while ((de = readdir(dir))) {
		char child[4096];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		if (lstat(child, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			nodes = pk_xgrow(nodes, nnodes, sizeof(*nodes));
			nodes[nnodes++] = pk_xstrdup(de->d_name);
		} else if (S_ISREG(st.st_mode) && !pk_dt_skip(de->d_name)) {
			props = pk_xgrow(props, nprops, sizeof(*props));
			props[nprops++] = pk_xstrdup(de->d_name);
		}
	}
	closedir(dir);
	qsort(props, nprops, sizeof(*props), pk_name_compare);
	qsort(nodes, nnodes, sizeof(*nodes), pk_name_compare);

	if (fdt_begin_node(fdt, name))
		ret = pk_error("device tree: node %s does not fit", path);
	for (size_t i = 0; !ret && i < nprops; i++) {
		char child[4096];
		struct pk_file value = { 0 };
		struct stat st;

		snprintf(child, sizeof(child), "%s/%s", path, props[i]);
		/* An empty property (a flag) is a valid, empty file. */
		if (stat(child, &st) == 0 && st.st_size > 0 &&
		    pk_file_read(child, "device-tree property", &value)) {
			ret = -1;
			break;
		}
		if (fdt_property(fdt, props[i], value.data, (int)value.size))
			ret = pk_error("device tree: %s does not fit", child);
		pk_file_free(&value);
	}
	for (size_t i = 0; !ret && i < nnodes; i++) {
		char child[4096];

		snprintf(child, sizeof(child), "%s/%s", path, nodes[i]);
		ret = pk_dt_walk(fdt, child, nodes[i]);
	}
	if (!ret && fdt_end_node(fdt))
		ret = pk_error("device tree: node %s does not fit", path);
	for (size_t i = 0; i < nprops; i++)
		free(props[i]);
	for (size_t i = 0; i < nnodes; i++)
		free(nodes[i]);
	free(props);
	free(nodes);
	return ret;
}

/* Big enough for any real machine's tree; only the used part is kept. */
#define PK_DT_WALK_SIZE (16u << 20)

static int pk_dt_from_proc(void **out)
{
	void *fdt = pk_xzalloc(PK_DT_WALK_SIZE);

	if (fdt_create(fdt, PK_DT_WALK_SIZE) || fdt_finish_reservemap(fdt) ||
	    pk_dt_walk(fdt, PK_PPC64_PROC_DT, "") || fdt_finish(fdt)) {
		free(fdt);
		return pk_error("device tree: %s does not fit in %u MiB or "
				"cannot be read", PK_PPC64_PROC_DT,
				PK_DT_WALK_SIZE >> 20);
	}
	*out = fdt;
	return 0;
}

/*
 * fdt_open_into sizes the reserve map with fdt_num_mem_rsv and does not
 * check it for an error: a reserve map with no (0, 0) end inside the blob
 * becomes a negative memmove (found by `make fuzz`).  Checked here.
 */
static int pk_dt_layout_check(const char *path, const void *fdt)
{
	int n = fdt_num_mem_rsv(fdt);

	if (n < 0)
		return pk_error("device tree %s: the reserve map at "
				"off_mem_rsvmap 0x%x has no end in the blob: %s",
				path, fdt_off_mem_rsvmap(fdt),
				fdt_strerror(n));
	return 0;
}

/*
 * Every property's name inside the strings block: libfdt 1.6's
 * fdt_check_full does not look, and a name offset past the block would
 * reach the next kernel.
 */
static int pk_dt_check_names(const char *path, const void *fdt)
{
	int offset = 0, next;

	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, offset, &next);
		const struct fdt_property *prop;
		int len;

		if (tag == FDT_END || next < 0)
			return 0;
		if (tag == FDT_PROP) {
			uint32_t name;

			prop = fdt_get_property_by_offset(fdt, offset, &len);
			name = prop ? fdt32_ld(&prop->nameoff) : 0;
			/* Before version 17 libfdt bounds names by totalsize
			 * only; the block's own size is what counts. */
			if (!prop || name >= fdt_size_dt_strings(fdt) ||
			    !fdt_get_string(fdt, (int)name, &len) ||
			    name + (uint32_t)len >= fdt_size_dt_strings(fdt))
				return pk_error("device tree %s: the property "
						"at structure offset 0x%x "
						"names string 0x%x, outside "
						"the 0x%x-byte strings block",
						path,
						offset, name,
						fdt_size_dt_strings(fdt));
		}
		offset = next;
	}
}

/*
 * Room for a linux,drconf-usable-memory (pk_ppc64_dt_crash): per LMB a
 * count and at most one (base, size), 2-cell numbers at most.  Counted
 * leniently here (a malformed tree is refused where it is parsed); the
 * LMB count is bounded by PK_PPC64_LMB_MAX.
 */
static size_t pk_dt_drconf_room(const void *fdt)
{
	int node = fdt_path_offset(fdt, PK_PPC64_DR_NODE), len = 0;
	const uint8_t *p;
	uint64_t lmbs = 0;

	if (node < 0)
		return 0;
	if ((p = fdt_getprop(fdt, node, "ibm,dynamic-memory", &len)) &&
	    len >= 4) {
		lmbs = fdt32_ld((const fdt32_t *)p);
	} else if ((p = fdt_getprop(fdt, node, "ibm,dynamic-memory-v2",
				    &len)) && len >= 4) {
		uint32_t sets = fdt32_ld((const fdt32_t *)p);
		int entry = 4 + 4 * fdt_address_cells(fdt, 0) + 12;

		for (uint32_t i = 0; entry > 16 && i < sets &&
				     4 + (uint64_t)(i + 1) * entry <= (uint64_t)len &&
				     lmbs <= PK_PPC64_LMB_MAX; i++)
			lmbs += fdt32_ld((const fdt32_t *)(p + 4 + i * entry));
	}
	if (lmbs > PK_PPC64_LMB_MAX)
		lmbs = PK_PPC64_LMB_MAX;
	return (size_t)lmbs * 24;
}

int pk_ppc64_dt_read(const struct pk_plan *plan, void **fdt)
{
	const char *path = NULL, *name;
	struct pk_file file;
	void *src = NULL, *buf;
	char *cmdline;
	size_t size;
	int err;

	/* --dtb's, or a UKI's .dtb, else the running machine's. */
	if (pk_plan_read_dtb(plan, &file))
		return -1;
	if (file.data)
		path = file.path;
	name = path ? path : PK_PPC64_PROC_DT;
	if (path) {
		if (file.size < sizeof(struct fdt_header) ||
		    fdt_check_header(file.data) ||
		    fdt_totalsize(file.data) > file.size) {
			pk_file_free(&file);
			return pk_error("%s: not a flattened device tree (bad "
					"magic, version or size)", path);
		}
		if (pk_dt_layout_check(path, file.data)) {
			pk_file_free(&file);
			return -1;
		}
		/*
		 * Every node, property and name offset inside its block, and
		 * an FDT_END: what the next kernel will walk, checked whole.
		 */
		err = fdt_check_full(file.data, file.size);
		if (err) {
			pk_file_free(&file);
			return pk_error("device tree %s: malformed (libfdt: "
					"%s)", path, fdt_strerror(err));
		}
		if (pk_dt_check_names(path, file.data)) {
			pk_file_free(&file);
			return -1;
		}
		src = file.data;
	} else {
		if (access(PK_PPC64_PROC_DT, R_OK))
			return pk_error("no --dtb given and %s cannot be read: "
					"give the next kernel a device tree "
					"with --dtb=FILE", PK_PPC64_PROC_DT);
		if (pk_dt_from_proc(&src))
			return -1;
	}
	/* The command line goes into /chosen: room for it, however long. */
	cmdline = pk_options_command_line(plan->opts);
	size = fdt_totalsize(src) + PK_DT_SLACK + pk_dt_drconf_room(src) +
	       strlen(cmdline);
	free(cmdline);
	if (size > INT_MAX) {
		free(src);
		return pk_error("device tree %s: 0x%zx bytes with its edits, "
				"more than libfdt handles", name, size);
	}
	buf = pk_xzalloc(size);
	err = fdt_open_into(src, buf, (int)size);
	free(src);
	if (err) {
		free(buf);
		return pk_error("device tree %s: %s", name, fdt_strerror(err));
	}
	/* The tree's own /memreserve/ entries obey the same rule as ours. */
	for (int i = 0, n = fdt_num_mem_rsv(buf); i < n; i++) {
		uint64_t b, s;

		if (!fdt_get_mem_rsv(buf, i, &b, &s) && b + s < b) {
			free(buf);
			return pk_error("device tree %s: /memreserve/ entry %d "
					"0x%llx+0x%llx wraps around the "
					"address space", path ? path :
					PK_PPC64_PROC_DT, i,
					(unsigned long long)b,
					(unsigned long long)s);
		}
	}
	*fdt = buf;
	return 0;
}

static uint64_t pk_dt_u64(const void *fdt, int node, const char *name,
			  bool *found)
{
	int len = 0;
	const uint8_t *p = fdt_getprop(fdt, node, name, &len);
	uint64_t v = 0;

	*found = p && (len == 4 || len == 8);
	for (int i = 0; *found && i < len; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Reserve [base, base + size) unless an entry already covers it. */
static int pk_dt_reserve(void *fdt, uint64_t base, uint64_t size)
{
	int n = fdt_num_mem_rsv(fdt), err;
	uint64_t b, s;

	if (!size)
		return 0;
	if (base + size < base)
		return pk_error("device tree: reserved range 0x%llx+0x%llx "
				"wraps around the address space",
				(unsigned long long)base,
				(unsigned long long)size);
	for (int i = 0; i < n; i++)
		if (!fdt_get_mem_rsv(fdt, i, &b, &s) && b <= base &&
		    base + size <= b + s)
			return 0;
	err = fdt_add_mem_rsv(fdt, base, size);
	if (err)
		return pk_error("device tree: reserving 0x%llx+0x%llx: %s",
				(unsigned long long)base,
				(unsigned long long)size, fdt_strerror(err));
	return 0;
}

void pk_ppc64_dt_opal(const void *fdt, uint64_t *base, uint64_t *entry)
{
	int node = fdt_path_offset(fdt, "/ibm,opal");
	bool found_base = false, found_entry = false;

	*base = *entry = 0;
	if (node < 0)
		return;
	*base = pk_dt_u64(fdt, node, "opal-base-address", &found_base);
	*entry = pk_dt_u64(fdt, node, "opal-entry-address", &found_entry);
	if (!found_base || !found_entry)
		*base = *entry = 0;
}

int pk_ppc64_dt_prepare(void *fdt, const char *cmdline, uint64_t initrd,
			uint64_t initrd_size)
{
	int chosen, node, len = 0, err = 0;
	const uint8_t *ranges;
	bool a, b;
	uint64_t base, size;

	chosen = pk_tree_chosen_boot(fdt, cmdline, initrd, initrd_size);
	if (chosen < 0)
		return pk_error("device tree for the next kernel: /chosen: %s",
				fdt_strerror(chosen));

	if (initrd_size && pk_dt_reserve(fdt, initrd, initrd_size))
		return -1;
	node = fdt_path_offset(fdt, "/rtas");
	if (node >= 0) {
		base = pk_dt_u64(fdt, node, "linux,rtas-base", &a);
		size = pk_dt_u64(fdt, node, "rtas-size", &b);
		if (a && b && pk_dt_reserve(fdt, base, size))
			return -1;
	}
	node = fdt_path_offset(fdt, "/ibm,opal");
	if (node >= 0) {
		base = pk_dt_u64(fdt, node, "opal-base-address", &a);
		size = pk_dt_u64(fdt, node, "opal-runtime-size", &b);
		if (a && b && pk_dt_reserve(fdt, base, size))
			return -1;
	}
	for (int off = 0;; off += 16) {
		/*
		 * Looked up again each time: every reserve-map entry added
		 * moves the structure block, and the property with it.
		 */
		ranges = fdt_getprop(fdt, 0, "reserved-ranges", &len);
		if (!ranges || off + 16 > len)
			break;
		base = pk_ppc64_cells(ranges + off, 2);
		size = pk_ppc64_cells(ranges + off + 8, 2);
		if (pk_dt_reserve(fdt, base, size))
			return -1;
	}
	/* The trampoline writes the real one; 0 until then. */
	fdt_set_boot_cpuid_phys(fdt, 0);
	err = fdt_pack(fdt);
	if (err)
		return pk_error("device tree for the next kernel: %s",
				fdt_strerror(err));
	/* What the next kernel walks is whole, whatever the edits did. */
	err = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (err)
		return pk_error("device tree for the next kernel: malformed "
				"after its edits (libfdt: %s)",
				fdt_strerror(err));
	return 0;
}

uint64_t pk_ppc64_dt_timebase_hz(const void *fdt)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						 "cpu", sizeof("cpu"));
	const uint8_t *v;
	int len;

	if (node < 0)
		return 0;
	v = fdt_getprop(fdt, node, "timebase-frequency", &len);
	/* A property is 4-aligned in the blob, not 8: unaligned reads. */
	if (v && (len == 8 || len == 4))
		return pk_load_uint(v, len, true);
	return 0;
}

int pk_ppc64_patch_timebase(struct pk_plan *plan, const void *fdt)
{
	void *read = NULL;
	uint64_t hz;

	if (!fdt && (pk_plan_gives_dtb(plan) ||
		     !strcmp(plan->memmap.source, PK_PPC64_PROC_DT))) {
		if (pk_ppc64_dt_read(plan, &read))
			return -1;
		fdt = read;
	}
	hz = fdt ? pk_ppc64_dt_timebase_hz(fdt) : 0;
	free(read);
	return PK_PLAN_PATCH_INT(plan, pk_timebase_hz, hz);
}

uint64_t pk_ppc64_dt_size(const void *fdt)
{
	return fdt_totalsize(fdt);
}

static int pk_dt_put_cells(uint8_t *p, unsigned int cells, uint64_t v)
{
	for (unsigned int i = cells * 4; i-- > 0; v >>= 8)
		p[i] = (uint8_t)v;
	return (int)cells * 4;
}

/* Is [start, end) in map's ranges, whatever their type? */
static bool pk_dt_in_map(const struct pk_memmap *map, uint64_t start,
			 uint64_t end)
{
	for (size_t i = 0; i < map->count && start < end; i++)
		if (map->ranges[i].start <= start && start < map->ranges[i].end)
			start = map->ranges[i].end;
	return start >= end;
}

/*
 * linux,drconf-usable-memory, the dynamic memory's linux,usable-memory:
 * entries, each a count in #size-cells cells, then that many (base in
 * #address-cells, size in #size-cells).  Here the LMB's part inside the
 * reservation (count 1) or nothing (count 0): the capture kernel must not
 * take the old kernel's LMBs as its RAM, and overwrite what it is to dump.
 *
 * Entries are read only for the LMBs that are RAM: Linux's reader
 * (early_init_drmem_lmb, numa_setup_drmem_lmb) skips an LMB that is not
 * assigned or is reserved without taking an entry.  So the RAM LMBs' come
 * first, in the property's order, and every other LMB's after them, count
 * 0, so the property has one entry per LMB all the same and no reader runs
 * off its end.  kexec-tools and the kernel's kexec_file write an entry per
 * LMB in the property's order instead; where QEMU lists its boot memory's
 * LMBs (reserved) before a DIMM's, the DIMM's LMBs then take the boot
 * LMBs' entries (parts of the reservation, a second time, flagged
 * hot-removable like the DIMM), and written that way the 6.1 capture
 * kernel died before its console came up in QEMU pseries, where this way
 * it boots (tests/e2e/test_kdump_drconf.py).  The capture map
 * (crash->capture) needs nothing more: the reservation lies in the memory
 * node at 0 (crash.c checks it ends below the real-mode limit), whose
 * linux,usable-memory gives it.
 *
 * Every LMB that is RAM must also be in the system's map, or the dump's
 * PT_LOADs would lack it (a --memmap recorded on another machine than
 * --dtb).
 */
static int pk_dt_crash_drconf(void *fdt, const struct pk_crash *crash,
			      const struct pk_mem_range *r)
{
	const char *where = crash->opts.dtb ? crash->opts.dtb :
					      PK_PPC64_PROC_DT;
	unsigned int ac = (unsigned int)fdt_address_cells(fdt, 0);
	unsigned int sc = (unsigned int)fdt_size_cells(fdt, 0);
	struct pk_ppc64_drmem drmem;
	uint64_t entries = 0;
	uint8_t *usable;
	size_t n = 0;
	int node, err, ret = 0;

	if (pk_ppc64_drmem_from_fdt(fdt, where, &drmem))
		return -1;
	if (!drmem.lmb_count) {
		pk_ppc64_drmem_free(&drmem);
		return 0;
	}
	usable = pk_xzalloc((size_t)drmem.lmb_count * (ac + 2 * sc) * 4);
	for (size_t i = 0; !ret && i < drmem.run_count; i++) {
		const struct pk_ppc64_lmb_run *run = &drmem.runs[i];
		uint64_t run_end = run->base + run->count * drmem.lmb_size;

		if (!pk_ppc64_lmb_is_ram(run->flags))
			continue;
		if (!pk_dt_in_map(&crash->system, run->base, run_end)) {
			ret = pk_error("%s" PK_PPC64_DR_NODE ": LMBs 0x%llx-"
				       "0x%llx are the partition's memory but "
				       "not in the memory map %s: the dump "
				       "would lack them", where,
				       (unsigned long long)run->base,
				       (unsigned long long)run_end - 1,
				       crash->system.source);
			break;
		}
		for (uint32_t j = 0; j < run->count; j++) {
			uint64_t base = run->base + j * drmem.lmb_size;
			uint64_t end = base + drmem.lmb_size;
			uint64_t from = base > r->start ? base : r->start;
			uint64_t to = end < r->end ? end : r->end;

			entries++;
			if (from >= to) {
				n += pk_dt_put_cells(usable + n, sc, 0);
				continue;
			}
			n += pk_dt_put_cells(usable + n, sc, 1);
			n += pk_dt_put_cells(usable + n, ac, from);
			n += pk_dt_put_cells(usable + n, sc, to - from);
		}
	}
	/* The LMBs that are not RAM: no reader takes these. */
	for (; entries < drmem.lmb_count; entries++)
		n += pk_dt_put_cells(usable + n, sc, 0);
	pk_ppc64_drmem_free(&drmem);
	node = fdt_path_offset(fdt, PK_PPC64_DR_NODE);
	if (!ret && node >= 0) {
		err = fdt_setprop(fdt, node, "linux,drconf-usable-memory",
				  usable, (int)n);
		if (err)
			ret = pk_error("device tree: linux,drconf-usable-"
				       "memory (%zu bytes): %s", n,
				       fdt_strerror(err));
	}
	free(usable);
	return ret;
}

/*
 * The crash path (-p): confine the capture kernel the way the running
 * kernel's own kexec_file path does (arch/powerpc/kexec/file_load_64.c),
 * for what the Debian 6.1 kernel reads (drivers/of/fdt.c: a memory
 * node's linux,usable-memory replaces its reg):
 *   - usable memory [0, usable_end), clipped to each memory node, (0, 0)
 *     for a node outside it: the first memory block must stay usable from
 *     0, since the kernel sizes its real-mode area by it;
 *   - reserved: the old kernel's memory [backup_size, reservation start),
 *     the backup and the ELF core header, so the capture kernel writes
 *     only in the reservation (and in the first backup_size bytes, which
 *     were copied away).
 *   - dynamic memory: linux,drconf-usable-memory, likewise
 *     (pk_dt_crash_drconf).
 * The crashkernel properties were never copied (pk_dt_skipped).  The
 * usable ranges are also the plan's capture memory map (crash->capture).
 */
int pk_ppc64_dt_crash(void *fdt, struct pk_crash *crash)
{
	const struct pk_mem_range *r = &crash->reservations[crash->placement];
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	int node = -1, err = 0;

	snprintf(crash->capture.source, sizeof(crash->capture.source),
		 "capture kernel's linux,usable-memory");
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return pk_error("device tree: root #address-cells %d, "
				"#size-cells %d: memory nodes cannot be read",
				ac, sc);
	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						     "memory", 7)) >= 0) {
		int len = 0, n = 0, entry = (ac + sc) * 4;
		const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
		uint8_t *usable;

		if (!reg || len % entry)
			continue;
		usable = pk_xzalloc((size_t)len + entry);
		for (int off = 0; off + entry <= len; off += entry) {
			uint64_t base = pk_ppc64_cells(reg + off, ac);
			uint64_t size = pk_ppc64_cells(reg + off + ac * 4, sc);

			if (base >= r->end)
				continue;
			if (base + size > r->end)
				size = r->end - base;
			if (pk_memmap_add(&crash->capture, base, base + size,
					  PK_MEM_RAM)) {
				free(usable);
				return -1;
			}
			n += pk_dt_put_cells(usable + n, (unsigned int)ac, base);
			n += pk_dt_put_cells(usable + n, (unsigned int)sc, size);
		}
		if (!n)		/* a node wholly outside: no memory */
			n = entry;
		err = fdt_setprop(fdt, node, "linux,usable-memory", usable, n);
		free(usable);
		if (err)
			return pk_error("device tree: linux,usable-memory: %s",
					fdt_strerror(err));
	}
	if (pk_dt_crash_drconf(fdt, crash, r))
		return -1;
	if (r->start > crash->backup_size &&
	    pk_dt_reserve(fdt, crash->backup_size,
			  r->start - crash->backup_size))
		return -1;
	if (pk_dt_reserve(fdt, crash->backup_address, crash->backup_size) ||
	    pk_dt_reserve(fdt, crash->header_address, crash->header_size))
		return -1;
	return 0;
}
