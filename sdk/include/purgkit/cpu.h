/* SPDX-License-Identifier: MIT */
/* CPU helpers: the header for the architecture being built. */
#ifndef PURGKIT_CPU_H
#define PURGKIT_CPU_H

#include <purgkit/arch.h>
#include PK_ARCH_HEADER(cpu.h)

#endif /* PURGKIT_CPU_H */
