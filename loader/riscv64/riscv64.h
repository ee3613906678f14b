/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 loader's own parts (loader/riscv64/), shared by its payload
 * types: the device-tree segment kexec_load requires
 * (docs/contract-riscv64.md, section 3).
 */
#ifndef PURGKIT_LOADER_RISCV64_H
#define PURGKIT_LOADER_RISCV64_H

#include "arch.h"
#include "plan.h"

/*
 * Read the device tree (--dtb, else the running machine's
 * /sys/firmware/fdt), check its header and add it as a segment in free
 * RAM, hashed like every segment the payload reads (it gets the tree in
 * a1).  *address is its destination.  0 or -1 (pk_error set).
 */
int pk_riscv64_add_tree(struct pk_plan *plan, uint64_t *address);

/* The two halves of pk_riscv64_add_tree, for a type that edits the tree
 * in between: read and check it (--dtb or the running machine's), then
 * place a copy of `size` bytes (path names it in the plan). */
int pk_riscv64_read_tree(const struct pk_plan *plan, struct pk_file *tree);
int pk_riscv64_place_tree(struct pk_plan *plan, const void *tree,
			  uint64_t size, const char *path, uint64_t *address);

/*
 * A finish() check: kexec takes as the tree the first segment, in the
 * order the loader submits them (by destination), whose first bytes pass
 * fdt_check_header; that must be the tree at `address`.  0 or -1.
 */
int pk_riscv64_check_tree_first(const struct pk_plan *plan, uint64_t address);

/*
 * The firmware's memory a device tree names (its /memreserve/ entries and
 * the "reg" of each /reserved-memory child), as PK_MEM_RESERVED ranges in
 * a new array (*count of them; may overlap).  where names the tree in
 * errors.  0 or -1 (pk_error set).
 */
int pk_riscv64_tree_reserved(const void *fdt, const char *where,
			     struct pk_mem_range **ranges, size_t *count);
/* The running system's memory map: /proc/iomem less those of
 * /sys/firmware/fdt (memmap.c). */
int pk_riscv64_system_memmap(struct pk_memmap *map);

/* The crash path's riscv64 part (crash.c). */
extern const struct pk_crash_arch pk_riscv64_crash_arch;

#endif /* PURGKIT_LOADER_RISCV64_H */
