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

static bool pk_file_is_gzip(const struct pk_file *file)
{
	/* RFC 1952: ID1 ID2 CM=8 (deflate); zlib judges the rest. */
	return file->size >= 3 && file->data[0] == 0x1f &&
	       file->data[1] == 0x8b && file->data[2] == 8;
}

/*
 * The most a gzip file may inflate to, whatever the target's RAM: more
 * than any kernel, hypervisor or module purgkit loads, and bounded so a
 * map declaring 64 GiB cannot make a 6 MB file cost minutes and the
 * host's memory.
 */
#define PK_INFLATE_MAX (1ull << 31)

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

/* The inflate bound: the least of the three, and what it is, for people. */
static uint64_t pk_inflate_limit(char *what, size_t size)
{
	uint64_t limit = pk_file_limit, host = pk_host_memory_available();

	snprintf(what, size, "%s", pk_file_limit_what);
	if (PK_INFLATE_MAX < limit) {
		limit = PK_INFLATE_MAX;
		snprintf(what, size, "the 2 GiB purgkit inflates at most");
	}
	if (host && host < limit) {
		limit = host;
		snprintf(what, size, "the memory this host has available");
	}
	return limit;
}

/*
 * One pass over every member of a gzip file (RFC 1952 2.2: members one
 * after another make one file).  With out NULL it only counts, through a
 * small window, so the size is known and bounded before anything is
 * allocated; with out it fills exactly *total bytes.  Trailing bytes that
 * are not a member are refused, not ignored.
 */
static int pk_inflate_pass(const struct pk_file *file, const char *what,
			   uint8_t *out, uint64_t limit,
			   const char *limit_what, uint64_t *total)
{
	static uint8_t window[1 << 16];
	uint64_t used = 0, size = out ? *total : limit;
	size_t offset;
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return pk_error("%s %s: zlib cannot start", what, file->path);
	for (;;) {
		uInt room;

		offset = (size_t)(z.next_in ? z.next_in - file->data : 0);
		if (z.avail_in == 0 && offset < file->size) {
			z.next_in = file->data + offset;
			z.avail_in = (uInt)(file->size - offset < UINT32_MAX ?
					    file->size - offset : UINT32_MAX);
		}
		if (out) {
			z.next_out = out + used;
			room = (uInt)(size - used < UINT32_MAX ? size - used :
								 UINT32_MAX);
		} else {
			z.next_out = window;
			room = sizeof(window);
		}
		z.avail_out = room;
		rc = inflate(&z, Z_NO_FLUSH);
		used += room - z.avail_out;
		offset = (size_t)(z.next_in - file->data);
		if (used > limit) {
			inflateEnd(&z);
			return pk_error("%s %s: gzip data inflates to more than "
					"%s (0x%llx bytes)", what, file->path,
					limit_what, HEX(limit));
		}
		if (rc == Z_STREAM_END) {
			if (offset == file->size)
				break;
			if (file->size - offset >= 2 &&
			    file->data[offset] == 0x1f &&
			    file->data[offset + 1] == 0x8b &&
			    inflateReset(&z) == Z_OK)
				continue;
			inflateEnd(&z);
			return pk_error("%s %s: 0x%zx bytes of trailing data "
					"after the gzip data ends at 0x%zx",
					what, file->path, file->size - offset,
					offset);
		}
		if (rc == Z_OK || (rc == Z_BUF_ERROR && !z.avail_out &&
				   used < size))
			continue;
		inflateEnd(&z);
		return pk_error("%s %s: corrupt or truncated gzip data (zlib: "
				"%s)", what, file->path,
				rc == Z_BUF_ERROR ? "unexpected end of input" :
				z.msg ? z.msg : zError(rc));
	}
	inflateEnd(&z);
	if (out && used != size)
		return pk_error("%s %s: gzip data inflated to 0x%llx bytes, "
				"then to 0x%llx", what, file->path, HEX(size),
				HEX(used));
	*total = used;
	return 0;
}

int pk_file_inflate(struct pk_file *file, const char *what)
{
	char limit_what[200];
	uint64_t limit, size = 0;
	uint8_t *buf;

	if (!pk_file_is_gzip(file))
		return 0;
	limit = pk_inflate_limit(limit_what, sizeof(limit_what));
	if (pk_inflate_pass(file, what, NULL, limit, limit_what, &size))
		goto fail;
	if (size == 0) {
		pk_error("%s %s: the gzip data inflates to nothing", what,
			 file->path);
		goto fail;
	}
	buf = pk_xzalloc(size);
	if (pk_inflate_pass(file, what, buf, limit, limit_what, &size)) {
		free(buf);
		goto fail;
	}
	pk_debug("%s %s: gzip, inflated from %zu to %llu bytes", what,
		 file->path, file->size, HEX(size));
	free(file->data);
	file->data = buf;
	file->size = size;
	return 0;
fail:
	pk_file_free(file);
	return -1;
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
