/* SPDX-License-Identifier: MIT */
/*
 * Many small globals and one big one: on ppc64 every access is TOC
 * relative, and with enough of them the TOC entries spread beyond what
 * a 16-bit offset reaches without the @ha part.
 */
#include <stdint.h>

#define V(n) uint64_t tv##n = n;
#define V10(n) V(n##0) V(n##1) V(n##2) V(n##3) V(n##4) V(n##5) V(n##6) \
	V(n##7) V(n##8) V(n##9)
V10(1) V10(2) V10(3) V10(4) V10(5) V10(6) V10(7) V10(8) V10(9)

uint8_t big_buffer[40000] = { 1 };
uint8_t big_zero[100000];

#define R(n) + tv##n
#define R10(n) R(n##0) R(n##1) R(n##2) R(n##3) R(n##4) R(n##5) R(n##6) \
	R(n##7) R(n##8) R(n##9)

uint64_t toc_sum(int i)
{
	return 0 R10(1) R10(2) R10(3) R10(4) R10(5) R10(6) R10(7) R10(8)
		R10(9) + big_buffer[i & 1023] + big_zero[i & 4095];
}
