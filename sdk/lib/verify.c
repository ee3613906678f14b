/* SPDX-License-Identifier: MIT */
/*
 * Image verification: the SHA-256 of the regions the loader listed,
 * against the digest it patched in.  Separate from the runtime's main
 * flow so the hosted tests can run it on ordinary memory.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include <purgkit/runtime.h>
#include <purgkit/sha256.h>
#include <purgkit/time.h>

uint64_t pk_verify_bytes, pk_verify_ticks;

/*
 * Region i against the loader's digest of it: " CHANGED", " ok", or ""
 * when the loader gave none (all zero: an older loader).
 */
static const char *pk_region_state(size_t i)
{
	const uint8_t *given = pk_verify_region_digests[i];
	uint8_t own[PK_SHA256_DIGEST_SIZE], any = 0, diff = 0;

	for (int j = 0; j < PK_REGION_DIGEST_SIZE; j++)
		any |= given[j];
	if (!any)
		return "";
	pk_sha256((const void *)(uintptr_t)pk_verify_regions[i].start,
		  pk_verify_regions[i].size, own);
	for (int j = 0; j < PK_REGION_DIGEST_SIZE; j++)
		diff |= own[j] ^ given[j];
	return diff ? " CHANGED" : " ok";
}

int pk_verify_image(void)
{
	uint8_t computed[PK_SHA256_DIGEST_SIZE];
	enum pk_sha256_engine engine;
	uint64_t total = 0, start;
	size_t i, count = 0;
	int result;

	if (!pk_verify_enabled) {
		pk_printf("purgkit: integrity check disabled by the loader\n");
		return 0;
	}
	for (i = 0; i < PK_MAX_REGIONS; i++) {
		if (pk_verify_regions[i].size) {
			count++;
			total += pk_verify_regions[i].size;
		}
	}
	start = pk_time_now();
	engine = pk_sha256_select();
	pk_printf("purgkit: sha256 (%s) of %u region%s, %llu bytes\n",
		  pk_sha256_engine_name(engine), (unsigned)count,
		  count == 1 ? "" : "s", (unsigned long long)total);
	result = pk_sha256_verify_regions(pk_verify_regions, PK_MAX_REGIONS,
					  pk_verify_digest, computed);
	/* The engine choice (a probe) is part of what the check costs. */
	pk_verify_ticks = pk_time_now() - start;
	pk_verify_bytes = total;
	if (result == 0) {
		pk_printf("purgkit: sha256 ok ");
		pk_print_hex(computed, sizeof(computed));
		pk_printf("\n");
		return 0;
	}

	pk_printf("purgkit: SHA-256 MISMATCH: the loaded image is not what "
		  "the loader hashed\n");
	/*
	 * Each region against its own digest, when the loader gave them:
	 * "CHANGED" names the region whose bytes are not what was loaded
	 * (the loader's plan says what that region holds).
	 */
	for (i = 0; i < PK_MAX_REGIONS; i++) {
		const struct pk_region *r = &pk_verify_regions[i];

		if (!r->size)
			continue;
		pk_printf("purgkit:   region %u: 0x%llx..0x%llx "
			  "(%llu bytes)%s\n", (unsigned)i,
			  (unsigned long long)r->start,
			  (unsigned long long)(r->start + r->size),
			  (unsigned long long)r->size, pk_region_state(i));
	}
	pk_printf("purgkit:   expected ");
	pk_print_hex(pk_verify_digest, sizeof(pk_verify_digest));
	pk_printf("\npurgkit:   computed ");
	pk_print_hex(computed, sizeof(computed));
	pk_printf("\n");
	return -1;
}
