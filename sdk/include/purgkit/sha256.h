/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4).
 *
 * One API, several engines: portable C everywhere, the SHA extensions on
 * x86_64, the POWER8 vector-crypto instructions (vshasigmaw) on ppc64.
 * The engine is chosen on first use (or by pk_sha256_select): only after
 * the CPU has been asked whether it has the instructions.  Around each
 * batch of blocks an accelerated engine turns its unit on (x86_64: CR0.MP
 * on, CR0.EM and CR0.TS off, CR4.OSFXSR and CR4.OSXMMEXCPT on; ppc64:
 * MSR[FP], MSR[VEC] and MSR[VSX]) and puts the previous state back before
 * it returns, so the payload finds the CPU as the kernel left it.  Every
 * engine gives the same digest for the same input.
 */
#ifndef PURGKIT_SHA256_H
#define PURGKIT_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <purgkit/patch.h>

#define PK_SHA256_DIGEST_SIZE 32
#define PK_SHA256_BLOCK_SIZE 64

struct pk_sha256_ctx {
	uint32_t state[8];
	uint64_t length;		/* bytes hashed so far */
	uint8_t buffer[PK_SHA256_BLOCK_SIZE];
	uint32_t buffered;		/* bytes waiting in buffer */
};

/*
 * Every engine: X(C, CONSTANT, number, name for people), C passed through.  The numbers are
 * part of the contract (contract.json, the loader's reports): an engine
 * keeps its number, a new one takes the next.  Which engines a target has
 * is its family's table (sdk/lib/<arch>/sha256_engines.c).
 */
#define PK_SHA256_ENGINES(X, C)						\
	X(C, PK_SHA256_PORTABLE,    0, "portable")			\
	X(C, PK_SHA256_X86_SHANI,   1, "x86-sha-ni")  /* x86_64 SHA-NI */ \
	X(C, PK_SHA256_PPC_VCRYPTO, 2, "ppc-vcrypto") /* POWER8 vcrypto */ \
	X(C, PK_SHA256_ARM_SHA2,    3, "arm-sha2")    /* ARMv8 SHA-256 */	\
	X(C, PK_SHA256_RISCV_ZKNH,  4, "riscv-zknh")  /* RISC-V Zknh */

#define PK_SHA256_ENGINE_ENUM(C, constant, number, name) constant = number,
#define PK_SHA256_ENGINE_ONE(C, constant, number, name) + 1
enum pk_sha256_engine {
	PK_SHA256_ENGINES(PK_SHA256_ENGINE_ENUM, )
};
/* How many engines there are (numbered 0 .. PK_SHA256_ENGINE_COUNT - 1). */
#define PK_SHA256_ENGINE_COUNT (0 PK_SHA256_ENGINES(PK_SHA256_ENGINE_ONE, ))

/* Start a new hash. */
void pk_sha256_init(struct pk_sha256_ctx *ctx);
/* Hash len more bytes from data. */
void pk_sha256_update(struct pk_sha256_ctx *ctx, const void *data, size_t len);
/* Finish and write the 32-byte digest; ctx must be re-initialised to reuse. */
void pk_sha256_final(struct pk_sha256_ctx *ctx, uint8_t digest[32]);
/* One-shot: digest = SHA-256(data[0..len)). */
void pk_sha256(const void *data, size_t len, uint8_t digest[32]);

/*
 * Hash the regions in order, as one message (slots with size 0 are
 * skipped), write the result to computed (may be NULL) and compare it
 * with expected.  Returns 0 when they match, -1 when they do not.
 */
int pk_sha256_verify_regions(const struct pk_region *regions, size_t count,
			     const uint8_t expected[32], uint8_t computed[32]);

/*
 * Choose the engine: of those this CPU has, the fastest here, timed on
 * 2 KiB each (see purgkit/time.h; without a clock, the accelerated one).
 * Returns the choice.  Called by the first update; call it yourself to
 * know (or print) it.
 */
enum pk_sha256_engine pk_sha256_select(void);
/*
 * What pk_sha256_select compares: the ticks (purgkit/time.h) `engine`
 * takes here for 2 KiB, warm.  0 when the CPU lacks it or has no clock.
 */
uint64_t pk_sha256_engine_ticks(enum pk_sha256_engine engine);
/*
 * Force an engine (tests and benchmarks).  Returns 0, or -1 when the CPU
 * lacks it (the current choice is kept).
 */
int pk_sha256_force(enum pk_sha256_engine engine);
/* The engine in use, and its name for people (PK_SHA256_ENGINES). */
enum pk_sha256_engine pk_sha256_engine(void);
const char *pk_sha256_engine_name(enum pk_sha256_engine engine);

#endif /* PURGKIT_SHA256_H */
