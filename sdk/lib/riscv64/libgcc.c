/* SPDX-License-Identifier: MIT */
/*
 * The libgcc helpers GCC calls for RV64IMAC where the base ISA has no
 * instruction (byte swaps without Zbb): a trampoline links no libgcc, as
 * ppc64's gets its register save/restore routines from savres.S.
 */
#include <stdint.h>

uint32_t __bswapsi2(uint32_t v);
uint64_t __bswapdi2(uint64_t v);

uint32_t __bswapsi2(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
		(v << 24);
}

uint64_t __bswapdi2(uint64_t v)
{
	return (uint64_t)__bswapsi2((uint32_t)v) << 32 |
		__bswapsi2((uint32_t)(v >> 32));
}
