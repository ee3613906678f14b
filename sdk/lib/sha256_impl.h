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

/* The 64 round constants of FIPS 180-4, section 4.2.2. */
extern const uint32_t pk_sha256_k[64];

void pk_sha256_blocks_portable(uint32_t state[8], const uint8_t *data,
			       size_t nblocks);
#if defined(__x86_64__)
/* Needs SSE on and SHA, SSSE3 and SSE4.1 present. */
void pk_sha256_blocks_shani(uint32_t state[8], const uint8_t *data,
			    size_t nblocks);
#elif defined(__powerpc64__)
/* Needs MSR[VEC] and MSR[VSX] on, and an ISA 2.07 (POWER8) CPU. */
void pk_sha256_blocks_vcrypto(uint32_t state[8], const uint8_t *data,
			      size_t nblocks);
#endif

#if defined(PK_HOSTED) && defined(__powerpc64__)
/*
 * Hosted builds (unit tests under qemu-user) cannot read the PVR, which
 * is privileged; the test harness hands over AT_HWCAP2 from its auxiliary
 * vector instead.
 */
unsigned long pk_hosted_hwcap2(void);
#endif

#endif /* PURGKIT_LIB_SHA256_IMPL_H */
