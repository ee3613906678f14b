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

/* The first line of a file, without its newline; -1 if unreadable. */
int pk_read_line(const char *path, char *buf, size_t size);
/* Does this process hold CAP_SYS_BOOT (/proc/self/status)? */
bool pk_have_cap_sys_boot(void);

#endif /* PURGKIT_LOADER_KEXEC_H */
