/* SPDX-License-Identifier: MIT */
/*
 * What the ppc64 payload types share: the running system's memory map
 * from its device tree, the device tree handed to the next kernel, and
 * the limits real mode imposes.
 */
#ifndef PURGKIT_LOADER_PPC64_H
#define PURGKIT_LOADER_PPC64_H

#include "loader.h"

/* The live device tree of the running kernel. */
#define PK_PPC64_PROC_DT "/proc/device-tree"

/*
 * The memory map directive (and system value) for the top of the real
 * mode area: the trampoline runs with translation off, and under a
 * hypervisor only the memory node at 0 (the RMA) is reachable like that.
 */
#define PK_PPC64_RMA_DIRECTIVE "real-mode-limit"

/* Top of the real-mode area for this plan, or 0 when unlimited. */
uint64_t pk_ppc64_rma_top(const struct pk_plan *plan);

/*
 * The device tree for the next kernel: --dtb FILE, or else the running
 * kernel's /proc/device-tree (with the properties that only describe the
 * old kernel's boot left out).  The blob has room to be edited.
 */
int pk_ppc64_dt_read(const struct pk_plan *plan, void **fdt);

/*
 * Edit it for the next kernel: /chosen bootargs, linux,initrd-start/end
 * (or none when initrd_size is 0), and reserve-map entries for the
 * initrd, RTAS, OPAL and /reserved-ranges.
 */
int pk_ppc64_dt_prepare(void *fdt, const char *cmdline, uint64_t initrd,
			uint64_t initrd_size);

/* OPAL's base and entry from /ibm,opal, or 0s when there is no OPAL. */
void pk_ppc64_dt_opal(const void *fdt, uint64_t *base, uint64_t *entry);

/* Size to reserve for the final blob (totalsize, packed). */
uint64_t pk_ppc64_dt_size(const void *fdt);

#endif /* PURGKIT_LOADER_PPC64_H */
