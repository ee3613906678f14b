/* SPDX-License-Identifier: MIT */
/*
 * Device-tree edits every linux type that hands the next kernel a tree
 * makes (aarch64, ppc64, riscv64); each adds its own around them.
 */
#ifndef PURGKIT_LOADER_TREE_H
#define PURGKIT_LOADER_TREE_H

#include <stdint.h>

/*
 * /chosen as the next kernel reads it: bootargs = cmdline (left as it is
 * when cmdline is NULL), and linux,initrd-start/end for the initrd, or
 * none when initrd_size is 0 (the running kernel's would be stale).
 * /chosen is made when the tree has none.  Returns its offset, or a
 * negative libfdt error for the caller to name.
 */
int pk_tree_chosen_boot(void *fdt, const char *cmdline, uint64_t initrd,
			uint64_t initrd_size);

#endif /* PURGKIT_LOADER_TREE_H */
