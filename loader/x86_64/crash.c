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
 *
 * And where the running kernel maps memory, for the dump's p_vaddr
 * (pk_x86_64_crash_read_kcore): /proc/kcore, the running kernel's memory
 * as an ELF core file, has one PT_LOAD per RAM range at its direct-map
 * address (p_paddr its physical address), one for the image from _text to
 * _end at its kernel-map address (p_paddr __pa_symbol(_text)), and others
 * (vmalloc, modules, vsyscall) with p_paddr -1 in current kernels.
 * kexec-tools reads the same headers for the same facts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "x86_64/x86_64.h"

#define PK_LOW_MEMORY_END (1ull << 20)

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

/* x86_64's __START_KERNEL_map: the image is mapped at and above it, the
 * direct map (page_offset_base) always below it, and above the start of
 * the kernel's half with 5-level paging (la57, 4-level's is higher). */
#define PK_X86_64_KERNEL_MAP 0xffffffff80000000ull
#define PK_X86_64_KERNEL_HALF 0xff00000000000000ull
/* /proc/kcore has a few headers per RAM range and a handful more. */
#define PK_KCORE_MAX_PHDRS 4096

/*
 * The direct map's base and the image's mapping from path's program
 * headers.  Missing or unreadable (not root, kernel lockdown, no
 * CONFIG_PROC_KCORE), or not what is expected: nothing is set, and the
 * header keeps p_vaddr 0 (said under -d when it is written).
 */
void pk_x86_64_crash_read_kcore(const struct pk_plan *plan,
				struct pk_crash *crash, const char *path)
{
	const struct pk_arch *arch = plan->arch;
	uint8_t eh[64], ph[56];
	uint64_t phoff, direct_map = 0, text = 0, text_paddr = 0;
	uint64_t text_size = 0;
	unsigned int phnum;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		pk_debug("crash: %s: %s", path, strerror(errno));
		return;
	}
	if (pread(fd, eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh, "\177ELF", 4) || eh[4] != 2 ||
	    pk_get_uint(arch, eh + 54, 2) != sizeof(ph)) {
		pk_debug("crash: %s: not a 64-bit ELF core file", path);
		close(fd);
		return;
	}
	phoff = pk_get_uint(arch, eh + 32, 8);
	phnum = pk_get_uint(arch, eh + 56, 2);
	for (unsigned int i = 0; i < phnum && i < PK_KCORE_MAX_PHDRS; i++) {
		uint64_t vaddr, paddr, size;

		if (pread(fd, ph, sizeof(ph), phoff + i * sizeof(ph)) !=
		    sizeof(ph))
			break;
		vaddr = pk_get_uint(arch, ph + 16, 8);
		paddr = pk_get_uint(arch, ph + 24, 8);
		size = pk_get_uint(arch, ph + 40, 8);
		if (pk_get_uint(arch, ph, 4) != 1 || paddr == ~0ull ||
		    vaddr < PK_X86_64_KERNEL_HALF || vaddr < paddr)
			continue;
		if (vaddr < PK_X86_64_KERNEL_MAP) {
			/* RAM: the first one is the base (all share it). */
			if (!direct_map)
				direct_map = vaddr - paddr;
		} else if (!text || vaddr < text) {
			/* The lowest above the kernel map is the image
			 * (modules and the vsyscall page lie higher). */
			text = vaddr;
			text_paddr = paddr;
			text_size = size;
		}
	}
	close(fd);
	if (!direct_map || !text_size) {
		pk_debug("crash: %s has no %s PT_LOAD", path,
			 direct_map ? "kernel image" : "direct-map");
		return;
	}
	crash->direct_map = direct_map;
	crash->kernel_vaddr = text;
	crash->kernel_paddr = text_paddr;
	crash->kernel_size = text_size;
	snprintf(crash->vaddr_source, sizeof(crash->vaddr_source), "%s",
		 path);
}
