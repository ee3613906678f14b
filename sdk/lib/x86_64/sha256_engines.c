/* SPDX-License-Identifier: MIT */
/*
 * x86_64's accelerated SHA-256 engine: the SHA extensions (SHA-NI), run
 * between turning SSE on and restoring what the caller had, so no caller
 * and no payload after us sees the unit in a state it did not set.
 */
#include <purgkit/arch/x86_64/cpu.h>
#include "../sha256_impl.h"

/* Needs SSE on and SHA, SSSE3 and SSE4.1 present (sha256_shani.c). */
void pk_sha256_blocks_shani(uint32_t state[8], const uint8_t *data,
			    size_t nblocks);

static int shani_supported(void)
{
	struct pk_cpuid leaf1, leaf7;

	if (pk_cpuid(0, 0).eax < 7)
		return 0;
	leaf1 = pk_cpuid(1, 0);
	leaf7 = pk_cpuid(7, 0);
	/* SHA (7.EBX[29]), plus SSSE3 (1.ECX[9]) for pshufb/palignr and
	 * SSE4.1 (1.ECX[19]) for pblendw, which the block function uses. */
	return (leaf7.ebx >> 29 & 1) && (leaf1.ecx >> 9 & 1) &&
	       (leaf1.ecx >> 19 & 1);
}

static void shani_blocks(uint32_t state[8], const uint8_t *data, size_t n)
{
	struct pk_x86_64_sse_state saved = pk_x86_64_sse_enable();

	pk_sha256_blocks_shani(state, data, n);
	pk_x86_64_sse_restore(saved);
}

const struct pk_sha256_arch_engine pk_sha256_arch_engines[] = {
	{ PK_SHA256_X86_SHANI, shani_supported, shani_blocks },
	{ PK_SHA256_PORTABLE, 0, 0 },
};
