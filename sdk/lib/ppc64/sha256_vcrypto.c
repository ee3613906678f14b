/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 with the POWER8 (ISA 2.07) vector-crypto instructions.
 *
 * The only file of ppc64 libpurgkit.a built with AltiVec/VSX enabled.  It
 * must run with MSR[VEC] and MSR[VSX] on and on a POWER8 or later CPU;
 * sha256_engines.c checks both before it calls pk_sha256_blocks_vcrypto.
 *
 * vshasigmaw computes the four SHA-256 sigma functions on four words at
 * once.  The message schedule uses all four lanes; the rounds keep each
 * working variable splatted across its register, so the round code needs
 * no lane bookkeeping and is the same in either byte order.
 */
#include <altivec.h>
#include "../sha256_impl.h"

typedef __vector unsigned int u32x4;

/* vshasigmaw: st = 0 for the schedule sigmas, 1 for the round Sigmas;
 * six = 0 for sigma0/Sigma0 in every lane, 0xf for sigma1/Sigma1. */
#define SSIG0(x) __builtin_crypto_vshasigmaw(x, 0, 0)
#define SSIG1(x) __builtin_crypto_vshasigmaw(x, 0, 0xf)
#define BSIG0(x) __builtin_crypto_vshasigmaw(x, 1, 0)
#define BSIG1(x) __builtin_crypto_vshasigmaw(x, 1, 0xf)

/* Ch: e selects f over g.  Maj: where a and b differ, c decides. */
#define ROUND(a, b, c, d, e, f, g, h, kw)                                  \
	do {                                                               \
		u32x4 t1 = vec_add(vec_add(h, BSIG1(e)),                   \
				   vec_add(vec_sel(g, f, e), kw));         \
		d = vec_add(d, t1);                                        \
		h = vec_add(t1, vec_add(BSIG0(a), vec_sel(b, c, vec_xor(a, b)))); \
	} while (0)

static inline uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

void pk_sha256_blocks_vcrypto(uint32_t state[8], const uint8_t *data,
			      size_t nblocks)
{
	uint32_t w[64] __attribute__((aligned(16)));
	u32x4 a, b, c, d, e, f, g, h;
	int t;

	for (; nblocks; nblocks--, data += 64) {
		/*
		 * The block's words in host order in memory, so that vec_xl
		 * gives element i = W[i] in either byte order.
		 */
		for (t = 0; t < 16; t++)
			w[t] = load_be32(data + 4 * t);
		for (t = 16; t < 64; t += 4) {
			/* W[t..t+3] less the sigma1 terms, all four lanes. */
			u32x4 x = vec_add(vec_add(vec_xl(0, &w[t - 16]),
						  SSIG0(vec_xl(0, &w[t - 15]))),
					  vec_xl(0, &w[t - 7]));
			/*
			 * sigma1 needs W[t-2..t+1]: lanes 0 and 1 come first
			 * from W[t-2], W[t-1]; once stored, W[t], W[t+1] feed
			 * lanes 2 and 3 of the second pass.
			 */
			vec_xst(vec_add(x, SSIG1(vec_xl(0, &w[t - 2]))), 0,
				&w[t]);
			vec_xst(vec_add(x, SSIG1(vec_xl(0, &w[t - 2]))), 0,
				&w[t]);
		}

		a = vec_splats(state[0]);
		b = vec_splats(state[1]);
		c = vec_splats(state[2]);
		d = vec_splats(state[3]);
		e = vec_splats(state[4]);
		f = vec_splats(state[5]);
		g = vec_splats(state[6]);
		h = vec_splats(state[7]);

		for (t = 0; t < 64; t += 8) {
			u32x4 kw0 = vec_add(vec_xl(0, &w[t]),
					    vec_xl(0, &pk_sha256_k[t]));
			u32x4 kw1 = vec_add(vec_xl(0, &w[t + 4]),
					    vec_xl(0, &pk_sha256_k[t + 4]));

			ROUND(a, b, c, d, e, f, g, h, vec_splat(kw0, 0));
			ROUND(h, a, b, c, d, e, f, g, vec_splat(kw0, 1));
			ROUND(g, h, a, b, c, d, e, f, vec_splat(kw0, 2));
			ROUND(f, g, h, a, b, c, d, e, vec_splat(kw0, 3));
			ROUND(e, f, g, h, a, b, c, d, vec_splat(kw1, 0));
			ROUND(d, e, f, g, h, a, b, c, vec_splat(kw1, 1));
			ROUND(c, d, e, f, g, h, a, b, vec_splat(kw1, 2));
			ROUND(b, c, d, e, f, g, h, a, vec_splat(kw1, 3));
		}

		/* Every lane holds the same value; take lane 0. */
		state[0] += vec_extract(a, 0);
		state[1] += vec_extract(b, 0);
		state[2] += vec_extract(c, 0);
		state[3] += vec_extract(d, 0);
		state[4] += vec_extract(e, 0);
		state[5] += vec_extract(f, 0);
		state[6] += vec_extract(g, 0);
		state[7] += vec_extract(h, 0);
	}
}
