/* SPDX-License-Identifier: MIT */
/* Showing a finished plan: its text or JSON, and its segments' bytes. */
#ifndef PURGKIT_LOADER_OUTPUT_H
#define PURGKIT_LOADER_OUTPUT_H

#include "plan.h"

/* Show the plan: text for people, or JSON; -1 if stdout failed. */
int pk_plan_print(const struct pk_plan *plan, bool json);
/*
 * The gdb command that gives gdb the trampoline's symbols, lines and
 * types at the placed addresses (malloc'd):
 *   add-symbol-file FILE -s .text 0x... -s .rodata 0x... ...
 * every placed section of the .ro with its address (gdb relocates an
 * ET_REL's debug information itself).  FILE is the --purgatory path, or
 * NAME.ro for a built-in trampoline (build/<target>/trampolines/, or
 * PREFIX/lib/purgkit/<target>/trampolines/ installed).
 */
char *pk_plan_gdb_command(const struct pk_plan *plan);
/* Write each segment's bytes to DIR/segment-N.bin. */
int pk_plan_dump_segments(const struct pk_plan *plan, const char *dir);

#endif /* PURGKIT_LOADER_OUTPUT_H */
