/* SPDX-License-Identifier: MIT */
/*
 * The one integer grammar and the one bounded file reader (purgkit/input.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <purgkit/input.h>

static int pk_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pk_number_is_hex(const char *text)
{
	return text && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

const char *pk_number_parse(const char *text, uint64_t *value)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p = text;

	if (!text || !*text)
		return "is empty, not a number";
	if (pk_number_is_hex(text)) {
		base = 16;
		p += 2;
		if (!*p)
			return "has no digits after 0x";
	} else if (text[0] == '0' && text[1] >= '0' && text[1] <= '9') {
		return "has a leading zero (octal or decimal?): write it in "
		       "decimal without it, or in hex with 0x";
	}
	for (; *p; p++) {
		int d = pk_hex_digit(*p);

		if (d < 0 || (unsigned int)d >= base)
			return base == 16 ? "is not a hex number (0x then "
					    "0-9a-f only)" :
					    "is not a number (decimal, or hex "
					    "with 0x; no sign or suffix)";
		if (v > (UINT64_MAX - d) / base)
			return "does not fit in 64 bits";
		v = v * base + d;
	}
	*value = v;
	return NULL;
}

static const char *pk_file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO or pipe";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a regular file";
}

/* Read exactly want bytes; returns bytes read (less at end of file) or -1. */
static ssize_t pk_read_full(int fd, uint8_t *buf, size_t want)
{
	size_t got = 0;

	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

/* The ELF magic at offset 0, read alone before the whole file. */
static int pk_check_elf_magic(int fd, const char *what, const char *path,
			      char *err, size_t errlen)
{
	uint8_t magic[4] = { 0 };
	ssize_t got = pread(fd, magic, sizeof(magic), 0);

	if (got == (ssize_t)sizeof(magic) && !memcmp(magic, "\x7f" "ELF", 4))
		return 0;
	if (got < 0)
		snprintf(err, errlen, "%s %s: read failed: %s", what, path,
			 strerror(errno));
	else
		snprintf(err, errlen, "%s %s: not an ELF file (it does not "
			 "start with 7f 45 4c 46)", what, path);
	return -1;
}

int pk_input_read(const char *path, const char *what, uint64_t limit,
		  const char *limit_what, unsigned int flags, uint8_t **data,
		  size_t *size, char *err, size_t errlen)
{
	struct stat st;
	uint64_t want;
	uint8_t *buf;
	ssize_t got;
	int device, fd;

	*data = NULL;
	*size = 0;
	if (limit > SIZE_MAX - 1)
		limit = SIZE_MAX - 1;
	if (!*path) {
		snprintf(err, errlen, "%s: the file name is empty", what);
		return -1;
	}
	/* O_NONBLOCK: opening a FIFO without a writer must not hang. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;

		/* A socket cannot be opened (ENXIO): name what it is. */
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
		    !S_ISCHR(st.st_mode))
			snprintf(err, errlen, "%s %s: is %s, not a regular "
				 "file", what, path, pk_file_kind(st.st_mode));
		else
			snprintf(err, errlen, "%s %s: %s", what, path,
				 strerror(e));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s %s: %s", what, path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	device = S_ISCHR(st.st_mode) && (flags & PK_INPUT_DEVICE);
	if (!S_ISREG(st.st_mode) && !device) {
		snprintf(err, errlen, "%s %s: is %s, not a regular file%s",
			 what, path, pk_file_kind(st.st_mode),
			 flags & PK_INPUT_DEVICE ?
				 " or a character device" : "");
		close(fd);
		return -1;
	}
	if (device) {
		/* Blocking reads from here: the user named this device. */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		want = limit;
	} else {
		if ((uint64_t)st.st_size > limit) {
			snprintf(err, errlen, "%s %s: is %llu bytes, more "
				 "than %s", what, path,
				 (unsigned long long)st.st_size, limit_what);
			close(fd);
			return -1;
		}
		if (st.st_size == 0 && pk_read_full(fd, (uint8_t[1]){ 0 },
						    1) == 1) {
			snprintf(err, errlen, "%s %s: its size reads as 0 but "
				 "it holds data (a /proc or /sys file?): copy "
				 "it to a regular file first", what, path);
			close(fd);
			return -1;
		}
		if (st.st_size == 0 && (flags & PK_INPUT_NONEMPTY)) {
			snprintf(err, errlen, "%s %s: the file is empty",
				 what, path);
			close(fd);
			return -1;
		}
		want = st.st_size;
		if ((flags & PK_INPUT_ELF) && pk_check_elf_magic(fd, what, path,
							       err, errlen)) {
			close(fd);
			return -1;
		}
	}
	buf = malloc(want + 1);
	if (!buf) {
		snprintf(err, errlen, "%s %s: out of memory for %llu bytes",
			 what, path, (unsigned long long)want);
		close(fd);
		return -1;
	}
	/* One byte more than wanted tells a file that grew meanwhile. */
	got = pk_read_full(fd, buf, device ? want : want + 1);
	if (got < 0 || (uint64_t)got != want) {
		int e = errno;

		if (got < 0)
			snprintf(err, errlen, "%s %s: read failed: %s", what,
				 path, strerror(e));
		else if (device)
			snprintf(err, errlen, "%s %s: the device gave %lld "
				 "bytes, not the %llu of %s", what, path,
				 (long long)got, (unsigned long long)want,
				 limit_what);
		else
			snprintf(err, errlen, "%s %s: the file changed size "
				 "while it was read", what, path);
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	buf[want] = '\0';	/* the contract's NUL (purgkit/input.h) */
	*data = buf;
	*size = want;
	return 0;
}

/* The length of the valid UTF-8 sequence at p, or 0. */
static size_t pk_utf8_length(const unsigned char *p)
{
	size_t n;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and past U+10FFFF are not text. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

void pk_text_escape(const char *text, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t used = 0;

	if (!size)
		return;
	while (*p) {
		char piece[8];
		size_t n = pk_utf8_length(p), len;

		if (n == 1 && *p == '\n')
			len = (size_t)snprintf(piece, sizeof(piece), "\\n");
		else if (n == 1 && *p == '\t')
			len = (size_t)snprintf(piece, sizeof(piece), "\\t");
		else if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f))) {
			len = (size_t)snprintf(piece, sizeof(piece), "\\x%02x",
					       *p);
			n = 1;
		} else {
			len = n;
			memcpy(piece, p, n);
		}
		if (used + len >= size)
			break;
		memcpy(out + used, piece, len);
		used += len;
		p += n;
	}
	out[used] = '\0';
}

void pk_option_refusal(const struct option *options, const char *arg,
		       int optopt_value, int missing_value, char *out,
		       size_t size)
{
	char shown[256], names[256] = "";
	const struct option *found = NULL;
	size_t len, matches = 0;
	const char *eq;

	pk_text_escape(arg ? arg : "", shown, sizeof(shown));
	if (!arg || strncmp(arg, "--", 2) || !arg[2]) {
		/* A short option: optopt is the letter when it is one. */
		if (missing_value && optopt_value > ' ' && optopt_value < 0x7f)
			snprintf(out, size, "option '-%c' needs a value",
				 optopt_value);
		else if (optopt_value > ' ' && optopt_value < 0x7f)
			snprintf(out, size, "unknown option '-%c'",
				 optopt_value);
		else
			snprintf(out, size, "unknown option '%s'", shown);
		return;
	}
	eq = strchr(arg + 2, '=');
	len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	for (const struct option *o = options; o->name; o++) {
		if (strncmp(o->name, arg + 2, len))
			continue;
		if (strlen(o->name) == len) {
			found = o;
			matches = 1;
			break;
		}
		/* Two names for one option are one match (getopt agrees). */
		if (found && found->has_arg == o->has_arg &&
		    found->val == o->val && found->flag == o->flag)
			continue;
		if (matches++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), ", ");
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "--%s", o->name);
		found = o;
	}
	if (matches > 1)
		snprintf(out, size, "option '%.*s' is ambiguous: %s",
			 (int)strcspn(shown, "="), shown, names);
	else if (found && eq && found->has_arg == no_argument)
		snprintf(out, size, "option '--%s' takes no value ('%s')",
			 found->name, shown);
	else if (found && found->has_arg == required_argument)
		snprintf(out, size, "option '--%s' needs a value",
			 found->name);
	else
		snprintf(out, size, "unknown option '%s'", shown);
}

void pk_nearest_init(struct pk_nearest *nearest, const char *typed)
{
	nearest->typed = typed;
	nearest->best = NULL;
	nearest->distance = SIZE_MAX;
}

/* Edit distance (insert, delete, change, swap two neighbours), ignoring
 * case; names longer than 63 bytes are not typos of anything. */
static size_t pk_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[64][64];

	if (la > 63 || lb > 63)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ai = tolower((unsigned char)a[i - 1]);
			int bj = tolower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + (ai != bj);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && d[i - 2][j - 2] + 1 < best &&
			    ai == tolower((unsigned char)b[j - 2]) &&
			    bj == tolower((unsigned char)a[i - 2]))
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

void pk_nearest_offer(struct pk_nearest *nearest, const char *name)
{
	size_t distance = pk_edit_distance(nearest->typed, name);

	if (distance < nearest->distance) {
		nearest->distance = distance;
		nearest->best = name;
	}
}

const char *pk_nearest_hint(const struct pk_nearest *nearest, char *buf,
			    size_t len)
{
	size_t limit = strlen(nearest->typed) / 3;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	if (!nearest->best || !strcmp(nearest->best, nearest->typed) ||
	    nearest->distance > limit)
		return "";
	snprintf(buf, len, "; did you mean '%s'?", nearest->best);
	return buf;
}
