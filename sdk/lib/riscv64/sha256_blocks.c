/* SPDX-License-Identifier: MIT */
/*
 * riscv64's portable SHA-256 block function: the compact shape, since the
 * trampoline's loaded bytes count and a hart with Zknh hashes with that
 * (sdk/lib/sha256_blocks.c says why, and holds the code).
 */
#define PK_SHA256_COMPACT 1
#include "../sha256_blocks.c"
