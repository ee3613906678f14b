/* SPDX-License-Identifier: MIT */
/* x86_64 memset: `rep stosb` (see memcpy.c for why). */
#include <purgkit/string.h>

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(n)
			 : "a"(c)
			 : "memory");
	return dst;
}
