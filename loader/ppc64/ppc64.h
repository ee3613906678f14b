/* SPDX-License-Identifier: MIT */
/*
 * What the ppc64 payload types share: the running system's memory map
 * from its device tree, the device tree handed to the next kernel, and
 * the limits real mode imposes.
 */
#ifndef PURGKIT_LOADER_PPC64_H
#define PURGKIT_LOADER_PPC64_H

#include "plan.h"

/* The live device tree of the running kernel. */
#define PK_PPC64_PROC_DT "/proc/device-tree"

/*
 * The memory map directive (and system value) for the top of the real
 * mode area: the trampoline runs with translation off, and under a
 * hypervisor only the memory node at 0 (the RMA) is reachable like that.
 */
#define PK_PPC64_RMA_DIRECTIVE "real-mode-limit"

/* A device-tree number of `cells` (1 or 2) 32-bit big-endian cells. */
static inline uint64_t pk_ppc64_cells(const uint8_t *p, unsigned int cells)
{
	return pk_load_uint(p, (int)cells * 4, true);
}

/*
 * A device-tree property of the running kernel's (path under
 * PK_PPC64_PROC_DT) read as one number: 1 when it is absent (or empty);
 * else 0 with *size its length in bytes and, when that is 4 or 8 (one or
 * two cells), *value the number.
 */
int pk_ppc64_dt_number(const char *path, uint64_t *value, size_t *size);

/*
 * Dynamic reconfiguration memory (loader/ppc64/drmem.c): LMBs of
 * ibm,lmb-size bytes listed in ibm,dynamic-memory (v1) or
 * ibm,dynamic-memory-v2.  The flags are Linux's DRCONF_MEM_ASSIGNED and
 * DRCONF_MEM_RESERVED (arch/powerpc/include/asm/drmem.h).
 */
#define PK_PPC64_DR_NODE "/ibm,dynamic-reconfiguration-memory"

#define PK_PPC64_DRCONF_ASSIGNED 0x00000008u
#define PK_PPC64_DRCONF_RESERVED 0x00000080u
/* 2^20 LMBs: 256 TiB of 256 MiB LMBs; bounds what a bad tree can cost. */
#define PK_PPC64_LMB_MAX (1u << 20)

/* count consecutive LMBs from base, with the same flags (a v1 entry is
 * a run of one, a v2 set a run of its length). */
struct pk_ppc64_lmb_run {
	uint64_t base;
	uint32_t count;
	uint32_t flags;
};

struct pk_ppc64_drmem {
	uint64_t lmb_size;		/* 0 when there is no DR memory */
	uint64_t lmb_count;		/* every LMB, whatever its flags */
	size_t run_count;
	struct pk_ppc64_lmb_run *runs;	/* in the property's order */
};

/* The raw property values; a NULL value is an absent property. */
struct pk_ppc64_drmem_props {
	const uint8_t *lmb_size;
	size_t lmb_size_len;
	const uint8_t *v1;
	size_t v1_len;
	const uint8_t *v2;
	size_t v2_len;
};

/*
 * Parse them (ac and sc: the root's #address-cells and #size-cells), v1
 * first as Linux does.  No dynamic memory property: an empty result, 0.
 * A malformed one (wrong length, lmb-size 0 or not a power of two, a
 * count that disagrees with the length, a set wrapping the address space,
 * more than PK_PPC64_LMB_MAX LMBs): one pk_error naming where (the tree's
 * path or file) and the property.
 */
int pk_ppc64_drmem_parse(const char *where, unsigned int ac, unsigned int sc,
			 const struct pk_ppc64_drmem_props *props,
			 struct pk_ppc64_drmem *drmem);
/* The same from a flattened tree's PK_PPC64_DR_NODE (none: empty). */
int pk_ppc64_drmem_from_fdt(const void *fdt, const char *where,
			    struct pk_ppc64_drmem *drmem);
void pk_ppc64_drmem_free(struct pk_ppc64_drmem *drmem);
/* Is an LMB with these flags the partition's RAM? */
bool pk_ppc64_lmb_is_ram(uint32_t flags);

/* Top of the real-mode area for this plan, or 0 when unlimited. */
uint64_t pk_ppc64_rma_top(const struct pk_plan *plan);

/* The running system's memory map: device-tree memory nodes, dynamic
 * memory and reserved ranges, the kernel's end (the arch row's reader). */
int pk_ppc64_system_memmap(struct pk_memmap *map);

/*
 * The crash path's ppc64 part (loader/ppc64/crash.c), for the arch rows:
 * the reservation from the device tree, the real-mode area, the backup of
 * the first bytes, PAGE_OFFSET as the direct map.
 */
extern const struct pk_crash_arch pk_ppc64_crash_arch;

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
