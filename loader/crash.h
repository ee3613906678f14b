/* SPDX-License-Identifier: MIT */
/*
 * The crash path (-p): a capture kernel, with the ELF core header its
 * /proc/vmcore is made from.  The generic part (loader/crash.c) reads the
 * inputs, lays out the dump and writes the header; an architecture's part
 * is its struct pk_crash_arch (arch.h), in loader/<arch>/crash.c.
 */
#ifndef PURGKIT_LOADER_CRASH_H
#define PURGKIT_LOADER_CRASH_H

#include "plan.h"

/* At most this many "Crash kernel" ranges (crashkernel= and ,low). */
#define PK_CRASH_MAX_RESERVATIONS 4

/* One CPU's crash notes buffer (/sys/devices/system/cpu/cpuN/crash_notes). */
struct pk_crash_note {
	uint32_t cpu;
	uint64_t address, size;
};

struct pk_crash {
	/* Every "Crash kernel" range, sorted; segments go in the one at
	 * placement (the kernel's crashk_res; the other is crashk_low_res). */
	struct pk_mem_range reservations[PK_CRASH_MAX_RESERVATIONS];
	size_t reservation_count, placement;
	char reservation_source[160];
	/* The running kernel's memory map, as read (plan->memmap then holds
	 * only the placement reservation). */
	struct pk_memmap system;
	/* What the capture kernel is told its memory is (filled by the
	 * architecture's capture_memmap hook, or by its payload type). */
	struct pk_memmap capture;
	struct pk_crash_note *notes;
	size_t note_count;
	uint64_t vmcoreinfo_address, vmcoreinfo_size;	/* size 0: none */
	/* Where the running kernel maps memory, for the PT_LOADs' p_vaddr
	 * (what a debugger reads the dump by): its direct map's base
	 * (randomized under KASLR on some architectures), and its image's
	 * mapping, _text to _end, at kernel_vaddr, physically at
	 * kernel_paddr.  0 (size 0) when not known: p_vaddr is then 0 and
	 * the header has no PT_LOAD for the image.  From the architecture's
	 * read_vaddrs hook or direct_map, or a --memmap file's "direct-map"
	 * and "kernel-image" lines. */
	uint64_t direct_map;
	uint64_t kernel_vaddr, kernel_paddr, kernel_size;
	char vaddr_source[160];
	/* The old kernel's RAM the dump shows: one PT_LOAD each. */
	struct pk_mem_range *loads;
	size_t load_count;
	uint64_t header_address, header_size;	/* the ELF core header */
	/* Where the trampoline copies the first backup_size bytes of memory
	 * (struct pk_crash_arch's backup_size; 0, 0 without a backup). */
	uint64_t backup_address, backup_size;
	/* The user's options with elfcorehdr= on the command line. */
	struct pk_options opts;
	char *command_line;
};

/*
 * Before the payload type's build(): read the reservation, the crash notes
 * and VMCOREINFO, confine plan->memmap to the reservation, place and write
 * the ELF core header, and put elfcorehdr= on the command line.
 */
int pk_crash_prepare(struct pk_plan *plan);
void pk_crash_free(struct pk_crash *crash);
/*
 * Add a "Crash kernel" range [start, end); where names the source in
 * errors.  For an architecture's read_reservation hook.
 */
int pk_crash_add_reservation(struct pk_crash *crash, uint64_t start,
			     uint64_t end, const char *where);
/*
 * A read_reservation hook for systems that list the reservation in
 * /proc/iomem ("Crash kernel" ranges).
 */
int pk_crash_read_iomem(struct pk_crash *crash, const char *hint);

/*
 * A read_vaddrs hook for kernels whose /proc/kcore maps the direct map
 * below the image (x86_64, arm64).
 */
void pk_crash_read_kcore(const struct pk_plan *plan, struct pk_crash *crash);

/*
 * A device-tree capture kernel's /chosen (aarch64, riscv64; the kernel's
 * drivers/of/fdt.c reads both): linux,elfcorehdr, where the ELF core
 * header is, and linux,usable-memory-range, the only memory it may use
 * (every reservation, the placement one first), in the root's cells.
 * 0 or -1 (pk_error set).
 */
int pk_crash_tree_chosen(void *fdt, const struct pk_crash *crash);
/*
 * A (start, size) pair in ac address and sc size cells (1 or 2 each),
 * big-endian, appended to prop at *len (which grows by its bytes); -1
 * (pk_error set) when a value does not fit its cells.
 */
int pk_crash_tree_put_range(uint8_t *prop, int *len, int ac, int sc,
			    uint64_t start, uint64_t size);

#endif /* PURGKIT_LOADER_CRASH_H */
