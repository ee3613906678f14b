/* SPDX-License-Identifier: MIT */
/*
 * ppc64 memcpy: a doubleword at a time when source and destination are
 * equally aligned (after a few bytes to reach the boundary), bytes
 * otherwise.  Integer registers only: FP and vector units may be off.
 * The attribute keeps GCC from turning the loops into memcpy calls.
 */
#include <stdint.h>
#include <purgkit/string.h>

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n && ((uintptr_t)d & 7)) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			uint64_t a = ((const uint64_t *)s)[0];
			uint64_t b = ((const uint64_t *)s)[1];
			uint64_t c = ((const uint64_t *)s)[2];
			uint64_t e = ((const uint64_t *)s)[3];

			((uint64_t *)d)[0] = a;
			((uint64_t *)d)[1] = b;
			((uint64_t *)d)[2] = c;
			((uint64_t *)d)[3] = e;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
