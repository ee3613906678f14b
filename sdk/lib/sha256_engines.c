/* SPDX-License-Identifier: MIT */
/*
 * The accelerated SHA-256 engines of a family that has none: only the
 * portable code runs.  A family with an engine replaces this file with
 * sdk/lib/<arch>/sha256_engines.c (sha256_impl.h says what a row is).
 */
#include "sha256_impl.h"

const struct pk_sha256_arch_engine pk_sha256_arch_engines[] = {
	{ PK_SHA256_PORTABLE, 0, 0 },
};
