/* SPDX-License-Identifier: MIT */
/*
 * x86_64's part of the crash path (loader/crash.c): the e820 map the
 * capture kernel boots with.  It is the map the kernel's own kexec_file
 * path gives (arch/x86/kernel/crash.c, crash_setup_memmap_entries):
 *
 *   - RAM below 1 MiB, as the running kernel's map has it.  The running
 *     kernel keeps its data out of the first 1 MiB when it was booted with
 *     crashkernel= (Linux 5.8 and later reserve it for that reason), so
 *     the capture kernel may use it and nothing of the dump is lost there:
 *     no backup of low memory is made (kexec-tools' older "backup region"
 *     is for kernels that did not reserve it);
 *   - every crash reservation as RAM, less the ELF core header, which is
 *     left out of the map so the capture kernel never allocates over it;
 *   - every range that is not RAM (ACPI tables and NVS, reserved, ...)
 *     as it is, so the capture kernel finds its firmware tables.
 *
 * Everything else (the old kernel's RAM) is absent: the capture kernel
 * reads it only through /proc/vmcore.
 */
#include <stdio.h>

#include "loader.h"

#define PK_LOW_MEMORY_END (1ull << 20)

int pk_x86_64_crash_capture_memmap(struct pk_plan *plan);

int pk_x86_64_crash_capture_memmap(struct pk_plan *plan)
{
	struct pk_crash *crash = plan->crash;
	const struct pk_memmap *system = &crash->system;
	struct pk_memmap *capture = &crash->capture;
	uint64_t header_start = crash->header_address;
	uint64_t header_end = header_start + pk_page_up(plan,
							crash->header_size);

	snprintf(capture->source, sizeof(capture->source),
		 "capture kernel's e820 (from %.90s)", system->source);
	for (size_t i = 0; i < system->count; i++) {
		const struct pk_mem_range *r = &system->ranges[i];

		if (r->type != PK_MEM_RAM) {
			if (pk_memmap_add(capture, r->start, r->end, r->type))
				return -1;
		} else if (r->start < PK_LOW_MEMORY_END &&
			   pk_memmap_add(capture, r->start,
					 r->end < PK_LOW_MEMORY_END ?
						 r->end : PK_LOW_MEMORY_END,
					 PK_MEM_RAM)) {
			return -1;
		}
	}
	for (size_t i = 0; i < crash->reservation_count; i++) {
		const struct pk_mem_range *r = &crash->reservations[i];
		uint64_t start = r->start, end = r->end;

		/* The first 1 MiB is in the map already. */
		if (start < PK_LOW_MEMORY_END)
			start = PK_LOW_MEMORY_END;
		if (start >= end)
			continue;
		if (header_start >= start && header_end <= end) {
			if (header_start > start &&
			    pk_memmap_add(capture, start, header_start,
					  PK_MEM_RAM))
				return -1;
			start = header_end;
		}
		if (start < end && pk_memmap_add(capture, start, end,
						 PK_MEM_RAM))
			return -1;
	}
	return 0;
}
