/* SPDX-License-Identifier: MIT */
/*
 * The console backends of a family that has none of its own: only the
 * memory log (console_patch.c).  A family with backends replaces this file
 * with sdk/lib/<arch>/console_arch.c.
 */
#include "console_impl.h"

void pk_arch_console_init_from_patch(void)
{
}
