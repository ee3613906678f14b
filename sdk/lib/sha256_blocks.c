/* SPDX-License-Identifier: MIT */
/*
 * The portable SHA-256 block function (FIPS 180-4, section 6.2.2).
 *
 * Written for speed with integer registers only: the 64 rounds are fully
 * unrolled, the eight working variables are never moved (each round is
 * called with its arguments rotated instead), and the message schedule
 * lives in a 16-word ring that is extended in place, so W[t] overwrites
 * W[t - 16], the one word no later round needs.
 */
#include "sha256_impl.h"

const uint32_t pk_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))
/* Ch(e, f, g) = (e & f) ^ (~e & g), with one operation fewer. */
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))

static inline uint32_t load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

/* W[t] for t >= 16, written over W[t - 16] in the ring. */
#define W(t) w[(t) & 15]
#define SCHEDULE(t) \
	(W(t) += SSIG1(W((t) - 2)) + W((t) - 7) + SSIG0(W((t) - 15)))
#define LOAD(t) (W(t) = load_be32(data + 4 * (t)))

/*
 * One round; the caller rotates the eight names instead of moving data,
 * and swaps ab and bc from one round to the next: Maj(a, b, c) is
 * b ^ ((a ^ b) & (b ^ c)), and b ^ c is the previous round's a ^ b, so
 * each round computes one XOR for it and hands it on.
 */
#define ROUND(a, b, c, d, e, f, g, h, t, wt, ab, bc)                         \
	do {                                                                 \
		uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + pk_sha256_k[t] + \
			      (wt);                                          \
		ab = a ^ b;                                                  \
		d += t1;                                                     \
		h = t1 + BSIG0(a) + (b ^ (ab & bc));                         \
	} while (0)

/* Eight rounds from t, with words from the block (M = LOAD) or the ring. */
#define ROUNDS8(t, M)                                                  \
	do {                                                           \
		ROUND(a, b, c, d, e, f, g, h, (t) + 0, M((t) + 0), x, y); \
		ROUND(h, a, b, c, d, e, f, g, (t) + 1, M((t) + 1), y, x); \
		ROUND(g, h, a, b, c, d, e, f, (t) + 2, M((t) + 2), x, y); \
		ROUND(f, g, h, a, b, c, d, e, (t) + 3, M((t) + 3), y, x); \
		ROUND(e, f, g, h, a, b, c, d, (t) + 4, M((t) + 4), x, y); \
		ROUND(d, e, f, g, h, a, b, c, (t) + 5, M((t) + 5), y, x); \
		ROUND(c, d, e, f, g, h, a, b, (t) + 6, M((t) + 6), x, y); \
		ROUND(b, c, d, e, f, g, h, a, (t) + 7, M((t) + 7), y, x); \
	} while (0)

void pk_sha256_blocks_portable(uint32_t state[8], const uint8_t *data,
			       size_t nblocks)
{
	uint32_t a, b, c, d, e, f, g, h, x, y;
	uint32_t w[16];

	for (; nblocks; nblocks--, data += 64) {
		a = state[0];
		b = state[1];
		c = state[2];
		d = state[3];
		e = state[4];
		f = state[5];
		g = state[6];
		h = state[7];
		y = b ^ c;

		ROUNDS8(0, LOAD);
		ROUNDS8(8, LOAD);
		ROUNDS8(16, SCHEDULE);
		ROUNDS8(24, SCHEDULE);
		ROUNDS8(32, SCHEDULE);
		ROUNDS8(40, SCHEDULE);
		ROUNDS8(48, SCHEDULE);
		ROUNDS8(56, SCHEDULE);

		state[0] += a;
		state[1] += b;
		state[2] += c;
		state[3] += d;
		state[4] += e;
		state[5] += f;
		state[6] += g;
		state[7] += h;
	}
}
