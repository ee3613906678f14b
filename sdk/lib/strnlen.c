/* SPDX-License-Identifier: MIT */
#include <purgkit/string.h>

/* Never reads s[max] or beyond: s may end at the edge of mapped memory. */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}
