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

/*
 * -p: confine the capture kernel to the crash reservation (memory nodes'
 * linux,usable-memory, reserve-map entries for the old kernel's memory,
 * the backup and the ELF core header).  Before pk_ppc64_dt_prepare.
 */
int pk_ppc64_dt_crash(void *fdt, struct pk_crash *crash);

/* OPAL's base and entry from /ibm,opal, or 0s when there is no OPAL. */
void pk_ppc64_dt_opal(const void *fdt, uint64_t *base, uint64_t *entry);

/*
 * The timebase frequency, in Hz, of the tree's first cpu node
 * (timebase-frequency, one or two cells); 0 when the tree does not say.
 */
uint64_t pk_ppc64_dt_timebase_hz(const void *fdt);

/*
 * Patch pk_timebase_hz, the rate of the clock the trampoline reports its
 * time with: from fdt when the caller has the tree, else from the tree
 * pk_ppc64_dt_read would give when there is one to read (--dtb, or the
 * running machine's); left 0, the runtime's 512 MHz, when none says.
 */
int pk_ppc64_patch_timebase(struct pk_plan *plan, const void *fdt);

/* Size to reserve for the final blob (totalsize, packed). */
uint64_t pk_ppc64_dt_size(const void *fdt);

/*
 * Segments below the running kernel's end (loader/ppc64/place.c): kexec
 * will not load them there, so they are staged above it and the
 * trampoline copies them home (pk_ppc64_place_table).  A payload type
 * calls, in this order:
 *   pk_ppc64_fixed_open   before adding its segments: they may then lie
 *                         anywhere in usable RAM;
 *   pk_ppc64_fixed_stage  after: moves each one below the kernel's end
 *                         to a staging place (struct pk_segment's staged,
 *                         final_dest, final_memsz) above every final
 *                         range; place the trampoline at or above
 *                         fixed.above too;
 *   pk_ppc64_fixed_patch  once the trampoline is placed: fills its table,
 *                         or refuses a trampoline without one;
 *   pk_ppc64_fixed_check  from finish(): no final range may overlap a
 *                         segment or the memory log, or leave real mode.
 */
struct pk_ppc64_fixed {
	uint64_t kernel_end;	/* the running kernel's */
	size_t first;		/* the payload's first segment */
	size_t count;		/* how many were staged */
	uint64_t above;		/* end of the highest final range */
};

void pk_ppc64_fixed_open(struct pk_plan *plan, struct pk_ppc64_fixed *fixed);
int pk_ppc64_fixed_stage(struct pk_plan *plan, struct pk_ppc64_fixed *fixed);
int pk_ppc64_fixed_patch(struct pk_plan *plan,
			 const struct pk_ppc64_fixed *fixed);
int pk_ppc64_fixed_check(struct pk_plan *plan);

#endif /* PURGKIT_LOADER_PPC64_H */
