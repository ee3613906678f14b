/* SPDX-License-Identifier: MIT */
/* CPU helpers: the header for the architecture being built. */
#ifndef PURGKIT_CPU_H
#define PURGKIT_CPU_H

#if defined(__x86_64__)
#include <purgkit/arch/x86_64/cpu.h>
#elif defined(__powerpc64__)
#include <purgkit/arch/ppc64/cpu.h>
#else
#error "purgkit: unsupported architecture"
#endif

#endif /* PURGKIT_CPU_H */
