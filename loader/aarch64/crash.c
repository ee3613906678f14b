/* SPDX-License-Identifier: MIT */
/*
 * aarch64's part of the crash path (loader/crash.c), its struct
 * pk_crash_arch, as kexec-tools' kexec/arch/arm64/crashdump-arm64.c
 * answers the same questions:
 *
 *   - the reservation is /proc/iomem's "Crash kernel" ranges (the
 *     crashkernel= one, where segments go, and a ,low one beside it);
 *   - the ranges /proc/iomem nests in System RAM as "reserved" are RAM,
 *     and belong in the dump;
 *   - p_vaddr from /proc/kcore (pk_crash_read_kcore): the linear map,
 *     which moves with KASLR, below PAGE_END, and the image above it, in
 *     the vmalloc area (VMCOREINFO's kimage_voffset says the same).
 *
 * The device tree that confines the capture kernel (linux,elfcorehdr and
 * linux,usable-memory-range in /chosen) is written by the "linux" type
 * (loader/aarch64/linux.c).
 */
#include "crash.h"
#include "aarch64/aarch64.h"

const struct pk_crash_arch pk_aarch64_crash_arch = {
	.reservation_hint = "256M",
	.read_reservation = pk_crash_read_iomem,
	.read_vaddrs = pk_crash_read_kcore,
	.reserved_is_ram = true,
};
