/* SPDX-License-Identifier: MIT */
/*
 * x86_64 memcpy: `rep movsb`.  With ERMS (every x86_64 CPU since Ivy
 * Bridge and Zen) the microcode moves whole cache lines, so this one
 * instruction is as fast as an unrolled loop and uses no SSE.  The
 * direction flag is clear: the ABI guarantees it at every call.
 */
#include <purgkit/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(n)
			 :
			 : "memory");
	return dst;
}
