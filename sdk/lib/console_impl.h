/* SPDX-License-Identifier: MIT */
/*
 * Internal to the console module: the one formatter behind pk_vsnprintf
 * and pk_vprintf, and the architecture's part of
 * pk_console_init_from_patch.
 */
#ifndef PURGKIT_LIB_CONSOLE_IMPL_H
#define PURGKIT_LIB_CONSOLE_IMPL_H

#include <stdarg.h>
#include <stddef.h>

/* Hands every output byte to emit, in order; returns how many. */
typedef void (*pk_format_emit)(void *cookie, char c);

int pk_vformat(pk_format_emit emit, void *cookie, const char *fmt,
	       va_list ap);

/*
 * Turn on this architecture's own console backends that pk_console_mask
 * asks for, with the patched settings (sdk/lib/<arch>/console_arch.c;
 * sdk/lib/console_arch.c, with none, for a family without).
 */
void pk_arch_console_init_from_patch(void);

#endif /* PURGKIT_LIB_CONSOLE_IMPL_H */
