/* SPDX-License-Identifier: MIT */
/*
 * Internal to the SHA-256 module: the block functions behind
 * pk_sha256_update.  Each one hashes nblocks whole 64-byte blocks into
 * state.  The accelerated ones assume their unit is already on:
 * sha256.c turns it on and off around each call.
 */
#ifndef PURGKIT_LIB_SHA256_IMPL_H
#define PURGKIT_LIB_SHA256_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <purgkit/sha256.h>

/* The 64 round constants of FIPS 180-4, section 4.2.2. */
extern const uint32_t pk_sha256_k[64];

void pk_sha256_blocks_portable(uint32_t state[8], const uint8_t *data,
			       size_t nblocks);
/*
 * The family's accelerated engines, in the order pk_sha256_select tries
 * them, ended by a row whose blocks is NULL: sdk/lib/<arch>/
 * sha256_engines.c (sdk/lib/sha256_engines.c, with none, for a family
 * without).  supported() says whether this CPU has the instructions;
 * blocks() turns the unit on, hashes, and restores the unit's state.
 */
struct pk_sha256_arch_engine {
	enum pk_sha256_engine engine;
	int (*supported)(void);
	void (*blocks)(uint32_t state[8], const uint8_t *data, size_t nblocks);
};
extern const struct pk_sha256_arch_engine pk_sha256_arch_engines[];

#ifdef PK_HOSTED
/*
 * Hosted builds (unit tests under qemu-user) cannot read privileged
 * registers that name the CPU's features (ppc64's PVR); the test harness
 * hands over AT_HWCAP2 from its auxiliary vector instead.
 */
unsigned long pk_hosted_hwcap2(void);
#endif

#endif /* PURGKIT_LIB_SHA256_IMPL_H */
