/* SPDX-License-Identifier: MIT */
/*
 * Which architecture family is being built, and its headers.
 *
 * PK_ARCH is the family's folder name (sdk/include/purgkit/arch/<family>/,
 * sdk/lib/<family>/): the build passes it (-DPK_ARCH=<family>, from the
 * target's row, mk/targets/<target>.mk); a build of one's own that does
 * not is told here, from the compiler's own macros, one row per family.
 * PK_ARCH_HEADER(cpu.h) names <purgkit/arch/<family>/cpu.h> for #include.
 */
#ifndef PURGKIT_ARCH_H
#define PURGKIT_ARCH_H

#ifndef PK_ARCH
#if defined(__x86_64__)
#define PK_ARCH x86_64
#elif defined(__powerpc64__)
#define PK_ARCH ppc64
#elif defined(__aarch64__)
#define PK_ARCH aarch64
#elif defined(__riscv) && __riscv_xlen == 64
#define PK_ARCH riscv64
#else
#error "purgkit: unknown architecture: build with -DPK_ARCH=<family> (a folder of sdk/include/purgkit/arch/)"
#endif
#endif

#define PK_ARCH_STRING(x) #x
#define PK_ARCH_PATH(family, file) PK_ARCH_STRING(purgkit/arch/family/file)
#define PK_ARCH_HEADER(file) PK_ARCH_PATH(PK_ARCH, file)

#endif /* PURGKIT_ARCH_H */
