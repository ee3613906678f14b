/* SPDX-License-Identifier: MIT */
/*
 * The portable SHA-256 block function (FIPS 180-4, section 6.2.2), in one
 * of two shapes, chosen by where the portable engine is the one that runs.
 *
 * Both keep the eight working variables in place: each round is called
 * with its arguments rotated instead of moving data, and Maj reuses the
 * previous round's a ^ b.
 *
 * The ring (the default; x86_64): many CPUs in use have no SHA extensions,
 * so this code is what hashes on real machines and it is written for
 * speed.  Sixteen rounds are unrolled and run four times, and the message
 * schedule lives in a 16-word ring extended in place, W[t] over W[t - 16],
 * the one word no later round needs; with sixteen as the unit every ring
 * index is a constant and the ring stays in registers.  4.7 KB; as fast as
 * OpenSSL's integer-only code (make bench-sdk).  Unrolling all 64 rounds
 * doubled the size for no gain natively and a loss under emulation.
 *
 * Compact (PK_SHA256_COMPACT, defined by a family's replacement
 * sdk/lib/<arch>/sha256_blocks.c that includes this file; ppc64): every
 * POWER8 and later has the vector-crypto engine, so the portable code runs
 * on POWER7 and under emulation, and there the trampoline's loaded bytes
 * count as much as its speed.  The schedule is computed first into 64
 * words, then eight rounds (the smallest unit that brings the names back
 * to where they started) run eight times.  1.4 KB instead of 4.7 KB, for
 * about 8% less speed under QEMU's TCG.
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

/*
 * One round; ab and bc swap from one round to the next: Maj(a, b, c) is
 * b ^ ((a ^ b) & (b ^ c)), and b ^ c is the previous round's a ^ b, so
 * each round computes one XOR for it and hands it on.
 */
#define ROUND(a, b, c, d, e, f, g, h, kt, wt, ab, bc)                        \
	do {                                                                 \
		uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + (kt) + (wt);      \
		ab = a ^ b;                                                  \
		d += t1;                                                     \
		h = t1 + BSIG0(a) + (b ^ (ab & bc));                         \
	} while (0)

#if defined(PK_SHA256_COMPACT)

/* The compact shape: W[0..63] first, then eight rounds eight times. */
#define SHA256_SCHEDULE_WORDS 64
#define SHA256_ROUNDS(w)                                                       \
	do {                                                                   \
		for (t = 0; t < 16; t++)                                       \
			w[t] = load_be32(data + 4 * t);                        \
		for (t = 16; t < 64; t++)                                      \
			w[t] = SSIG1(w[t - 2]) + w[t - 7] +                    \
			       SSIG0(w[t - 15]) + w[t - 16];                   \
		for (t = 0; t < 64; t += 8) {                                  \
			const uint32_t *k = pk_sha256_k + t, *wt = w + t;      \
									       \
			ROUND(a, b, c, d, e, f, g, h, k[0], wt[0], x, y);      \
			ROUND(h, a, b, c, d, e, f, g, k[1], wt[1], y, x);      \
			ROUND(g, h, a, b, c, d, e, f, k[2], wt[2], x, y);      \
			ROUND(f, g, h, a, b, c, d, e, k[3], wt[3], y, x);      \
			ROUND(e, f, g, h, a, b, c, d, k[4], wt[4], x, y);      \
			ROUND(d, e, f, g, h, a, b, c, k[5], wt[5], y, x);      \
			ROUND(c, d, e, f, g, h, a, b, k[6], wt[6], x, y);      \
			ROUND(b, c, d, e, f, g, h, a, k[7], wt[7], y, x);      \
		}                                                              \
	} while (0)

#else

/* The ring: W[t] for t >= 16 is written over W[t - 16], k = t mod 16. */
#define SHA256_SCHEDULE_WORDS 16
#define W(t) w[(t) & 15]
#define SCHEDULE(k) \
	(W(k) += SSIG1(W((k) - 2)) + W((k) - 7) + SSIG0(W((k) - 15)))
#define LOAD(t) (W(t) = load_be32(data + 4 * (t)))
#define K16(t, n) pk_sha256_k[(t) + (n)]

/* Sixteen rounds from t (a multiple of 16), with words from the block
 * (M = LOAD) or the ring. */
#define ROUNDS16(t, M)                                                         \
	do {                                                                   \
		ROUND(a, b, c, d, e, f, g, h, K16(t, 0), M(0), x, y);          \
		ROUND(h, a, b, c, d, e, f, g, K16(t, 1), M(1), y, x);          \
		ROUND(g, h, a, b, c, d, e, f, K16(t, 2), M(2), x, y);          \
		ROUND(f, g, h, a, b, c, d, e, K16(t, 3), M(3), y, x);          \
		ROUND(e, f, g, h, a, b, c, d, K16(t, 4), M(4), x, y);          \
		ROUND(d, e, f, g, h, a, b, c, K16(t, 5), M(5), y, x);          \
		ROUND(c, d, e, f, g, h, a, b, K16(t, 6), M(6), x, y);          \
		ROUND(b, c, d, e, f, g, h, a, K16(t, 7), M(7), y, x);          \
		ROUND(a, b, c, d, e, f, g, h, K16(t, 8), M(8), x, y);          \
		ROUND(h, a, b, c, d, e, f, g, K16(t, 9), M(9), y, x);          \
		ROUND(g, h, a, b, c, d, e, f, K16(t, 10), M(10), x, y);        \
		ROUND(f, g, h, a, b, c, d, e, K16(t, 11), M(11), y, x);        \
		ROUND(e, f, g, h, a, b, c, d, K16(t, 12), M(12), x, y);        \
		ROUND(d, e, f, g, h, a, b, c, K16(t, 13), M(13), y, x);        \
		ROUND(c, d, e, f, g, h, a, b, K16(t, 14), M(14), x, y);        \
		ROUND(b, c, d, e, f, g, h, a, K16(t, 15), M(15), y, x);        \
	} while (0)
#define SHA256_ROUNDS(w)                                                       \
	do {                                                                   \
		ROUNDS16(0, LOAD);                                             \
		for (t = 16; t < 64; t += 16)                                  \
			ROUNDS16(t, SCHEDULE);                                 \
	} while (0)

#endif

void pk_sha256_blocks_portable(uint32_t state[8], const uint8_t *data,
			       size_t nblocks)
{
	uint32_t a, b, c, d, e, f, g, h, x, y;
	uint32_t w[SHA256_SCHEDULE_WORDS];
	unsigned int t;

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

		SHA256_ROUNDS(w);

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
