/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 streaming API and engine choice (see purgkit/sha256.h).
 *
 * An engine is only ever chosen after the CPU has said it has the
 * instructions.  Accelerated engines run between "unit on" and "unit
 * restored" for each batch of blocks, so no caller, and no payload after
 * us, ever sees the SSE or vector unit in a state it did not set.
 */
#include <purgkit/sha256.h>
#include <purgkit/string.h>
#include <purgkit/time.h>
#include "sha256_impl.h"

#if defined(__x86_64__)
#include <purgkit/arch/x86_64/cpu.h>
#endif

static enum pk_sha256_engine sha256_engine = PK_SHA256_PORTABLE;
static int sha256_engine_chosen;

#if defined(__x86_64__)
static int engine_supported(enum pk_sha256_engine engine)
{
	struct pk_cpuid leaf1, leaf7;

	if (engine == PK_SHA256_PORTABLE)
		return 1;
	if (engine != PK_SHA256_X86_SHANI)
		return 0;
	if (pk_cpuid(0, 0).eax < 7)
		return 0;
	leaf1 = pk_cpuid(1, 0);
	leaf7 = pk_cpuid(7, 0);
	/* SHA (7.EBX[29]), plus SSSE3 (1.ECX[9]) for pshufb/palignr and
	 * SSE4.1 (1.ECX[19]) for pblendw, which the block function uses. */
	return (leaf7.ebx >> 29 & 1) && (leaf1.ecx >> 9 & 1) &&
	       (leaf1.ecx >> 19 & 1);
}

static void blocks_shani(uint32_t state[8], const uint8_t *data, size_t n)
{
	struct pk_x86_64_sse_state saved = pk_x86_64_sse_enable();

	pk_sha256_blocks_shani(state, data, n);
	pk_x86_64_sse_restore(saved);
}

#elif defined(__powerpc64__)
#define PPC_MSR_VSX (1ull << 23)	/* not in arch/ppc64/cpu.h */
#define PPC_FEATURE2_VEC_CRYPTO 0x02000000ul

#ifndef PK_HOSTED
#include <purgkit/arch/ppc64/cpu.h>

/* mtmsrd, then isync so the next instruction sees the new facilities. */
static void ppc_set_msr(uint64_t msr)
{
	pk_ppc64_mtmsrd(msr);
	pk_ppc64_isync();
}
#endif

static int engine_supported(enum pk_sha256_engine engine)
{
	if (engine == PK_SHA256_PORTABLE)
		return 1;
	if (engine != PK_SHA256_PPC_VCRYPTO)
		return 0;
#ifdef PK_HOSTED
	return (pk_hosted_hwcap2() & PPC_FEATURE2_VEC_CRYPTO) != 0;
#else
	{
		/* mfpvr is privileged; purgatory runs in real mode. */
		uint32_t pvr;

		__asm__ volatile("mfpvr %0" : "=r"(pvr));
		switch (pvr >> 16) {
		case 0x004b:	/* POWER8E */
		case 0x004c:	/* POWER8NVL */
		case 0x004d:	/* POWER8 */
		case 0x004e:	/* POWER9 */
		case 0x0080:	/* POWER10 */
		case 0x0082:	/* POWER11 */
			return 1;
		default:
			return 0;
		}
	}
#endif
}

static void blocks_vcrypto(uint32_t state[8], const uint8_t *data, size_t n)
{
#ifdef PK_HOSTED
	pk_sha256_blocks_vcrypto(state, data, n);
#else
	/* The compiler may use VSX loads in the block function: turn on
	 * both VEC and VSX, and FP, which VSX registers 0-31 alias. */
	uint64_t msr = pk_ppc64_mfmsr();
	uint64_t on = PK_PPC64_MSR_FP | PK_PPC64_MSR_VEC | PPC_MSR_VSX;

	if ((msr & on) != on)
		ppc_set_msr(msr | on);
	pk_sha256_blocks_vcrypto(state, data, n);
	if ((msr & on) != on)
		ppc_set_msr(msr);
#endif
}

#else
static int engine_supported(enum pk_sha256_engine engine)
{
	return engine == PK_SHA256_PORTABLE;
}
#endif

static void engine_blocks(enum pk_sha256_engine engine, uint32_t state[8],
			  const uint8_t *data, size_t n)
{
	switch (engine) {
#if defined(__x86_64__)
	case PK_SHA256_X86_SHANI:
		blocks_shani(state, data, n);
		break;
#elif defined(__powerpc64__)
	case PK_SHA256_PPC_VCRYPTO:
		blocks_vcrypto(state, data, n);
		break;
#endif
	default:
		pk_sha256_blocks_portable(state, data, n);
		break;
	}
}

static void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t n)
{
	if (!sha256_engine_chosen)
		pk_sha256_select();
	engine_blocks(sha256_engine, state, data, n);
}

/*
 * Ticks one engine takes for PROBE_BLOCKS blocks: the faster of two runs,
 * since the first pays for warming up (an emulator translates the code on
 * its first run, which for the unrolled portable engine costs five times
 * the hashing; a CPU fills its caches).  SHA-256 costs the same for any
 * data, so zeros will do.
 */
#define PROBE_BLOCKS 32
uint64_t pk_sha256_engine_ticks(enum pk_sha256_engine engine)
{
	uint8_t data[PROBE_BLOCKS * PK_SHA256_BLOCK_SIZE];
	uint32_t state[8] = { 0 };
	uint64_t best = UINT64_MAX, start, ticks;
	int run;

	if (!engine_supported(engine))
		return 0;
	memset(data, 0, sizeof(data));
	for (run = 0; run < 2; run++) {
		start = pk_time_now();
		engine_blocks(engine, state, data, PROBE_BLOCKS);
		ticks = pk_time_now() - start;
		if (ticks < best)
			best = ticks;
	}
	return best;
}

/*
 * The fastest engine this CPU has, timed here: an accelerated unit is
 * not always the fast one (QEMU's TCG emulates POWER's vector crypto
 * instructions at a quarter of the speed of the portable code), and the
 * probe costs 4 KiB of hashing per engine.  Without a clock, the
 * accelerated engine the CPU has, else the portable one.
 */
enum pk_sha256_engine pk_sha256_select(void)
{
	static const enum pk_sha256_engine accelerated[] = {
		PK_SHA256_X86_SHANI, PK_SHA256_PPC_VCRYPTO,
	};
	uint64_t best_ticks = 0;
	size_t i;

	sha256_engine = PK_SHA256_PORTABLE;
	for (i = 0; i < sizeof(accelerated) / sizeof(accelerated[0]); i++) {
		if (!engine_supported(accelerated[i]))
			continue;
		if (!pk_time_now()) {
			sha256_engine = accelerated[i];
			break;
		}
		if (!best_ticks)
			best_ticks = pk_sha256_engine_ticks(PK_SHA256_PORTABLE);
		if (pk_sha256_engine_ticks(accelerated[i]) < best_ticks) {
			sha256_engine = accelerated[i];
			break;
		}
	}
	sha256_engine_chosen = 1;
	return sha256_engine;
}

int pk_sha256_force(enum pk_sha256_engine engine)
{
	if (!engine_supported(engine))
		return -1;
	sha256_engine = engine;
	sha256_engine_chosen = 1;
	return 0;
}

enum pk_sha256_engine pk_sha256_engine(void)
{
	if (!sha256_engine_chosen)
		pk_sha256_select();
	return sha256_engine;
}

const char *pk_sha256_engine_name(enum pk_sha256_engine engine)
{
	switch (engine) {
	case PK_SHA256_PORTABLE:
		return "portable";
	case PK_SHA256_X86_SHANI:
		return "x86-sha-ni";
	case PK_SHA256_PPC_VCRYPTO:
		return "ppc-vcrypto";
	}
	return "unknown";
}

void pk_sha256_init(struct pk_sha256_ctx *ctx)
{
	/* FIPS 180-4, section 5.3.3. */
	ctx->state[0] = 0x6a09e667;
	ctx->state[1] = 0xbb67ae85;
	ctx->state[2] = 0x3c6ef372;
	ctx->state[3] = 0xa54ff53a;
	ctx->state[4] = 0x510e527f;
	ctx->state[5] = 0x9b05688c;
	ctx->state[6] = 0x1f83d9ab;
	ctx->state[7] = 0x5be0cd19;
	ctx->length = 0;
	ctx->buffered = 0;
}

void pk_sha256_update(struct pk_sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t whole;

	ctx->length += len;
	if (ctx->buffered) {
		size_t take = PK_SHA256_BLOCK_SIZE - ctx->buffered;

		if (take > len)
			take = len;
		memcpy(ctx->buffer + ctx->buffered, p, take);
		ctx->buffered += take;
		p += take;
		len -= take;
		if (ctx->buffered < PK_SHA256_BLOCK_SIZE)
			return;
		sha256_blocks(ctx->state, ctx->buffer, 1);
		ctx->buffered = 0;
	}
	whole = len / PK_SHA256_BLOCK_SIZE;
	if (whole) {
		sha256_blocks(ctx->state, p, whole);
		p += whole * PK_SHA256_BLOCK_SIZE;
		len -= whole * PK_SHA256_BLOCK_SIZE;
	}
	if (len) {
		memcpy(ctx->buffer, p, len);
		ctx->buffered = len;
	}
}

void pk_sha256_final(struct pk_sha256_ctx *ctx, uint8_t digest[32])
{
	uint64_t bits = ctx->length * 8;
	uint32_t n = ctx->buffered;
	int i;

	/* Padding (section 5.1.1): 0x80, zeros, the bit length big-endian
	 * in the last 8 bytes of a block; a second block if it won't fit. */
	ctx->buffer[n++] = 0x80;
	if (n > PK_SHA256_BLOCK_SIZE - 8) {
		memset(ctx->buffer + n, 0, PK_SHA256_BLOCK_SIZE - n);
		sha256_blocks(ctx->state, ctx->buffer, 1);
		n = 0;
	}
	memset(ctx->buffer + n, 0, PK_SHA256_BLOCK_SIZE - 8 - n);
	for (i = 0; i < 8; i++)
		ctx->buffer[PK_SHA256_BLOCK_SIZE - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha256_blocks(ctx->state, ctx->buffer, 1);

	for (i = 0; i < 8; i++) {
		digest[4 * i + 0] = (uint8_t)(ctx->state[i] >> 24);
		digest[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
		digest[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
		digest[4 * i + 3] = (uint8_t)ctx->state[i];
	}
	/* Leave no message bytes behind in the context. */
	memset(ctx, 0, sizeof(*ctx));
}

void pk_sha256(const void *data, size_t len, uint8_t digest[32])
{
	struct pk_sha256_ctx ctx;

	pk_sha256_init(&ctx);
	pk_sha256_update(&ctx, data, len);
	pk_sha256_final(&ctx, digest);
}
