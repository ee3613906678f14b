/* SPDX-License-Identifier: MIT */
/*
 * The EFI zboot format (a kernel built with CONFIG_EFI_ZBOOT; the layout
 * is the kernel's drivers/firmware/efi/libstub/zboot-header.S): a PE
 * image that decompresses itself under EFI, whose DOS header also says
 * where the compressed Image is, so that a loader without EFI can take
 * it out.  Little-endian, at the file's start:
 *
 *   0x00  "MZ" and two zero bytes     the PE/DOS magic
 *   0x04  "zimg"                      the image type
 *   0x08  u32 payload offset          from the file's start
 *   0x0c  u32 payload size            the compressed bytes
 *   0x10  two reserved u32
 *   0x18  compression type, a NUL-terminated string before 0x38:
 *         "gzip", "lz4", "lzma", "lzo", "xzkern", "zstd22"
 *   0x38  the Linux PE magic, 0x3c the PE header's offset
 *
 * The payload decompresses to the architecture's Image (arm64 and RISC-V
 * kernels share the header; aarch64/linux.c and riscv64/linux.c read the
 * Image then), through the loader's one decompressor (pk_unwrap, util.c):
 * gzip, zstd, xz, lzma and lz4, the header's name checked against the
 * payload's magic; lzo, which Debian's libraries do not decompress, is
 * refused by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/byteorder.h>

#include "zboot.h"

/* The header's compression names, as pk_unwrap_format names them. */
static const struct {
	const char *zboot, *format;
} zboot_formats[] = {
	{ "gzip", "gzip" }, { "zstd22", "zstd" }, { "zstd", "zstd" },
	{ "xzkern", "xz" }, { "lzma", "lzma" }, { "lz4", "lz4" },
};

#define ZBOOT_MZ		0x5a4du		/* "MZ" */
#define ZBOOT_TYPE_OFFSET	4
#define ZBOOT_PAYLOAD_OFFSET	8
#define ZBOOT_PAYLOAD_SIZE	12
#define ZBOOT_COMP_OFFSET	0x18
#define ZBOOT_COMP_END		0x38
#define ZBOOT_HEADER_SIZE	0x40

bool pk_zboot_is(const struct pk_file *file)
{
	return file->size >= ZBOOT_HEADER_SIZE &&
	       pk_load_uint(file->data, 2, 0) == ZBOOT_MZ &&
	       !memcmp(file->data + ZBOOT_TYPE_OFFSET, "zimg", 4);
}

int pk_zboot_unwrap(const struct pk_file *file, struct pk_file *out,
		    char *comp, size_t comp_size)
{
	uint64_t offset = pk_load_uint(file->data + ZBOOT_PAYLOAD_OFFSET, 4, 0);
	uint64_t size = pk_load_uint(file->data + ZBOOT_PAYLOAD_SIZE, 4, 0);
	const char *type = (const char *)file->data + ZBOOT_COMP_OFFSET;
	size_t type_len = strnlen(type, ZBOOT_COMP_END - ZBOOT_COMP_OFFSET);
	const char *format = NULL, *found;

	if (type_len == ZBOOT_COMP_END - ZBOOT_COMP_OFFSET || type_len == 0)
		return pk_error("%s: EFI zboot image without a compression "
				"type (a NUL-terminated name at 0x%x)",
				file->path, ZBOOT_COMP_OFFSET);
	snprintf(comp, comp_size, "%.*s", (int)type_len, type);
	if (offset < ZBOOT_HEADER_SIZE || size == 0 ||
	    offset > file->size || size > file->size - offset)
		return pk_error("%s: EFI zboot payload 0x%llx+0x%llx is not "
				"inside the file (0x%zx bytes)", file->path,
				HEX(offset), HEX(size), file->size);
	for (size_t i = 0; i < sizeof(zboot_formats) /
			       sizeof(zboot_formats[0]); i++)
		if (!strcmp(comp, zboot_formats[i].zboot))
			format = zboot_formats[i].format;
	if (!format)
		return pk_error("%s: EFI zboot payload compressed with '%s', "
				"which purgkit-load does not decompress (gzip, "
				"zstd, xz, lzma and lz4 it does)", file->path,
				comp);
	found = pk_unwrap_format(file->data + offset, size);
	if (!found || strcmp(found, format))
		return pk_error("%s: EFI zboot payload at 0x%llx says %s but "
				"has no %s magic", file->path, HEX(offset),
				comp, format);
	out->path = file->path;
	out->size = size;
	out->data = pk_xzalloc(size);
	memcpy(out->data, file->data + offset, size);
	return pk_file_inflate(out, "EFI zboot payload of");
}
