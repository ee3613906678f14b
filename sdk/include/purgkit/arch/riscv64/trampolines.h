/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 trampolines' patchable data (trampolines/riscv64/): the
 * contract between each of them and the loader that fills it in
 * (loader/riscv64/).  The list is X(name, element type, array bound,
 * trampolines that define it as "riscv64/NAME ..."), as described in
 * purgkit/trampolines.h.
 *
 * "linux": the RISC-V boot protocol (Documentation/arch/riscv/boot.rst):
 *	a0 = the hart id, a1 = pk_linux_dtb, satp = 0, pc = pk_linux_entry.
 * "raw": registers from pk_riscv64_regs; while pk_riscv64_boot_args is 1
 *	(the default) a0 and a1 are the hart id and the device tree kexec
 *	handed over, the state every OpenSBI next stage expects.
 */
#ifndef PURGKIT_ARCH_RISCV64_TRAMPOLINES_H
#define PURGKIT_ARCH_RISCV64_TRAMPOLINES_H

#include <purgkit/patch.h>
#include <purgkit/regs.h>

#define PK_RISCV64_TRAMPOLINE_SYMBOLS(X)				\
	/* the kernel's address; x86_64 and ppc64 "linux" have it too, of \
	 * the same type */						\
	X(pk_linux_entry,	uint64_t,	, "riscv64/linux")	\
	X(pk_linux_dtb,		uint64_t,	, "riscv64/linux")	\
	X(pk_riscv64_regs,	struct pk_riscv64_regs, , "riscv64/raw") \
	/* 1 (default) = a0/a1 are the hart id and device tree at run	\
	 * time, overriding pk_riscv64_regs.a[0..1]; 0 = as patched */	\
	X(pk_riscv64_boot_args,	uint32_t,	, "riscv64/raw")

PK_RISCV64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_TYPEDEF)
#ifndef PK_HOST
PK_RISCV64_TRAMPOLINE_SYMBOLS(PK_TRAMPOLINE_EXTERN)
#endif

#endif /* PURGKIT_ARCH_RISCV64_TRAMPOLINES_H */
