/* SPDX-License-Identifier: MIT */
/* Hand-offs to a payload: the header for the architecture being built. */
#ifndef PURGKIT_HANDOFF_H
#define PURGKIT_HANDOFF_H

#if defined(__x86_64__)
#include <purgkit/arch/x86_64/handoff.h>
#elif defined(__powerpc64__)
#include <purgkit/arch/ppc64/handoff.h>
#else
#error "purgkit: unsupported architecture"
#endif

#endif /* PURGKIT_HANDOFF_H */
