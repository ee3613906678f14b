/* SPDX-License-Identifier: MIT */
/*
 * The device-tree segment of every riscv64 load.  kexec_load on riscv
 * refuses a load without one ("Device tree not included in the provided
 * image"), takes the first segment whose header passes fdt_check_header
 * as the tree, and hands its address to the entry in a1
 * (arch/riscv/kernel/machine_kexec.c; docs/contract-riscv64.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/fdt.h>

#include "riscv64/riscv64.h"

/* The running machine's tree, as the firmware (or the kernel) left it. */
#define SYSTEM_TREE "/sys/firmware/fdt"
/* What machine_kexec_prepare reads of each segment: the FDT header. */
#define FDT_HEADER_SIZE 40

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

/*
 * What libfdt's fdt_check_header accepts, as the old kernel runs it on
 * the first 40 bytes of each segment: the magic, a version it can read
 * (from 2; last compatible at most 17), the blocks inside totalsize.
 * NULL if they pass, else why not.
 */
static const char *kexec_header_problem(const uint8_t *p, uint64_t size)
{
	uint32_t total;

	if (size < FDT_HEADER_SIZE)
		return "shorter than a device tree header";
	if (be32(p) != PK_FDT_MAGIC)
		return "no device tree magic (0xd00dfeed)";
	if (be32(p + 20) < 2 || be32(p + 24) > 17)
		return "a device tree version libfdt does not read";
	total = be32(p + 4);
	if (total < FDT_HEADER_SIZE || be32(p + 8) >= total ||
	    be32(p + 12) > total || be32(p + 16) >= total)
		return "its header's blocks lie outside its totalsize";
	return NULL;
}

/* The tree we give: what kexec checks, a version the kernel parses (16
 * or 17), and all of it in the file. */
static const char *tree_problem(const uint8_t *p, uint64_t size)
{
	const char *problem = kexec_header_problem(p, size);

	if (problem)
		return problem;
	if (be32(p + 20) < 16)
		return "older than version 16, which the kernel needs";
	if (be32(p + 4) > size)
		return "its totalsize is larger than the file";
	return NULL;
}

int pk_riscv64_read_tree(const struct pk_plan *plan, struct pk_file *tree)
{
	const char *path = SYSTEM_TREE;
	const char *problem;

	/* --dtb's, or a UKI's .dtb, else the running machine's. */
	if (pk_plan_read_dtb(plan, tree))
		return -1;
	if (tree->data) {
		path = tree->path;
	} else {
		if (!plan->arch->is_host || plan->opts->memmap_file)
			return pk_error("riscv64 needs a device tree for kexec: "
					"give --dtb=FILE (the running "
					"machine's is %s)", SYSTEM_TREE);
		if (pk_file_read(path, "device tree", tree))
			return -1;
	}
	problem = tree_problem(tree->data, tree->size);
	if (problem) {
		pk_file_free(tree);
		return pk_error("%s: not a device tree the kernel takes: %s",
				path, problem);
	}
	return 0;
}

int pk_riscv64_place_tree(struct pk_plan *plan, const void *tree,
			  uint64_t size, const char *path, uint64_t *address)
{
	struct pk_segment *seg;
	void *copy = malloc(size);

	if (!copy)
		return pk_error("out of memory");
	memcpy(copy, tree, size);
	seg = pk_plan_alloc_segment(plan, copy, size, pk_page_up(plan, size),
				    plan->page_size, 0, 0, false,
				    "the device tree");
	if (!seg)
		return -1;
	snprintf(seg->what, sizeof(seg->what), "device tree %s", path);
	*address = seg->dest;
	return 0;
}

int pk_riscv64_add_tree(struct pk_plan *plan, uint64_t *address)
{
	struct pk_file tree = { 0 };
	int ret;

	if (pk_riscv64_read_tree(plan, &tree))
		return -1;
	ret = pk_riscv64_place_tree(plan, tree.data, tree.size, tree.path,
				    address);
	pk_file_free(&tree);
	return ret;
}

int pk_riscv64_check_tree_first(const struct pk_plan *plan, uint64_t address)
{
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];

		if (s->dest == address)
			return 0;
		if (s->memsz > FDT_HEADER_SIZE &&
		    !kexec_header_problem(s->buf, s->bufsz))
			return pk_error("%s at 0x%llx starts with a device "
					"tree and comes before the device "
					"tree at 0x%llx: kexec would take it "
					"as the tree", s->what, HEX(s->dest),
					HEX(address));
	}
	return pk_error("internal: the device tree at 0x%llx is not a segment",
			HEX(address));
}
