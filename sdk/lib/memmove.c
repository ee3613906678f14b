/* SPDX-License-Identifier: MIT */
/*
 * memmove: copy forwards when the destination is below the source, and
 * backwards otherwise, so that every source byte is read before an
 * overlapping destination byte overwrites it.
 */
#include <stdint.h>
#include <purgkit/string.h>

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	/*
	 * Forwards is safe when d is below s or the ranges do not overlap
	 * (the unsigned difference is then at least n).  memcpy is not used
	 * here: its contract says nothing about overlap.
	 */
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}
