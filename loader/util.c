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

#include <zlib.h>

#include "util.h"

bool pk_debug_enabled;
static char pk_error_line[1024];
static bool pk_error_set;

int pk_error(const char *fmt, ...)
{
	va_list ap;

	if (pk_error_set)
		return -1;
	va_start(ap, fmt);
	vsnprintf(pk_error_line, sizeof(pk_error_line), fmt, ap);
	va_end(ap);
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

static bool pk_file_is_gzip(const struct pk_file *file)
{
	/* RFC 1952: ID1 ID2 CM=8 (deflate), and room for header + trailer. */
	return file->size >= 18 && file->data[0] == 0x1f &&
	       file->data[1] == 0x8b && file->data[2] == 8;
}

int pk_file_inflate(struct pk_file *file, const char *what)
{
	size_t cap, used = 0;
	uint32_t isize;
	uint8_t *buf;
	z_stream z;
	int rc;

	if (!pk_file_is_gzip(file))
		return 0;
	/* The trailer's ISIZE (the size mod 2^32) is the first guess. */
	isize = (uint32_t)pk_load_uint(file->data + file->size - 4, 4, false);
	cap = isize && isize <= pk_file_limit ? isize : 1 << 20;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return pk_error("%s %s: zlib cannot start", what, file->path);
	buf = pk_xzalloc(cap);
	z.next_in = file->data;
	z.avail_in = (uInt)(file->size < UINT32_MAX ? file->size : UINT32_MAX);
	for (;;) {
		z.next_out = buf + used;
		z.avail_out = (uInt)(cap - used < UINT32_MAX ? cap - used :
							      UINT32_MAX);
		rc = inflate(&z, Z_NO_FLUSH);
		used = (size_t)(z.next_out - buf);
		/* Members one after another make one file (RFC 1952 2.2). */
		if (rc == Z_STREAM_END && z.avail_in >= 2 &&
		    z.next_in[0] == 0x1f && z.next_in[1] == 0x8b &&
		    inflateReset(&z) == Z_OK)
			rc = Z_OK;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			break;
		if (rc == Z_BUF_ERROR && z.avail_out)
			break;	/* no progress with room left: input ended */
		if (used < cap)
			continue;
		if (cap >= pk_file_limit) {
			inflateEnd(&z);
			free(buf);
			return pk_error("%s %s: gzip data inflates to more than "
					"%s (0x%llx bytes)", what, file->path,
					pk_file_limit_what, HEX(pk_file_limit));
		}
		cap = cap * 2 < pk_file_limit ? cap * 2 : pk_file_limit;
		buf = pk_xrealloc(buf, cap);
	}
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return pk_error("%s %s: corrupt or truncated gzip data (zlib: "
				"%s)", what, file->path,
				z.msg ? z.msg : "unexpected end of input");
	}
	pk_debug("%s %s: gzip, inflated from %zu to %zu bytes", what,
		 file->path, file->size, used);
	free(file->data);
	file->data = used ? buf : pk_xrealloc(buf, 1);
	file->size = used;
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
