/* SPDX-License-Identifier: MIT */
/* Hand-offs to a payload: the header for the architecture being built. */
#ifndef PURGKIT_HANDOFF_H
#define PURGKIT_HANDOFF_H

#include <purgkit/arch.h>
#include PK_ARCH_HEADER(handoff.h)

#endif /* PURGKIT_HANDOFF_H */
