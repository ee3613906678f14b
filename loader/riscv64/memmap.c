/* SPDX-License-Identifier: MIT */
/*
 * The running riscv64 system's memory map: /proc/iomem (loader/iomem.c)
 * less the firmware's memory its device tree names.  riscv64's
 * /proc/iomem shows the tree's no-map regions as top-level "Reserved",
 * but leaves every other reserved range inside "System RAM" without a
 * child, and OpenSBI's own region (a /reserved-memory node; PMP-protected,
 * so a load from S-mode faults) is one of them on the firmware QEMU
 * ships.  So the tree (/sys/firmware/fdt, what the kernel booted with)
 * says what is reserved: its /memreserve/ entries and the "reg" of each
 * /reserved-memory child (kexec-tools' riscv loader reads the same).
 */
#include <libfdt.h>

#include "memmap.h"
#include "riscv64/riscv64.h"

#define SYSTEM_TREE "/sys/firmware/fdt"

struct tree_ranges {
	struct pk_mem_range *items;
	size_t count;
};

static void add_range(struct tree_ranges *list, uint64_t start, uint64_t size)
{
	if (!size || start + size < start)
		return;
	list->items = pk_xgrow(list->items, list->count, sizeof(*list->items));
	list->items[list->count++] = (struct pk_mem_range){
		start, start + size, PK_MEM_RESERVED };
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

int pk_riscv64_tree_reserved(const void *fdt, const char *where,
			     struct pk_mem_range **ranges, size_t *count)
{
	struct tree_ranges list = { NULL, 0 };
	int node, child, ac, sc, err = fdt_check_header(fdt);

	if (err)
		return pk_error("%s: not a device tree: %s", where,
				fdt_strerror(err));
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t address, size;

		if (!fdt_get_mem_rsv(fdt, i, &address, &size))
			add_range(&list, address, size);
	}
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node >= 0) {
		ac = fdt_address_cells(fdt, node);
		sc = fdt_size_cells(fdt, node);
		if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
			free(list.items);
			return pk_error("%s: /reserved-memory has #address-cells "
					"%d, #size-cells %d (1 or 2 each)",
					where, ac, sc);
		}
		fdt_for_each_subnode(child, fdt, node) {
			int len = 0;
			const fdt32_t *reg = fdt_getprop(fdt, child, "reg", &len);
			int entry = (ac + sc) * 4;

			for (int off = 0; reg && off + entry <= len; off += entry)
				add_range(&list, cells(reg + off / 4, ac),
					  cells(reg + off / 4 + ac, sc));
		}
	}
	*ranges = list.items;
	*count = list.count;
	return 0;
}

int pk_riscv64_system_memmap(struct pk_memmap *map)
{
	struct pk_mem_range *reserved = NULL;
	struct pk_file tree;
	size_t count = 0;
	int ret;

	if (pk_file_read(SYSTEM_TREE, "device tree", &tree))
		return -1;
	ret = pk_riscv64_tree_reserved(tree.data, SYSTEM_TREE, &reserved,
				       &count);
	pk_file_free(&tree);
	if (!ret)
		ret = pk_iomem_memmap(map, reserved, count);
	free(reserved);
	return ret;
}
