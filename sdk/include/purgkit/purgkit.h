/* SPDX-License-Identifier: MIT */
/* Everything a trampoline usually needs, in one include. */
#ifndef PURGKIT_PURGKIT_H
#define PURGKIT_PURGKIT_H

#include <purgkit/console.h>
#include <purgkit/cpu.h>
#include <purgkit/fdt.h>
#include <purgkit/handoff.h>
#include <purgkit/patch.h>
#include <purgkit/regs.h>
#include <purgkit/runtime.h>
#include <purgkit/sha256.h>
#include <purgkit/string.h>

#endif /* PURGKIT_PURGKIT_H */
