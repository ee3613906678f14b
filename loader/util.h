/* SPDX-License-Identifier: MIT */
/*
 * purgkit-load's lowest layer: messages, whole-file input, the one integer
 * grammar, allocation that cannot fail, and stdout's guard.  It knows no
 * plan and no architecture; every other loader header builds on it.
 *
 * Errors: every function that can fail returns 0 or -1.  On -1 the first
 * pk_error() of the run holds one line for the user; main() prints it and
 * exits non-zero.  Nothing reaches the kernel unless the whole plan
 * succeeded.
 */
#ifndef PURGKIT_LOADER_UTIL_H
#define PURGKIT_LOADER_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <purgkit/input.h>

/* A 64-bit value for printf's %llx/%llu, whatever uint64_t is. */
#define HEX(x) ((unsigned long long)(x))

/* ---- messages ---------------------------------------------------------- */

/* Record the run's error (the first one wins) and return -1. */
int pk_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The recorded error, or NULL. */
const char *pk_error_message(void);
/* Forget it (for a process that builds more than one plan: the fuzzers). */
void pk_error_reset(void);
/* Explain a decision on stderr when -d/--debug is given. */
void pk_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool pk_debug_enabled;

/* Flush stdout; -1 with one line if anything written to it was lost. */
int pk_stdout_flush(void);
/* Call first in main: hold closed fds 0-2 so no file lands on them. */
void pk_guard_standard_fds(void);

/* ---- files ------------------------------------------------------------- */

struct pk_file {
	const char *path;
	uint8_t *data;
	size_t size;
	/* Set by pk_file_inflate when it decompressed the file: the format
	 * ("zstd"...) and the file's own size. */
	const char *unwrapped;
	size_t packed_size;
};

/*
 * Read a whole regular, non-empty file; `what` names it in the error
 * ("initrd", "module").  A FIFO, device or directory is refused before a
 * byte is read, and so is a file larger than the limit (the target's RAM,
 * pk_file_set_limit) -- purgkit/input.h's one reader.
 */
int pk_file_read(const char *path, const char *what, struct pk_file *file);
/*
 * A compressed file -- gzip, xz, lzma, lz4 (frame or legacy) or zstd, by
 * its magic (pk_unwrap) -- is replaced by its decompressed bytes, and
 * file->unwrapped says which format it was; any other file is left as it
 * is.  On failure the file is freed (pk_file_free).  Payloads and
 * Multiboot modules go through it, as GRUB and kexec-tools decompress
 * them (Debian ships Xen as xen-*.gz); initrds do not: the kernel unpacks
 * those (docs/loader.md).
 */
int pk_file_inflate(struct pk_file *file, const char *what);
/*
 * Unwrap by magic: when data starts with the magic of a compressed format
 * (pk_unwrap_format), decompress it through its library (zlib, liblzma,
 * liblz4, libzstd) into *out (malloc'd, *out_size bytes) and name the
 * format in *format (may be NULL); otherwise return 0 with *out NULL.
 * The output is counted first, through a small window, and bounded by
 * the least of the target's RAM (pk_file_set_limit), 2 GiB and the memory
 * the host has available, before it is allocated.  Streams or members one
 * after another make one output, as the format's own tool reads them; the
 * 4-byte size the kernel's build appends (size_append) may follow the
 * last; any other trailing byte, truncated or corrupt data, and data that
 * decompresses to nothing are refused in one line naming `what` and
 * `name` ("payload", the path).  bzip2 and lzop are recognised and
 * refused, saying what to run.  For a payload inside another format (an
 * EFI zboot image's payload, a PE section), call it on those bytes.
 */
int pk_unwrap(const uint8_t *data, size_t size, const char *what,
	      const char *name, uint8_t **out, size_t *out_size,
	      const char **format);
/* The compressed format data starts with ("gzip", "xz", "lzma", "lz4",
 * "zstd", "bzip2", "lzop"), or NULL. */
const char *pk_unwrap_format(const uint8_t *data, size_t size);
/* Bound every later pk_file_read; `why` says what bounds it, for people. */
void pk_file_set_limit(uint64_t bytes, const char *why);
void pk_file_free(struct pk_file *file);

/* ---- small helpers ------------------------------------------------------ */

/*
 * Parse an integer in the one grammar (purgkit/input.h, docs/loader.md:
 * decimal, or hex with 0x; no sign, suffix or leading zero).  pk_parse_u64
 * only says no; pk_parse_number records "WHAT: 'TEXT' why".
 */
int pk_parse_u64(const char *text, uint64_t *value);
int pk_parse_number(const char *what, const char *text, uint64_t *value);
/* Is word one of the space-separated words of list (NULL: none)? */
bool pk_word_in(const char *list, const char *word);
/* Allocation that cannot fail: on exhaustion, one line and exit(1). */
void *pk_xzalloc(size_t size);
void *pk_xrealloc(void *old, size_t size);
char *pk_xstrdup(const char *text);
/*
 * Make room for element number `count` (0-based) of an array built only
 * by this call: its capacity is implied by count (at least 8, then the
 * next power of two), so appending n elements costs O(n), with no
 * capacity field.  Returns the array, moved or not.
 */
void *pk_xgrow(void *array, size_t count, size_t element_size);

#endif /* PURGKIT_LOADER_UTIL_H */
