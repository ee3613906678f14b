/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 blocks with the ARMv8 Cryptographic Extension's SHA-256
 * instructions: sha256h and sha256h2 do four rounds on the two halves of
 * the state, sha256su0 and sha256su1 extend the message schedule four
 * words at a time.  The family's one vector module: built with
 * PK_VECTOR_CFLAGS (FP/SIMD and +crypto); sha256_engines.c enables
 * FP/SIMD around each call.  ACLE intrinsics from the compiler's
 * arm_neon.h.
 */
#include <arm_neon.h>

#include "../sha256_impl.h"

/* Needs FP/SIMD enabled at this EL and ID_AA64ISAR0_EL1.SHA2 >= 1. */
void pk_sha256_blocks_armv8(uint32_t state[8], const uint8_t *data,
			    size_t nblocks);

void pk_sha256_blocks_armv8(uint32_t state[8], const uint8_t *data,
			    size_t nblocks)
{
	uint32x4_t abcd = vld1q_u32(&state[0]);
	uint32x4_t efgh = vld1q_u32(&state[4]);

	while (nblocks--) {
		uint32x4_t abcd_start = abcd, efgh_start = efgh;
		uint32x4_t w[4];
		int group;

		/* The message is big-endian words; vrev32 swaps each. */
		for (group = 0; group < 4; group++)
			w[group] = vreinterpretq_u32_u8(
				vrev32q_u8(vld1q_u8(data + 16 * group)));
		/* Sixteen groups of four rounds; w[group % 4] holds the
		 * group's words W[4g..4g+3]. */
		for (group = 0; group < 16; group++) {
			uint32x4_t wk = vaddq_u32(w[group & 3],
						  vld1q_u32(&pk_sha256_k[4 * group]));
			uint32x4_t abcd_before = abcd;

			/* W[4g+16..4g+19], for group g + 4. */
			if (group < 12)
				w[group & 3] = vsha256su1q_u32(
					vsha256su0q_u32(w[group & 3],
							w[(group + 1) & 3]),
					w[(group + 2) & 3], w[(group + 3) & 3]);
			abcd = vsha256hq_u32(abcd, efgh, wk);
			efgh = vsha256h2q_u32(efgh, abcd_before, wk);
		}
		abcd = vaddq_u32(abcd, abcd_start);
		efgh = vaddq_u32(efgh, efgh_start);
		data += 64;
	}
	vst1q_u32(&state[0], abcd);
	vst1q_u32(&state[4], efgh);
}
