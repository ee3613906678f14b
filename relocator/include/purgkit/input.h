/* SPDX-License-Identifier: MIT */
/*
 * What a user types and what a user names: the one integer grammar and the
 * one bounded file reader, shared by purgkit-link and purgkit-load so a
 * number or a file means the same to both (docs/loader.md, "Numbers" and
 * "Files").  Host only; part of libpurgkit-reloc.
 */
#ifndef PURGKIT_INPUT_H
#define PURGKIT_INPUT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The integer grammar: "0" | [1-9][0-9]* | 0[xX][0-9a-fA-F]+, at most
 * 2^64-1; nothing before or after (no sign, no space, no suffix).  A
 * leading zero before a digit is refused: it reads as octal to C and as
 * decimal to people, so it is ambiguous.  Returns NULL with *value set,
 * or a phrase saying why not ("has a leading zero ..."), to be put after
 * the quoted text in one line.
 */
const char *pk_number_parse(const char *text, uint64_t *value);

/* Is text written in hex with 0x (the memory map's range form)? */
int pk_number_is_hex(const char *text);

/* pk_input_read flags. */
enum {
	/*
	 * Also read a character device (/dev/urandom, /dev/zero): exactly
	 * `limit` bytes are taken from it, since a device has no size.
	 */
	PK_INPUT_DEVICE = 1,
	/* An empty regular file is refused. */
	PK_INPUT_NONEMPTY = 2,
	/*
	 * The file must start with the ELF magic, checked before it is read
	 * whole: a 2 GiB file that is not an object costs nothing.
	 */
	PK_INPUT_ELF = 4,
};

/*
 * Read a whole regular file of at most `limit` bytes (UINT64_MAX: as
 * many as memory allows).  A FIFO, socket, directory or (without PK_INPUT_DEVICE) a
 * device is refused before a byte is read; opening never blocks.  On
 * failure returns -1 with one line in err: "WHAT PATH: why" (what:
 * "payload", "--set pk_seed", ...); *data is then NULL.  On success *data
 * is malloc'd and *size set; (*data)[*size] is a NUL byte that is not
 * counted, so *data is never NULL.  Parsers take the explicit size and
 * must not rely on that NUL (the fuzz targets feed them buffers without
 * one); it is there so a text parser's slip reads a terminator, not the
 * heap.  A file the kernel reports as empty but that holds data (/proc,
 * /sys) is refused by name: its size cannot be checked before reading.
 * `limit_what` says what bounds the read, for the message ("the target's
 * 1 GiB of RAM", "the symbol's 8 bytes").
 */
int pk_input_read(const char *path, const char *what, uint64_t limit,
		  const char *limit_what, unsigned int flags, uint8_t **data,
		  size_t *size, char *err, size_t errlen);

/*
 * Copy text into out (size bytes, always NUL-terminated) for one line of
 * a message: control bytes become \n, \t or \xNN, and so does every
 * byte that is not part of valid UTF-8, so a file name cannot break the
 * line, move the cursor or garble the terminal.
 */
void pk_text_escape(const char *text, char *out, size_t size);

struct option;
/*
 * Why getopt_long refused arg (argv[optind - 1]; optopt as it left it;
 * missing_value when it returned ':'), in the words of one line:
 * "option '--map' takes no value", "option '--re' is ambiguous: --reg,
 * --reuse-cmdline", "option '-l' needs a value", "unknown option '-x'".
 * `options` is the table given to getopt_long.
 */
void pk_option_refusal(const struct option *options, const char *arg,
		       int optopt_value, int missing_value, char *out,
		       size_t size);

/*
 * The name the user probably meant: offer every valid name, then ask.
 * The nearest by edit distance (ignoring case) wins when it is close
 * enough to be a typo: at most a third of the typed name's length, and
 * never more than 3 edits.  pk_nearest_hint gives "; did you mean 'X'?"
 * or "".
 */
struct pk_nearest {
	const char *typed;
	const char *best;
	size_t distance;
};
void pk_nearest_init(struct pk_nearest *nearest, const char *typed);
void pk_nearest_offer(struct pk_nearest *nearest, const char *name);
const char *pk_nearest_hint(const struct pk_nearest *nearest, char *buf,
			    size_t len);

#endif /* PURGKIT_INPUT_H */
