/* SPDX-License-Identifier: MIT */
/*
 * pk_printf: format straight to the consoles, through a small buffer so
 * that each backend sees runs of bytes rather than one call per byte.
 */
#include <purgkit/console.h>
#include "console_impl.h"

struct line {
	char buf[128];
	size_t used;
};

static void line_emit(void *cookie, char c)
{
	struct line *l = cookie;

	l->buf[l->used++] = c;
	if (l->used == sizeof(l->buf) || c == '\n') {
		pk_console_write(l->buf, l->used);
		l->used = 0;
	}
}

int pk_vprintf(const char *fmt, va_list ap)
{
	struct line l;
	int n;

	l.used = 0;
	n = pk_vformat(line_emit, &l, fmt, ap);
	if (l.used)
		pk_console_write(l.buf, l.used);
	return n;
}

int pk_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pk_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
