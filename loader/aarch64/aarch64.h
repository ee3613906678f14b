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

/* The crash path's aarch64 part (crash.c). */
extern const struct pk_crash_arch pk_aarch64_crash_arch;

#endif /* PURGKIT_LOADER_AARCH64_H */
