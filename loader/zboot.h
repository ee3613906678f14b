/* SPDX-License-Identifier: MIT */
/*
 * EFI zboot kernels (CONFIG_EFI_ZBOOT, arm64 and riscv64): a PE image
 * that decompresses itself under EFI, whose header says where the
 * compressed Image is (zboot.c has the layout).
 */
#ifndef PURGKIT_LOADER_ZBOOT_H
#define PURGKIT_LOADER_ZBOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* "MZ" with "zimg" at offset 4. */
bool pk_zboot_is(const struct pk_file *file);
/*
 * The payload, decompressed (gzip, zstd, xz, lzma, lz4: pk_unwrap; lzo
 * refused by name), in *out (freed with pk_file_free; the path is
 * file's); the header's compression name in comp.
 */
int pk_zboot_unwrap(const struct pk_file *file, struct pk_file *out,
		    char *comp, size_t comp_size);

#endif /* PURGKIT_LOADER_ZBOOT_H */
