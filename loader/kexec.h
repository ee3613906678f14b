/* SPDX-License-Identifier: MIT */
/* The kernel's side: kexec_load(2) of a finished plan, unload, reboot. */
#ifndef PURGKIT_LOADER_KEXEC_H
#define PURGKIT_LOADER_KEXEC_H

#include "plan.h"

int pk_kexec_load(const struct pk_plan *plan);
/* Drop the loaded image: the capture kernel when crash is set. */
int pk_kexec_unload(const struct pk_arch *arch, bool crash);
int pk_kexec_reboot(void);
/*
 * -S/--status: print whether a normal and a crash image are loaded;
 * *loaded says whether the one asked for (crash or normal) is.
 */
int pk_kexec_status(bool crash, bool *loaded);

#endif /* PURGKIT_LOADER_KEXEC_H */
