/* SPDX-License-Identifier: MIT */
/* Device-tree edits the tree-taking linux types share (tree.h). */
#include <libfdt.h>

#include "tree.h"

int pk_tree_chosen_boot(void *fdt, const char *cmdline, uint64_t initrd,
			uint64_t initrd_size)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int err = 0;

	if (chosen < 0)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return chosen;
	fdt_delprop(fdt, chosen, "linux,initrd-start");
	fdt_delprop(fdt, chosen, "linux,initrd-end");
	if (cmdline)
		err = fdt_setprop_string(fdt, chosen, "bootargs", cmdline);
	if (!err && initrd_size)
		err = fdt_setprop_u64(fdt, chosen, "linux,initrd-start",
				      initrd);
	if (!err && initrd_size)
		err = fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
				      initrd + initrd_size);
	return err ? err : chosen;
}
