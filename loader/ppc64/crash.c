/* SPDX-License-Identifier: MIT */
/*
 * ppc64's part of the crash path (loader/crash.c), its struct
 * pk_crash_arch:
 *
 *   - the reservation is read from the device tree
 *     (/proc/device-tree/chosen/linux,crashkernel-base and -size);
 *   - it must lie in the real-mode area: the trampoline and the capture
 *     kernel start with translation off;
 *   - a backup region of PK_PPC64_CRASH_BACKUP_SIZE bytes is set aside in
 *     it: the capture kernel copies its exception vectors to real address
 *     0, so the trampoline copies the old kernel's first bytes there
 *     first, and the header's PT_LOAD for them has the backup's address
 *     as p_offset;
 *   - the memory map's reserved ranges (RTAS, the flattened tree's reserve
 *     map) are RAM of the memory nodes, and belong in the dump;
 *   - p_vaddr is PAGE_OFFSET plus the physical address (the image lies in
 *     that map, so there is no PT_LOAD of its own for it).
 *
 * The device tree that confines the capture kernel is written by the
 * "linux" type (loader/ppc64/linux.c, pk_ppc64_dt_crash).
 */
#include <stdio.h>

#include <purgkit/arch/ppc64/lowmem.h>

#include "crash.h"
#include "ppc64/ppc64.h"

/* The device tree's crash reservation (big-endian cells). */
#define PK_PPC64_CRASH_BASE PK_PPC64_PROC_DT "/chosen/linux,crashkernel-base"
#define PK_PPC64_CRASH_SIZE PK_PPC64_PROC_DT "/chosen/linux,crashkernel-size"

/* Book3S and Book3E 64-bit: the linear map of all memory starts here. */
#define PK_PPC64_PAGE_OFFSET 0xc000000000000000ull

/* One 4- or 8-byte device-tree number; 1 when absent. */
static int ppc64_crash_dt_number(const char *path, uint64_t *value)
{
	size_t size;

	if (pk_ppc64_dt_number(path, value, &size))
		return 1;
	if (size != 4 && size != 8)
		return pk_error("%s: %zu bytes, not a 4- or 8-byte number",
				path, size);
	return 0;
}

/* The reservation the running kernel wrote into its tree. */
static int ppc64_crash_read_reservation(struct pk_crash *crash,
					const char *hint)
{
	uint64_t base, size;
	int rc = ppc64_crash_dt_number(PK_PPC64_CRASH_BASE, &base);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		rc = ppc64_crash_dt_number(PK_PPC64_CRASH_SIZE, &size);
		if (rc > 0)
			return pk_error("%s: missing, while %s is there",
					PK_PPC64_CRASH_SIZE,
					PK_PPC64_CRASH_BASE);
		if (rc < 0 || (size && pk_crash_add_reservation(
						   crash, base, base + size,
						   PK_PPC64_CRASH_BASE)))
			return -1;
	}
	snprintf(crash->reservation_source, sizeof(crash->reservation_source),
		 "%s", PK_PPC64_CRASH_BASE);
	if (!crash->reservation_count)
		return pk_error("no crash reservation: the device tree "
				"has no %s; boot this kernel with "
				"crashkernel=%s on its command line",
				PK_PPC64_CRASH_BASE, hint);
	return 0;
}

/*
 * The trampoline and the capture kernel start with translation off, so
 * the reservation must lie in the real-mode area (the running kernel puts
 * it there unless told crashkernel=SIZE@BASE elsewhere).
 */
static int ppc64_crash_check_reservation(const struct pk_plan *plan,
					 const struct pk_crash *crash)
{
	const struct pk_mem_range *r = &crash->reservations[crash->placement];
	uint64_t limit = pk_ppc64_rma_top(plan);	/* the system's map */

	if (!limit || r->end <= limit)
		return 0;
	return pk_error("crash reservation 0x%llx-0x%llx (%s) ends above the "
			"real-mode limit 0x%llx, where the trampoline and the "
			"capture kernel start with translation off",
			HEX(r->start), HEX(r->end - 1),
			crash->reservation_source, HEX(limit));
}

const struct pk_crash_arch pk_ppc64_crash_arch = {
	.reservation_hint = "512M",
	.read_reservation = ppc64_crash_read_reservation,
	/* Not randomized: PAGE_OFFSET, where the kernel's image lies too. */
	.direct_map = PK_PPC64_PAGE_OFFSET,
	.direct_map_source = "ppc64's PAGE_OFFSET",
	.reserved_is_ram = true,
	.check_reservation = ppc64_crash_check_reservation,
	.backup_size = PK_PPC64_CRASH_BACKUP_SIZE,
};
