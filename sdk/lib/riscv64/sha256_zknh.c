/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 blocks with the RISC-V scalar crypto instructions (Zknh:
 * sha256sum0/sum1/sig0/sig1, each one of FIPS 180-4's Sigma/sigma
 * functions in one instruction).  Built with PK_VECTOR_CFLAGS_riscv64 (the
 * only code that may use them); sha256_engines.c calls it only on a CPU
 * whose ISA description lists Zknh.  The instructions need no unit turned
 * on, so nothing is saved or restored around them.  The compact shape of
 * the portable code (sdk/lib/sha256_blocks.c): the schedule in a ring of
 * 16 words, one round at a time.
 */
#include "../sha256_impl.h"

void pk_sha256_blocks_zknh(uint32_t state[8], const uint8_t *data,
			   size_t nblocks);

/* On RV64 each reads rs1[31:0] and writes the 32-bit result sign-extended. */
#define ZKNH(insn)							\
	static inline uint32_t insn(uint32_t x)				\
	{								\
		unsigned long r;					\
		__asm__(#insn " %0, %1" : "=r"(r) : "r"((unsigned long)x)); \
		return (uint32_t)r;					\
	}
ZKNH(sha256sum0)
ZKNH(sha256sum1)
ZKNH(sha256sig0)
ZKNH(sha256sig1)

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

void pk_sha256_blocks_zknh(uint32_t state[8], const uint8_t *data,
			   size_t nblocks)
{
	while (nblocks--) {
		uint32_t w[16], a = state[0], b = state[1], c = state[2],
			 d = state[3], e = state[4], f = state[5],
			 g = state[6], h = state[7];
		int t;

		for (t = 0; t < 64; t++) {
			uint32_t t1, t2;

			if (t < 16)
				w[t] = load_be32(data + 4 * t);
			else
				w[t & 15] += sha256sig1(w[(t - 2) & 15]) +
					w[(t - 7) & 15] +
					sha256sig0(w[(t - 15) & 15]);
			t1 = h + sha256sum1(e) + ((e & f) ^ (~e & g)) +
				pk_sha256_k[t] + w[t & 15];
			t2 = sha256sum0(a) + ((a & b) ^ (a & c) ^ (b & c));
			h = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + t2;
		}
		state[0] += a;
		state[1] += b;
		state[2] += c;
		state[3] += d;
		state[4] += e;
		state[5] += f;
		state[6] += g;
		state[7] += h;
		data += 64;
	}
}
