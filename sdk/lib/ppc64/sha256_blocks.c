/* SPDX-License-Identifier: MIT */
/*
 * ppc64's portable SHA-256 block function: the compact shape, since the
 * vector-crypto engine hashes on every POWER8 and later and the portable
 * code's bytes count more than its speed (sdk/lib/sha256_blocks.c says
 * why, and holds the code).
 */
#define PK_SHA256_COMPACT 1
#include "../sha256_blocks.c"
