/* SPDX-License-Identifier: MIT */
/* The aarch64 loader's own parts, shared by its files. */
#ifndef PURGKIT_LOADER_AARCH64_H
#define PURGKIT_LOADER_AARCH64_H

#include <stdbool.h>

#include "plan.h"

/*
 * A boot module (--module="FILE ARGS") where the plan placed it, for the
 * tree's /chosen/module@ADDR node (the Multiboot-on-ARM binding).
 */
struct pk_aarch64_module {
	uint64_t address, size;
	const char *args;	/* ARGS, its bootargs ("" for none) */
	bool ramdisk;		/* --initrd given beside modules */
};

/* What the payload's device tree says in /chosen. */
struct pk_aarch64_tree {
	const char *cmdline;		/* bootargs (and xen,xen-bootargs
					   when there are modules) */
	uint64_t initrd, initrd_size;	/* linux,initrd-*; size 0: none */
	const struct pk_aarch64_module *modules;
	size_t module_count;
	/* The way out, besides --dtb, that the error for no tree at all
	 * suggests (NULL: none). */
	const char *or_else;
};

/*
 * The payload's device tree (dtb.c): --dtb, else the running kernel's,
 * with /chosen's bootargs, initrd, module nodes and fresh seeds, under -p
 * the crash properties; packed, at most 2 MiB.  Sets the plan's found
 * console from /chosen/stdout-path.
 */
int pk_aarch64_dtb_build(struct pk_plan *plan,
			 const struct pk_aarch64_tree *tree, void **fdt);
/*
 * Read, inflate and place every --module at or above min, as verified
 * segments; out has room for opts->module_count entries.
 */
int pk_aarch64_load_modules(struct pk_plan *plan, uint64_t min,
			    struct pk_aarch64_module *out);
/* ... then placed at or above min, as a verified segment (fdt passes to
 * the plan); its address in *address. */
int pk_aarch64_dtb_place(struct pk_plan *plan, void *fdt, uint64_t min,
			 uint64_t *address);


/* The crash path's aarch64 part (crash.c). */
extern const struct pk_crash_arch pk_aarch64_crash_arch;

#endif /* PURGKIT_LOADER_AARCH64_H */
