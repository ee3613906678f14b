/* SPDX-License-Identifier: MIT */
/* The aarch64 loader's own parts, shared by its files. */
#ifndef PURGKIT_LOADER_AARCH64_H
#define PURGKIT_LOADER_AARCH64_H

#include "plan.h"

/*
 * The running system's memory map from /proc/iomem: each top-level
 * "System RAM" range usable, less the ranges nested in it that the
 * kernel marks "reserved" (firmware, the device tree, no-map regions),
 * which become reserved; every other top-level range is not RAM.
 */
int pk_aarch64_system_memmap(struct pk_memmap *map);

/*
 * The payload's device tree (dtb.c): --dtb, else the running kernel's,
 * with /chosen's bootargs = cmdline, the initrd (when initrd_size is not
 * 0), fresh seeds and, under -p, the crash properties; packed, at most
 * 2 MiB.  Sets the plan's found console from /chosen/stdout-path.
 * or_else (or NULL): the other way out the error for no tree at all
 * suggests besides --dtb.
 */
int pk_aarch64_dtb_build(struct pk_plan *plan, const char *cmdline,
			 uint64_t initrd, uint64_t initrd_size,
			 const char *or_else, void **fdt);
/* ... then placed at or above min, as a verified segment (fdt passes to
 * the plan); its address in *address. */
int pk_aarch64_dtb_place(struct pk_plan *plan, void *fdt, uint64_t min,
			 uint64_t *address);

/* The crash path's aarch64 part (crash.c). */
extern const struct pk_crash_arch pk_aarch64_crash_arch;

#endif /* PURGKIT_LOADER_AARCH64_H */
