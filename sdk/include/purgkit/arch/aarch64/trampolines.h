/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 trampolines' patchable data (trampolines/aarch64/): the
 * contract between each of them and the loader that fills it in
 * (loader/aarch64/).  The list is X(name, element type, array bound,
 * trampolines that define it as "aarch64/NAME ..."), as described in
 * purgkit/trampolines.h, which combines every architecture's list for
 * host code; a trampoline includes only its own architecture's.
 *
 * "raw": x0..x7, SP, the entry and the exception level from
 *	pk_aarch64_regs (docs/contract-aarch64.md, "raw").
 * "linux": the arm64 Image protocol: x0 = pk_linux_dtb, x1..x3 = 0, the
 *	kernel at pk_linux_entry, at the exception level kexec entered at.
 */
#ifndef PURGKIT_ARCH_AARCH64_TRAMPOLINES_H
#define PURGKIT_ARCH_AARCH64_TRAMPOLINES_H

#include <purgkit/patch.h>
#include <purgkit/regs.h>

#define PK_AARCH64_TRAMPOLINE_SYMBOLS(X)				\
	X(pk_aarch64_regs,	struct pk_aarch64_regs, , "aarch64/raw") \
	/* the kernel's address and the device tree's; x86_64 and ppc64	\
	 * "linux" have them too, of the same types */			\
	X(pk_linux_entry,	uint64_t,	, "aarch64/linux")	\
	X(pk_linux_dtb,		uint64_t,	, "aarch64/linux")

PK_AARCH64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_TYPEDEF)
#ifndef PK_HOST
PK_AARCH64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_EXTERN)
#endif

#endif /* PURGKIT_ARCH_AARCH64_TRAMPOLINES_H */
