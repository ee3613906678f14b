/* SPDX-License-Identifier: MIT */
/*
 * The ready trampolines' patchable data: the contract between each
 * trampoline in trampolines/<arch>/ and the loader that fills it in.
 * Sizes are exact (the relocator checks them); values are in the
 * target's byte order.  Every trampoline also has the runtime's symbols
 * (PK_RUNTIME_PATCH_SYMBOLS in purgkit/patch.h: console, verification).
 *
 * Each architecture lists its trampolines' symbols in its own header,
 * purgkit/arch/<arch>/trampolines.h, as X(name, element type, array
 * bound, trampolines that define it as "ARCH/NAME ..."): a trampoline
 * includes its architecture's header and defines its symbols with
 * PK_PATCH_DEFINE(name), the loader writes them with PK_PLAN_PATCH(_INT)
 * and values of type pk_patch_type_<name>, and the build checks that each
 * built trampoline has exactly the symbols listed for it, at these sizes
 * (sdk/gen/contract-check.c; build/host/contract.json for the tests).
 *
 * This header combines the lists for code that serves every architecture
 * (the loader, the contract's generators): one row per architecture
 * below.  A symbol two architectures share (pk_linux_entry) is in both
 * lists; it must have one type, or the repeated typedef fails to compile.
 */
#ifndef PURGKIT_TRAMPOLINES_H
#define PURGKIT_TRAMPOLINES_H

#include <purgkit/arch/x86_64/trampolines.h>
#include <purgkit/arch/ppc64/trampolines.h>
#include <purgkit/arch/aarch64/trampolines.h>
#include <purgkit/arch/riscv64/trampolines.h>

#define PK_TRAMPOLINE_PATCH_SYMBOLS(X)					\
	PK_X86_64_TRAMPOLINE_SYMBOLS(X)					\
	PK_PPC64_TRAMPOLINE_SYMBOLS(X)					\
	PK_AARCH64_TRAMPOLINE_SYMBOLS(X)					\
	PK_RISCV64_TRAMPOLINE_SYMBOLS(X)

#endif /* PURGKIT_TRAMPOLINES_H */
