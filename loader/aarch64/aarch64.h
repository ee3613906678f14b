/* SPDX-License-Identifier: MIT */
/* The aarch64 loader's own parts, shared by its files. */
#ifndef PURGKIT_LOADER_AARCH64_H
#define PURGKIT_LOADER_AARCH64_H

#include "plan.h"

/* The crash path's aarch64 part (crash.c). */
extern const struct pk_crash_arch pk_aarch64_crash_arch;

#endif /* PURGKIT_LOADER_AARCH64_H */
