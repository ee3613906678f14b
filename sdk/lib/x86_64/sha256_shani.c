/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 with the x86 SHA extensions (sha256rnds2, sha256msg1/2).
 *
 * The only file of x86_64 libpurgkit.a built with SSE enabled.  It must
 * run only with the SSE unit on and on a CPU with SHA, SSSE3 and SSE4.1;
 * sha256_engines.c checks both before it calls pk_sha256_blocks_shani.
 *
 * sha256rnds2 keeps the state as two registers, ABEF and CDGH (A in the
 * high lane), and does two rounds per instruction with W[t] + K[t] taken
 * from the low two lanes of its third operand (the implicit xmm0).  The
 * message schedule runs four words at a time in a ring of four registers.
 */
#include <immintrin.h>
#include "../sha256_impl.h"

void pk_sha256_blocks_shani(uint32_t state[8], const uint8_t *data,
			    size_t nblocks)
{
	/* pshufb mask turning each big-endian 32-bit word around. */
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
					   4, 5, 6, 7, 0, 1, 2, 3);
	__m128i abef, cdgh, dcba, hgfe, t;

	/* state[0..3] in memory is DCBA in lanes (A in lane 0). */
	dcba = _mm_loadu_si128((const __m128i *)&state[0]);
	hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
	t = _mm_shuffle_epi32(dcba, 0xb1);		/* CDAB */
	hgfe = _mm_shuffle_epi32(hgfe, 0x1b);		/* EFGH */
	abef = _mm_alignr_epi8(t, hgfe, 8);		/* ABEF */
	cdgh = _mm_blend_epi16(hgfe, t, 0xf0);		/* CDGH */

	for (; nblocks; nblocks--, data += 64) {
		const __m128i abef_in = abef, cdgh_in = cdgh;
		__m128i m[4];
		int i;

		for (i = 0; i < 4; i++)
			m[i] = _mm_shuffle_epi8(
				_mm_loadu_si128((const __m128i *)(data + 16 * i)),
				bswap);

		/* Group i is rounds 4i..4i+3; m[i & 3] holds W[4i - 16..]
		 * on entry and becomes W[4i..4i + 3]. */
#pragma GCC unroll 16
		for (i = 0; i < 16; i++) {
			__m128i w;

			if (i >= 4) {
				__m128i x = _mm_sha256msg1_epu32(m[i & 3],
							m[(i + 1) & 3]);
				x = _mm_add_epi32(x, _mm_alignr_epi8(
						m[(i + 3) & 3], m[(i + 2) & 3], 4));
				m[i & 3] = _mm_sha256msg2_epu32(x, m[(i + 3) & 3]);
			}
			w = _mm_add_epi32(m[i & 3], _mm_loadu_si128(
					(const __m128i *)&pk_sha256_k[4 * i]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, w);
			w = _mm_shuffle_epi32(w, 0x0e);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, w);
		}
		abef = _mm_add_epi32(abef, abef_in);
		cdgh = _mm_add_epi32(cdgh, cdgh_in);
	}

	/* Back from ABEF/CDGH to DCBA/HGFE. */
	t = _mm_shuffle_epi32(abef, 0x1b);		/* FEBA */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);		/* DCHG */
	dcba = _mm_blend_epi16(t, cdgh, 0xf0);		/* DCBA */
	hgfe = _mm_alignr_epi8(cdgh, t, 8);		/* HGFE */
	_mm_storeu_si128((__m128i *)&state[0], dcba);
	_mm_storeu_si128((__m128i *)&state[4], hgfe);
}
