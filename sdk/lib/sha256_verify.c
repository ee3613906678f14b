/* SPDX-License-Identifier: MIT */
#include <purgkit/sha256.h>

int pk_sha256_verify_regions(const struct pk_region *regions, size_t count,
			     const uint8_t expected[32], uint8_t computed[32])
{
	struct pk_sha256_ctx ctx;
	uint8_t digest[PK_SHA256_DIGEST_SIZE];
	uint8_t diff = 0;
	size_t i;

	pk_sha256_init(&ctx);
	for (i = 0; i < count; i++) {
		if (regions[i].size)
			pk_sha256_update(&ctx,
					 (const void *)(uintptr_t)regions[i].start,
					 regions[i].size);
	}
	pk_sha256_final(&ctx, digest);
	for (i = 0; i < PK_SHA256_DIGEST_SIZE; i++) {
		diff |= digest[i] ^ expected[i];
		if (computed)
			computed[i] = digest[i];
	}
	return diff ? -1 : 0;
}
