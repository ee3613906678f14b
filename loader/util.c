/* SPDX-License-Identifier: MIT */
/*
 * Messages, files, number parsing and stdout for purgkit-load.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <purgkit/byteorder.h>
#include <purgkit/input.h>

#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "util.h"

bool pk_debug_enabled;
static char pk_error_line[1024];
static bool pk_error_set;

int pk_error(const char *fmt, ...)
{
	char raw[sizeof(pk_error_line)];
	va_list ap;

	if (pk_error_set)
		return -1;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Names come from the user: one line, whatever bytes they hold. */
	pk_text_escape(raw, pk_error_line, sizeof(pk_error_line));
	pk_error_set = true;
	return -1;
}

const char *pk_error_message(void)
{
	return pk_error_set ? pk_error_line : NULL;
}

void pk_error_reset(void)
{
	pk_error_set = false;
	pk_error_line[0] = '\0';
}

void pk_debug(const char *fmt, ...)
{
	va_list ap;

	if (!pk_debug_enabled)
		return;
	fputs("purgkit-load: debug: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *pk_xzalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "purgkit-load: out of memory\n");
		exit(1);
	}
	return p;
}

void *pk_xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size ? size : 1);

	if (!p) {
		fprintf(stderr, "purgkit-load: out of memory\n");
		exit(1);
	}
	return p;
}

void *pk_xgrow(void *array, size_t count, size_t element_size)
{
	size_t capacity;

	/* Full only at 0 and at each power of two from 8. */
	if (count < 8 ? count != 0 : (count & (count - 1)) != 0)
		return array;
	capacity = count < 8 ? 8 : count * 2;
	if (capacity > SIZE_MAX / element_size) {
		fprintf(stderr, "purgkit-load: out of memory\n");
		exit(1);
	}
	return pk_xrealloc(array, capacity * element_size);
}

char *pk_xstrdup(const char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = pk_xzalloc(len);

	memcpy(copy, text, len);
	return copy;
}

/*
 * What a payload file may hold at most: the target's usable RAM once the
 * memory map is known (pk_file_set_limit), before that 4 GiB, which no
 * trampoline-era input needs to exceed.
 */
static uint64_t pk_file_limit = 4ull << 30;
static char pk_file_limit_what[200] = "the 4 GiB a file may have";

void pk_file_set_limit(uint64_t bytes, const char *why)
{
	pk_file_limit = bytes ? bytes : 1;
	snprintf(pk_file_limit_what, sizeof(pk_file_limit_what), "%s", why);
}

int pk_file_read(const char *path, const char *what, struct pk_file *file)
{
	char err[1024];

	memset(file, 0, sizeof(*file));
	if (pk_input_read(path, what, pk_file_limit, pk_file_limit_what,
			  PK_INPUT_NONEMPTY, &file->data, &file->size, err,
			  sizeof(err)))
		return pk_error("%s", err);
	file->path = path;
	return 0;
}

/*
 * ---- compressed files: unwrap by magic ----------------------------------
 *
 * Each format is decompressed by the library Debian ships for it (zlib,
 * liblzma, liblz4, libzstd), in two passes over the same bytes: the first
 * counts the output through a small window, bounded by pk_unwrap_limit,
 * before anything is allocated; the second fills a buffer of exactly that
 * size.  The messages are the same for every format: truncated, corrupt,
 * too large, trailing data, nothing.
 */

/*
 * The most a compressed file may decompress to, whatever the target's
 * RAM: more than any kernel, hypervisor or module purgkit loads, and
 * bounded so a map declaring 64 GiB cannot make a 6 MB file cost minutes
 * and the host's memory.
 */
#define PK_UNWRAP_MAX (1ull << 31)
/* An LZ4 legacy-format block decompresses to at most 8 MiB (lz4 -l). */
#define PK_LZ4_LEGACY_BLOCK (8u << 20)
#define PK_LZ4_LEGACY_MAGIC 0x184c2102u
/* Input handed to libzstd and liblz4 per call. */
#define PK_UNWRAP_CHUNK ((size_t)1 << 16)

/* The memory this host can give now (MemAvailable), or 0 if unknown. */
static uint64_t pk_host_memory_available(void)
{
	char line[128];
	unsigned long long kib;
	uint64_t bytes = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
			bytes = kib << 10;
			break;
		}
	fclose(f);
	return bytes;
}

/* The bound: the least of the three, and what it is, for people. */
static uint64_t pk_unwrap_limit(char *what, size_t size)
{
	uint64_t limit = pk_file_limit, host = pk_host_memory_available();

	snprintf(what, size, "%s", pk_file_limit_what);
	if (PK_UNWRAP_MAX < limit) {
		limit = PK_UNWRAP_MAX;
		snprintf(what, size, "the 2 GiB purgkit decompresses at most");
	}
	if (host && host < limit) {
		limit = host;
		snprintf(what, size, "the memory this host has available");
	}
	return limit;
}

struct pk_unwrap_job {
	const uint8_t *in;
	size_t in_size;
	const char *what, *name, *format;
	uint8_t *out;		/* NULL: count only, through the window */
	uint64_t size;		/* fill pass: the counted size (out holds +1) */
	uint64_t limit;
	const char *limit_what;
	uint64_t used;
	uint8_t *scratch;	/* count pass: where output goes, and its size */
	size_t scratch_size;
};

/* Where the decoder writes next, and how much room it has there. */
static uint8_t *pk_unwrap_room(struct pk_unwrap_job *job, size_t *room)
{
	uint64_t left;

	if (!job->out) {
		*room = job->scratch_size;
		return job->scratch;
	}
	/* One spare byte: a second pass that makes more is caught below. */
	left = job->size + 1 - job->used;
	*room = left < job->scratch_size ? (size_t)left : job->scratch_size;
	return job->out + job->used;
}

static int pk_unwrap_produced(struct pk_unwrap_job *job, size_t bytes)
{
	job->used += bytes;
	if (job->used > job->limit)
		return pk_error("%s %s: %s data decompresses to more than %s "
				"(0x%llx bytes)", job->what, job->name,
				job->format, job->limit_what, HEX(job->limit));
	if (job->out && job->used > job->size)
		return pk_error("%s %s: %s data decompressed to 0x%llx bytes, "
				"then to more", job->what, job->name,
				job->format, HEX(job->size));
	return 0;
}

static int pk_unwrap_truncated(const struct pk_unwrap_job *job)
{
	return pk_error("%s %s: truncated %s data: the file ends at 0x%zx, "
			"inside the compressed stream", job->what, job->name,
			job->format, job->in_size);
}

static int pk_unwrap_corrupt(const struct pk_unwrap_job *job, size_t at,
			     const char *library, const char *why)
{
	return pk_error("%s %s: corrupt %s data at or before 0x%zx (%s: %s)",
			job->what, job->name, job->format, at, library, why);
}

/*
 * After a stream ends at offset: is the rest the 4-byte little-endian
 * decompressed size the kernel's build appends (size_append: vmlinux.bin.*,
 * the EFI zboot payload)?  Anything else left is refused by the caller.
 */
static bool pk_unwrap_size_trailer(const struct pk_unwrap_job *job,
				   size_t offset)
{
	return job->in_size - offset == 4 &&
	       pk_load_uint(job->in + offset, 4, false) ==
		       (uint32_t)job->used;
}

static int pk_unwrap_trailing(const struct pk_unwrap_job *job, size_t offset)
{
	return pk_error("%s %s: 0x%zx bytes of trailing data after the %s "
			"data ends at 0x%zx", job->what, job->name,
			job->in_size - offset, job->format, offset);
}

static bool pk_magic_at(const struct pk_unwrap_job *job, size_t offset,
			const char *magic, size_t len)
{
	return job->in_size - offset >= len &&
	       !memcmp(job->in + offset, magic, len);
}

/* gzip (RFC 1952), member after member (2.2: they make one file). */
static int pk_unwrap_gzip(struct pk_unwrap_job *job)
{
	size_t offset = 0;
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return pk_error("%s %s: zlib cannot start", job->what,
				job->name);
	for (;;) {
		size_t room;
		uint8_t *dst = pk_unwrap_room(job, &room);

		if (z.avail_in == 0 && offset < job->in_size) {
			z.next_in = (uint8_t *)job->in + offset;
			z.avail_in = (uInt)(job->in_size - offset < UINT32_MAX ?
					    job->in_size - offset : UINT32_MAX);
		}
		z.next_out = dst;
		z.avail_out = (uInt)(room < UINT32_MAX ? room : UINT32_MAX);
		rc = inflate(&z, Z_NO_FLUSH);
		offset = (size_t)(z.next_in - job->in);
		if (pk_unwrap_produced(job, (size_t)(z.next_out - dst)))
			break;
		if (rc == Z_STREAM_END) {
			if (offset == job->in_size ||
			    pk_unwrap_size_trailer(job, offset)) {
				inflateEnd(&z);
				return 0;
			}
			if (pk_magic_at(job, offset, "\x1f\x8b", 2) &&
			    inflateReset(&z) == Z_OK)
				continue;
			pk_unwrap_trailing(job, offset);
			break;
		}
		if (rc == Z_OK)
			continue;
		/* No progress with room to write: the input ran out. */
		if (rc == Z_BUF_ERROR)
			pk_unwrap_truncated(job);
		else
			pk_unwrap_corrupt(job, offset, "zlib",
					  z.msg ? z.msg : zError(rc));
		break;
	}
	inflateEnd(&z);
	return -1;
}

static const char *pk_lzma_why(lzma_ret rc)
{
	switch (rc) {
	case LZMA_FORMAT_ERROR:
		return "not in the format its magic says";
	case LZMA_OPTIONS_ERROR:
		return "unsupported compression options";
	case LZMA_DATA_ERROR:
		return "the compressed data is corrupt";
	case LZMA_MEM_ERROR:
		return "cannot allocate memory";
	case LZMA_UNSUPPORTED_CHECK:
		return "unsupported integrity check";
	default:
		return "decoder error";
	}
}

/*
 * xz (streams one after another, each followed by optional stream
 * padding, as xz(1) reads them) and the legacy .lzma format (one stream):
 * liblzma, its decoder memory bounded like the output.
 */
static int pk_unwrap_lzma(struct pk_unwrap_job *job, bool xz)
{
	lzma_stream s = LZMA_STREAM_INIT;
	size_t offset = 0;
	lzma_ret rc;

	for (;;) {
		rc = xz ? lzma_stream_decoder(&s, job->limit, 0) :
			  lzma_alone_decoder(&s, job->limit);
		if (rc != LZMA_OK)
			return pk_error("%s %s: liblzma cannot start (%s)",
					job->what, job->name,
					pk_lzma_why(rc));
		s.next_in = job->in + offset;
		s.avail_in = job->in_size - offset;
		do {
			size_t room;

			s.next_out = pk_unwrap_room(job, &room);
			s.avail_out = room;
			rc = lzma_code(&s, LZMA_FINISH);
			if (pk_unwrap_produced(job, room - s.avail_out))
				goto fail;
		} while (rc == LZMA_OK);
		offset = (size_t)(s.next_in - job->in);
		if (rc == LZMA_BUF_ERROR) {
			pk_unwrap_truncated(job);
			goto fail;
		}
		if (rc == LZMA_MEMLIMIT_ERROR) {
			pk_error("%s %s: %s data needs 0x%llx bytes of decoder "
				 "memory, more than %s (0x%llx bytes)",
				 job->what, job->name, job->format,
				 HEX(lzma_memusage(&s)), job->limit_what,
				 HEX(job->limit));
			goto fail;
		}
		if (rc != LZMA_STREAM_END) {
			pk_unwrap_corrupt(job, offset, "liblzma",
					  pk_lzma_why(rc));
			goto fail;
		}
		/* xz's stream padding: NUL bytes, four at a time. */
		while (xz && job->in_size - offset >= 4 &&
		       !memcmp(job->in + offset, "\0\0\0\0", 4))
			offset += 4;
		if (offset == job->in_size ||
		    pk_unwrap_size_trailer(job, offset))
			break;
		if (!xz || !pk_magic_at(job, offset, "\xfd" "7zXZ\0", 6)) {
			pk_unwrap_trailing(job, offset);
			goto fail;
		}
	}
	lzma_end(&s);
	return 0;
fail:
	lzma_end(&s);
	return -1;
}

/* Is offset the start of an LZ4 frame or skippable frame? */
static bool pk_lz4_frame_at(const struct pk_unwrap_job *job, size_t offset)
{
	uint32_t magic;

	if (job->in_size - offset < 4)
		return false;
	magic = (uint32_t)pk_load_uint(job->in + offset, 4, false);
	return magic == LZ4F_MAGICNUMBER ||
	       (magic & 0xfffffff0u) == LZ4F_MAGIC_SKIPPABLE_START;
}

/* LZ4 frames (lz4 --frame, the default), one after another: liblz4. */
static int pk_unwrap_lz4_frame(struct pk_unwrap_job *job)
{
	LZ4F_dctx *dctx;
	size_t offset = 0, hint = 1, given;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx,
							 LZ4F_VERSION)))
		return pk_error("%s %s: liblz4 cannot start", job->what,
				job->name);
	for (;;) {
		size_t room, dst_size, src_size = job->in_size - offset;
		uint8_t *dst;

		/* hint 0: a frame ended where the next may start. */
		if (hint == 0 && (offset == job->in_size ||
				  pk_unwrap_size_trailer(job, offset)))
			break;
		if (hint == 0 && !pk_lz4_frame_at(job, offset)) {
			pk_unwrap_trailing(job, offset);
			goto fail;
		}
		dst = pk_unwrap_room(job, &room);
		dst_size = room;
		/* A chunk at a time, so an error can say where it was. */
		if (src_size > PK_UNWRAP_CHUNK)
			src_size = PK_UNWRAP_CHUNK;
		given = src_size;
		hint = LZ4F_decompress(dctx, dst, &dst_size, job->in + offset,
				       &src_size, NULL);
		if (LZ4F_isError(hint)) {
			pk_unwrap_corrupt(job, offset + given, "liblz4",
					  LZ4F_getErrorName(hint));
			goto fail;
		}
		offset += src_size;
		if (pk_unwrap_produced(job, dst_size))
			goto fail;
		/* Nothing taken, nothing given, more wanted: input is over. */
		if (hint && !src_size && !dst_size) {
			pk_unwrap_truncated(job);
			goto fail;
		}
	}
	LZ4F_freeDecompressionContext(dctx);
	return 0;
fail:
	LZ4F_freeDecompressionContext(dctx);
	return -1;
}

/*
 * The LZ4 legacy format (lz4 -l), which the kernel's build and
 * initramfs-tools write: the magic, then blocks of at most 8 MiB, each
 * after its 4-byte compressed size; a magic again starts a new file.
 * liblz4 decompresses each block; the framing is the format's.
 */
static int pk_unwrap_lz4_legacy(struct pk_unwrap_job *job)
{
	const size_t bound = (size_t)LZ4_compressBound(PK_LZ4_LEGACY_BLOCK);
	size_t offset = 4;

	while (offset < job->in_size) {
		size_t room;
		uint32_t chunk;
		uint8_t *dst;
		int n;

		if (pk_unwrap_size_trailer(job, offset))
			break;
		if (job->in_size - offset < 4)
			return pk_unwrap_truncated(job);
		chunk = (uint32_t)pk_load_uint(job->in + offset, 4, false);
		offset += 4;
		if (chunk == PK_LZ4_LEGACY_MAGIC)
			continue;
		if (chunk > bound)
			return pk_unwrap_corrupt(job, offset - 4, "lz4 legacy",
						 "a block larger than an 8 "
						 "MiB block compresses to");
		if (chunk > job->in_size - offset)
			return pk_unwrap_truncated(job);
		dst = pk_unwrap_room(job, &room);
		n = LZ4_decompress_safe((const char *)job->in + offset,
					(char *)dst, (int)chunk,
					(int)(room < PK_LZ4_LEGACY_BLOCK ?
					      room : PK_LZ4_LEGACY_BLOCK));
		if (n < 0)
			return pk_unwrap_corrupt(job, offset, "liblz4",
						 "malformed block");
		offset += chunk;
		if (pk_unwrap_produced(job, (size_t)n))
			return -1;
	}
	return 0;
}

/* Is offset the start of a zstd frame or skippable frame? */
static bool pk_zstd_frame_at(const struct pk_unwrap_job *job, size_t offset)
{
	uint32_t magic;

	if (job->in_size - offset < 4)
		return false;
	magic = (uint32_t)pk_load_uint(job->in + offset, 4, false);
	return magic == ZSTD_MAGICNUMBER ||
	       (magic & ZSTD_MAGIC_SKIPPABLE_MASK) ==
		       ZSTD_MAGIC_SKIPPABLE_START;
}

/* zstd frames, one after another (RFC 8878 3): libzstd. */
static int pk_unwrap_zstd(struct pk_unwrap_job *job)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer in = { job->in, job->in_size, 0 };
	size_t ret = 1;

	if (!z || ZSTD_isError(ZSTD_initDStream(z)))
		return pk_error("%s %s: libzstd cannot start", job->what,
				job->name);
	for (;;) {
		ZSTD_outBuffer out;
		size_t room;

		/* ret 0: a frame ended, decoded and flushed. */
		if (ret == 0 && (in.pos == job->in_size ||
				 pk_unwrap_size_trailer(job, in.pos)))
			break;
		if (ret == 0 && !pk_zstd_frame_at(job, in.pos)) {
			pk_unwrap_trailing(job, in.pos);
			goto fail;
		}
		out.dst = pk_unwrap_room(job, &room);
		out.size = room;
		out.pos = 0;
		/* A chunk at a time, so an error can say where it was. */
		in.size = job->in_size - in.pos > PK_UNWRAP_CHUNK ?
				  in.pos + PK_UNWRAP_CHUNK : job->in_size;
		ret = ZSTD_decompressStream(z, &out, &in);
		if (ZSTD_isError(ret)) {
			pk_unwrap_corrupt(job, in.size, "libzstd",
					  ZSTD_getErrorName(ret));
			goto fail;
		}
		if (pk_unwrap_produced(job, out.pos))
			goto fail;
		/* Room left over and all input taken, yet more wanted. */
		if (ret && in.pos == job->in_size && out.pos < out.size) {
			pk_unwrap_truncated(job);
			goto fail;
		}
	}
	ZSTD_freeDStream(z);
	return 0;
fail:
	ZSTD_freeDStream(z);
	return -1;
}

static int pk_unwrap_xz(struct pk_unwrap_job *job)
{
	return pk_unwrap_lzma(job, true);
}

static int pk_unwrap_lzma_alone(struct pk_unwrap_job *job)
{
	return pk_unwrap_lzma(job, false);
}

static const struct pk_unwrap_format {
	const char *name;
	const char *magic;
	size_t magic_size;
	int (*decode)(struct pk_unwrap_job *job);
	const char *instead;	/* not decompressed: what to run */
} pk_unwrap_formats[] = {
	/* RFC 1952: ID1 ID2 CM=8 (deflate); zlib judges the rest. */
	{ "gzip", "\x1f\x8b\x08", 3, pk_unwrap_gzip, NULL },
	{ "xz", "\xfd" "7zXZ\0", 6, pk_unwrap_xz, NULL },
	/* The legacy .lzma header: lc=3 lp=0 pb=2 and a dictionary size
	 * below 16 MiB, as lzma(1) and the kernel's build write it. */
	{ "lzma", "\x5d\x00\x00", 3, pk_unwrap_lzma_alone, NULL },
	{ "lz4", "\x04\x22\x4d\x18", 4, pk_unwrap_lz4_frame, NULL },
	{ "lz4", "\x02\x21\x4c\x18", 4, pk_unwrap_lz4_legacy, NULL },
	{ "zstd", "\x28\xb5\x2f\xfd", 4, pk_unwrap_zstd, NULL },
	{ "bzip2", "BZh", 3, NULL, "bunzip2" },
	{ "lzop", "\x89LZO\0\r\n\x1a\n", 9, NULL, "lzop -d" },
};

static const struct pk_unwrap_format *pk_unwrap_find(const uint8_t *data,
						     size_t size)
{
	for (size_t i = 0; i < sizeof(pk_unwrap_formats) /
			       sizeof(pk_unwrap_formats[0]); i++) {
		const struct pk_unwrap_format *f = &pk_unwrap_formats[i];

		if (size >= f->magic_size &&
		    !memcmp(data, f->magic, f->magic_size))
			return f;
	}
	return NULL;
}

const char *pk_unwrap_format(const uint8_t *data, size_t size)
{
	const struct pk_unwrap_format *f = pk_unwrap_find(data, size);

	return f ? f->name : NULL;
}

static int pk_unwrap_pass(const struct pk_unwrap_format *f,
			  struct pk_unwrap_job *job)
{
	job->used = 0;
	return f->decode(job);
}

int pk_unwrap(const uint8_t *data, size_t size, const char *what,
	      const char *name, uint8_t **out, size_t *out_size,
	      const char **format)
{
	static uint8_t window[1 << 16];
	const struct pk_unwrap_format *f = pk_unwrap_find(data, size);
	struct pk_unwrap_job job = {
		.in = data, .in_size = size, .what = what, .name = name,
	};
	char limit_what[200];
	uint64_t counted;
	int ret;

	*out = NULL;
	*out_size = 0;
	if (format)
		*format = NULL;
	if (!f)
		return 0;
	if (f->instead)
		return pk_error("%s %s: %s data, which purgkit-load does not "
				"decompress: run %s on it first", what, name,
				f->name, f->instead);
	job.format = f->name;
	job.limit = pk_unwrap_limit(limit_what, sizeof(limit_what));
	job.limit_what = limit_what;
	/* An LZ4 legacy block is decompressed whole: 8 MiB of window. */
	job.scratch_size = f->decode == pk_unwrap_lz4_legacy ?
				   PK_LZ4_LEGACY_BLOCK : sizeof(window);
	job.scratch = job.scratch_size == sizeof(window) ?
			      window : pk_xzalloc(job.scratch_size);
	ret = pk_unwrap_pass(f, &job);
	if (job.scratch != window)
		free(job.scratch);
	if (ret)
		return -1;
	if (job.used == 0)
		return pk_error("%s %s: the %s data decompresses to nothing",
				what, name, f->name);
	counted = job.used;
	job.size = counted;
	job.out = pk_xzalloc(counted + 1);
	job.scratch = NULL;
	job.scratch_size = SIZE_MAX;
	if (pk_unwrap_pass(f, &job) || job.used != counted) {
		if (!pk_error_message())
			pk_error("%s %s: %s data decompressed to 0x%llx bytes, "
				 "then to 0x%llx", what, name, f->name,
				 HEX(counted), HEX(job.used));
		free(job.out);
		return -1;
	}
	pk_debug("%s %s: %s, decompressed from %zu to %llu bytes", what, name,
		 f->name, size, HEX(counted));
	*out = job.out;
	*out_size = counted;
	if (format)
		*format = f->name;
	return 0;
}

int pk_file_inflate(struct pk_file *file, const char *what)
{
	const char *format;
	uint8_t *data;
	size_t size;

	if (pk_unwrap(file->data, file->size, what, file->path, &data, &size,
		      &format)) {
		pk_file_free(file);
		return -1;
	}
	if (!data)
		return 0;
	free(file->data);
	file->unwrapped = format;
	file->packed_size = file->size;
	file->data = data;
	file->size = size;
	return 0;
}

void pk_file_free(struct pk_file *file)
{
	free(file->data);
	file->data = NULL;
	file->size = 0;
}

bool pk_word_in(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; p && (p = strstr(p, word)); p += len)
		if ((p == list || p[-1] == ' ') &&
		    (p[len] == '\0' || p[len] == ' '))
			return true;
	return false;
}

int pk_parse_u64(const char *text, uint64_t *value)
{
	return pk_number_parse(text, value) ? -1 : 0;
}

int pk_parse_number(const char *what, const char *text, uint64_t *value)
{
	const char *why = pk_number_parse(text, value);

	if (why)
		return pk_error("%s: '%s' %s", what, text, why);
	return 0;
}

static bool pk_stdout_closed;

void pk_guard_standard_fds(void)
{
	/*
	 * A closed 0, 1 or 2 would be handed to the next open(): a segment
	 * dump could then receive the plan, or stderr's messages.  Hold each
	 * with /dev/null, and remember that stdout's reader is gone.
	 */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (fd == 1)
			pk_stdout_closed = true;
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			exit(1);
	}
}

int pk_stdout_flush(void)
{
	if (pk_stdout_closed)
		return pk_error("standard output is closed: the plan has "
				"nowhere to go");
	/* A plan that did not reach its reader is a failure (/dev/full). */
	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		return pk_error("standard output: write failed: %s",
				strerror(errno ? errno : EIO));
	return 0;
}
