/* SPDX-License-Identifier: MIT */
/*
 * sha256-bench: throughput of the SDK's SHA-256 engines and memcpy beside
 * OpenSSL's SHA-256 and the C library's memcpy, on the same buffers; one
 * static program per target (tests/sdk/sdk-tests.mk), with every engine
 * the target's family has and this CPU supports.
 * A benchmark, not a test: it prints figures and checks only that every
 * implementation produced the same digest.
 *
 *   sha256-bench [all|openssl]   "sha256 <impl> <bytes> <MB/s>" lines,
 *                                "memcpy <impl> <bytes> <MB/s>" lines
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <purgkit/sha256.h>

/* The target's SDK memcpy, built under another name (see sdk-tests.mk). */
void *pk_bench_memcpy(void *dst, const void *src, size_t n);

/*
 * Hosted builds of the SDK ask for AT_HWCAP2 where a CPU's features are
 * in privileged registers (ppc64's PVR: sdk/lib/sha256_impl.h); the C
 * library has it.
 */
unsigned long pk_hosted_hwcap2(void);
unsigned long pk_hosted_hwcap2(void)
{
	return getauxval(AT_HWCAP2);
}

static const size_t sizes[] = { 4096, 1 << 20, 64 << 20 };
/* Best of TRIES windows: the figure least disturbed by other load. */
#define MIN_SECONDS 0.12
#define TRIES 5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef void (*hash_fn)(const uint8_t *p, size_t n, uint8_t out[32]);

static void hash_sdk(const uint8_t *p, size_t n, uint8_t out[32])
{
	pk_sha256(p, n, out);
}

static void hash_openssl(const uint8_t *p, size_t n, uint8_t out[32])
{
	unsigned int len = 32;

	if (!EVP_Digest(p, n, out, &len, EVP_sha256(), NULL))
		abort();
}

static double measure_hash_once(hash_fn fn, const uint8_t *buf, size_t n,
				uint8_t out[32])
{
	double start = now(), elapsed;
	size_t rounds = 0;

	do {
		fn(buf, n, out);
		rounds++;
		elapsed = now() - start;
	} while (elapsed < MIN_SECONDS);
	return rounds * (double)n / elapsed / 1e6;
}

static double measure_hash(hash_fn fn, const uint8_t *buf, size_t n,
			   uint8_t out[32])
{
	double best = 0;

	for (int i = 0; i < TRIES; i++) {
		double r = measure_hash_once(fn, buf, n, out);

		best = r > best ? r : best;
	}
	return best;
}

typedef void *(*copy_fn)(void *, const void *, size_t);

static double measure_copy(copy_fn fn, uint8_t *dst, const uint8_t *src,
			   size_t n)
{
	double start = now(), elapsed;
	size_t rounds = 0;

	do {
		fn(dst, src, n);
		/* Keep the compiler from dropping or merging the copies. */
		__asm__ volatile("" : : "r"(dst) : "memory");
		rounds++;
		elapsed = now() - start;
	} while (elapsed < MIN_SECONDS);
	return rounds * (double)n / elapsed / 1e6;
}

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

int main(int argc, char **argv)
{
	int only_openssl = argc > 1 && !strcmp(argv[1], "openssl");
	size_t max = sizes[sizeof(sizes) / sizeof(sizes[0]) - 1];
	uint8_t *buf = malloc(max), *dst = malloc(max);
	uint8_t ref[32], out[32];
	char h[65];

	if (!buf || !dst)
		return 1;
	for (size_t i = 0; i < max; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);
	/* Fault dst in now, or the first memcpy measured pays for it. */
	memset(dst, 0, max);

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];

		printf("sha256 openssl %zu %.1f\n", n,
		       measure_hash(hash_openssl, buf, n, ref));
		if (only_openssl)
			continue;
		for (int e = 0; e < PK_SHA256_ENGINE_COUNT; e++) {
			if (pk_sha256_force((enum pk_sha256_engine)e))
				continue;
			printf("sha256 %s %zu %.1f\n",
			       pk_sha256_engine_name((enum pk_sha256_engine)e), n,
			       measure_hash(hash_sdk, buf, n, out));
			if (memcmp(out, ref, 32)) {
				hex(out, h);
				fprintf(stderr, "digest mismatch: %s\n", h);
				return 1;
			}
		}
	}
	if (!only_openssl) {
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			size_t n = sizes[s];

			printf("memcpy libc %zu %.1f\n", n,
			       measure_copy(memcpy, dst, buf, n));
			printf("memcpy purgkit %zu %.1f\n", n,
			       measure_copy(pk_bench_memcpy, dst, buf, n));
			if (memcmp(dst, buf, n))
				return 1;
		}
	}
	return 0;
}
