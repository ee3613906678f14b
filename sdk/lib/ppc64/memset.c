/* SPDX-License-Identifier: MIT */
/*
 * ppc64 memset: bytes up to a doubleword boundary, then doublewords,
 * then the tail.  The attribute keeps GCC from calling memset here.
 */
#include <stdint.h>
#include <purgkit/string.h>

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t pattern = (unsigned char)c * 0x0101010101010101ull;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = pattern;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
