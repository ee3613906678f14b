/* SPDX-License-Identifier: MIT */
/*
 * Portable memset, a byte at a time; the architectures replace it.  The
 * attribute keeps GCC from turning the loop into a call to memset.
 */
#include <purgkit/string.h>

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
