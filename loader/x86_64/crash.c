/* SPDX-License-Identifier: MIT */
/*
 * x86_64's part of the crash path (loader/crash.c), its struct
 * pk_crash_arch: the reservation from /proc/iomem, below 4 GiB, no backup
 * region, and the e820 map the capture kernel boots with.  That map is the
 * one the kernel's own kexec_file path gives (arch/x86/kernel/crash.c,
 * crash_setup_memmap_entries):
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
 *
 * Where the running kernel maps memory, for the dump's p_vaddr, comes from
 * /proc/kcore (pk_crash_read_kcore): the direct map below
 * __START_KERNEL_map, the image at and above it.
 */
#include <stdio.h>
#include <string.h>

#include "crash.h"
#include "x86_64/x86_64.h"

#define PK_LOW_MEMORY_END (1ull << 20)

static int x86_64_crash_capture_memmap(struct pk_plan *plan)
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

/*
 * The x86_64 runtime runs below 4 GiB (its 32- and 16-bit hand-offs run
 * with paging off), and kexec_load puts nothing outside crashk_res: a
 * reservation wholly above 4 GiB cannot hold it.
 */
static int x86_64_crash_check_reservation(const struct pk_plan *plan,
					  const struct pk_crash *crash)
{
	const struct pk_mem_range *r = &crash->reservations[crash->placement];

	if (r->start < PK_X86_4G)
		return 0;
	return pk_error("crash reservation 0x%llx-0x%llx (%s) lies above "
			"4 GiB (crashkernel=...,high); the trampoline "
			"runs below 4 GiB: reserve with crashkernel="
			"SIZE, which the kernel places below 4 GiB",
			HEX(r->start), HEX(r->end - 1),
			crash->reservation_source);
}

const struct pk_crash_arch pk_x86_64_crash_arch = {
	.reservation_hint = "256M",
	.read_reservation = pk_crash_read_iomem,
	.read_vaddrs = pk_crash_read_kcore,
	.reserved_is_ram = false,
	.check_reservation = x86_64_crash_check_reservation,
	.capture_memmap = x86_64_crash_capture_memmap,
};
