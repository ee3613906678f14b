/* SPDX-License-Identifier: MIT */
/*
 * Internal to the console module: the one formatter behind pk_vsnprintf
 * and pk_vprintf.  It hands every output byte to emit, in order, and
 * returns how many it produced.
 */
#ifndef PURGKIT_LIB_CONSOLE_IMPL_H
#define PURGKIT_LIB_CONSOLE_IMPL_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*pk_format_emit)(void *cookie, char c);

int pk_vformat(pk_format_emit emit, void *cookie, const char *fmt,
	       va_list ap);

#endif /* PURGKIT_LIB_CONSOLE_IMPL_H */
