/* SPDX-License-Identifier: MIT */
/* Showing a finished plan: its text or JSON, and its segments' bytes. */
#ifndef PURGKIT_LOADER_OUTPUT_H
#define PURGKIT_LOADER_OUTPUT_H

#include "plan.h"

/* Show the plan: text for people, or JSON; -1 if stdout failed. */
int pk_plan_print(const struct pk_plan *plan, bool json);
/* Write each segment's bytes to DIR/segment-N.bin. */
int pk_plan_dump_segments(const struct pk_plan *plan, const char *dir);

#endif /* PURGKIT_LOADER_OUTPUT_H */
