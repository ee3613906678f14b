/* SPDX-License-Identifier: MIT */
/*
 * Portable memcpy, a byte at a time.  Each architecture replaces it with a
 * faster one (sdk/lib/<arch>/memcpy.c); this one is the reference.
 *
 * The attribute stops GCC from recognising the loop as a memcpy and
 * compiling it into a call to memcpy itself.
 */
#include <purgkit/string.h>

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
