/* SPDX-License-Identifier: MIT */
/*
 * riscv64's part of the crash path (loader/crash.c), its struct
 * pk_crash_arch (docs/contract-riscv64.md, section on kdump):
 *
 *   - the reservation is /proc/iomem's "Crash kernel" range, which
 *     crashkernel= makes (arch/riscv/kernel/setup.c lists it there);
 *   - the dump's RAM is System RAM less the device tree's reserved
 *     memory (riscv64's memory map, memmap.c): OpenSBI's region is
 *     PMP-protected, so a capture kernel reading it from S-mode would
 *     fault, and the other firmware ranges are not the kernel's either;
 *   - p_vaddr from /proc/kcore (pk_crash_read_kcore): the linear map at
 *     PAGE_OFFSET, below the kernel image's mapping at the top of the
 *     address space.
 *
 * The tree that confines the capture kernel (linux,elfcorehdr and
 * linux,usable-memory-range in /chosen, pk_crash_tree_chosen) is written
 * by the "linux" type (linux.c).
 */
#include "crash.h"
#include "riscv64/riscv64.h"

const struct pk_crash_arch pk_riscv64_crash_arch = {
	.reservation_hint = "256M",
	.read_reservation = pk_crash_read_iomem,
	.read_vaddrs = pk_crash_read_kcore,
	.reserved_is_ram = false,
};
