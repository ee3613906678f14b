/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 streaming API and engine choice (see purgkit/sha256.h).
 *
 * The accelerated engines are the architecture family's table
 * (pk_sha256_arch_engines, sdk/lib/<arch>/sha256_engines.c); this file
 * names none.  An engine is only ever chosen after the CPU has said it has
 * the instructions.  Accelerated engines run between "unit on" and "unit
 * restored" for each batch of blocks, so no caller, and no payload after
 * us, ever sees the SSE or vector unit in a state it did not set.
 */
#include <purgkit/sha256.h>
#include <purgkit/string.h>
#include <purgkit/time.h>
#include "sha256_impl.h"

static enum pk_sha256_engine sha256_engine = PK_SHA256_PORTABLE;
static int sha256_engine_chosen;

/* The family's row for an accelerated engine, or NULL. */
static const struct pk_sha256_arch_engine *arch_engine(enum pk_sha256_engine engine)
{
	const struct pk_sha256_arch_engine *row;

	for (row = pk_sha256_arch_engines; row->blocks; row++)
		if (row->engine == engine)
			return row;
	return NULL;
}

static int engine_supported(enum pk_sha256_engine engine)
{
	const struct pk_sha256_arch_engine *row;

	if (engine == PK_SHA256_PORTABLE)
		return 1;
	row = arch_engine(engine);
	return row && row->supported();
}

static void engine_blocks(enum pk_sha256_engine engine, uint32_t state[8],
			  const uint8_t *data, size_t n)
{
	const struct pk_sha256_arch_engine *row =
		engine == PK_SHA256_PORTABLE ? NULL : arch_engine(engine);

	if (row)
		row->blocks(state, data, n);
	else
		pk_sha256_blocks_portable(state, data, n);
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
	const struct pk_sha256_arch_engine *row;
	uint64_t best_ticks = 0;

	sha256_engine = PK_SHA256_PORTABLE;
	for (row = pk_sha256_arch_engines; row->blocks; row++) {
		if (!row->supported())
			continue;
		if (!pk_time_now()) {
			sha256_engine = row->engine;
			break;
		}
		if (!best_ticks)
			best_ticks = pk_sha256_engine_ticks(PK_SHA256_PORTABLE);
		if (pk_sha256_engine_ticks(row->engine) < best_ticks) {
			sha256_engine = row->engine;
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
#define PK_SHA256_ENGINE_NAME(C, constant, number, name)		\
	case constant:							\
		return name;
	switch (engine) {
		PK_SHA256_ENGINES(PK_SHA256_ENGINE_NAME, )
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
