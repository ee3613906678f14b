/* SPDX-License-Identifier: MIT */
/*
 * The console backend list.  Backends are linked through their own
 * struct pk_console, so registering one needs no memory of ours.
 */
#include <purgkit/console.h>

static struct pk_console *console_first;

void pk_console_register(struct pk_console *console)
{
	struct pk_console **link = &console_first;

	/* Append, so output reaches backends in registration order; a
	 * backend already on the list stays where it is. */
	for (; *link; link = &(*link)->next) {
		if (*link == console)
			return;
	}
	console->next = NULL;
	*link = console;
}

void pk_console_putc(char c)
{
	struct pk_console *console;

	for (console = console_first; console; console = console->next)
		console->putc(console, c);
}

void pk_console_write(const char *s, size_t len)
{
	struct pk_console *console;
	size_t i;

	for (console = console_first; console; console = console->next) {
		for (i = 0; i < len; i++)
			console->putc(console, s[i]);
	}
}

void pk_print_hex(const uint8_t *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char pair[2];
	size_t i;

	for (i = 0; i < len; i++) {
		pair[0] = digits[bytes[i] >> 4];
		pair[1] = digits[bytes[i] & 15];
		pk_console_write(pair, 2);
	}
}
