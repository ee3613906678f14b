/* SPDX-License-Identifier: MIT */
/*
 * libpurgkit-reloc: place a relocatable trampoline (ET_REL) at an address.
 *
 * Host library, any host, any supported target (x86_64, ppc64le ELFv2,
 * ppc64 big-endian ELFv1, riscv64), the target read from the ELF header.
 *
 *   pk_reloc_open    read and check the object; nothing is placed yet
 *   pk_reloc_place   lay out every SHF_ALLOC section from base upward (each
 *                    at its alignment, zero-filled sections last), resolve
 *                    symbols, apply every relocation
 *   pk_reloc_set     overwrite a symbol's bytes: only objects in .pk.patch
 *                    (PK_PATCHABLE, purgkit/patch.h) can be patched
 *   pk_reloc_image   the placed bytes, from base, zero-fill included
 *
 * Errors: every function that can fail returns 0 on success or -1, and
 * leaves one line for people in pk_reloc_error() naming what and where
 * (symbol, section, offset, relocation type).  After a failure the
 * object may only be closed.  Undefined symbols are all listed in that
 * one line.  Nothing is ever half-applied to the caller's view: the image
 * is only valid after a successful pk_reloc_place.
 */
#ifndef PURGKIT_RELOC_H
#define PURGKIT_RELOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pk_reloc;

enum pk_reloc_machine {
	PK_RELOC_X86_64 = 1,
	PK_RELOC_PPC64LE = 2,	/* ELFv2, little-endian */
	PK_RELOC_PPC64BE = 3,	/* ELFv1, big-endian, function descriptors */
	PK_RELOC_AARCH64 = 4,	/* little-endian */
	PK_RELOC_RISCV64 = 5,	/* RV64, little-endian, lp64 */
};

/* Open an ET_REL image held in memory (copied; the caller keeps buf). */
struct pk_reloc *pk_reloc_open(const void *buf, size_t len, const char *name,
			       char *err, size_t errlen);
/* Open a file. */
struct pk_reloc *pk_reloc_open_file(const char *path, char *err,
				    size_t errlen);
void pk_reloc_close(struct pk_reloc *r);

/* The last error, one line without a newline. */
const char *pk_reloc_error(const struct pk_reloc *r);

enum pk_reloc_machine pk_reloc_machine(const struct pk_reloc *r);
/* The machine table's name for it: "x86_64", "ppc64le" or "ppc64". */
const char *pk_reloc_machine_name(const struct pk_reloc *r);
int pk_reloc_big_endian(const struct pk_reloc *r);

/* Bytes the placed image needs (zero-fill included) and its alignment. */
uint64_t pk_reloc_size(const struct pk_reloc *r);
uint64_t pk_reloc_align(const struct pk_reloc *r);

/* Place at base and relocate.  May be called again with another base. */
int pk_reloc_place(struct pk_reloc *r, uint64_t base);

/* After place: the image, pk_reloc_size() bytes, valid until close/place. */
const uint8_t *pk_reloc_image(const struct pk_reloc *r);
uint64_t pk_reloc_base(const struct pk_reloc *r);
/*
 * Bytes of the image that hold file contents; the rest, up to
 * pk_reloc_size, is zero-fill (so a loader's segment needs only these).
 */
uint64_t pk_reloc_file_size(const struct pk_reloc *r);

struct pk_reloc_symbol {
	const char *name;
	uint64_t address;	/* placed address (after place) */
	uint64_t size;		/* st_size */
	const char *section;	/* its section's name */
	int zero_fill;		/* lives in a SHT_NOBITS section */
	int patchable;		/* lives in .pk.patch */
};

/* Look a defined symbol up.  Returns 0, or -1 (error set) if not found. */
int pk_reloc_symbol(struct pk_reloc *r, const char *name,
		    struct pk_reloc_symbol *out);
/*
 * Entry point: the address of symbol pk_entry (for ELFv1, the code
 * address, not its descriptor).
 */
int pk_reloc_entry(struct pk_reloc *r, uint64_t *entry);

/*
 * Overwrite symbol name with size bytes of data (already in the target's
 * byte order).  Fails if size != the symbol's size, if it lives outside
 * .pk.patch (a zero-filled section included), or before place.
 */
int pk_reloc_set(struct pk_reloc *r, const char *name, const void *data,
		 uint64_t size);
/* Write an integer of the symbol's size (1, 2, 4 or 8) in target order. */
int pk_reloc_set_int(struct pk_reloc *r, const char *name, uint64_t value);

/*
 * Overwrite symbol name with a value written as on a command line
 * (`--set NAME=VALUE` in purgkit-link and purgkit-load):
 *   an integer (decimal or 0x hex), written at the symbol's size in the
 *   target's byte order; "text" in double quotes, NUL-terminated and
 *   zero-padded to the symbol's size; or @FILE, whose bytes must be
 *   exactly the symbol's size.
 */
int pk_reloc_set_value(struct pk_reloc *r, const char *name,
		       const char *value);
/*
 * Is value an integer in pk_reloc_set_value's grammar?  If so, *integer
 * holds it (for a caller that shows what was written).
 */
bool pk_reloc_value_is_integer(const char *value, uint64_t *integer);

/* Iterate sections and patchable symbols (for --map and loaders). */
struct pk_reloc_section {
	const char *name;
	uint64_t address, size, align;
	int zero_fill;
};
size_t pk_reloc_section_count(const struct pk_reloc *r);
int pk_reloc_section_at(const struct pk_reloc *r, size_t i,
			struct pk_reloc_section *out);
size_t pk_reloc_patchable_count(const struct pk_reloc *r);
int pk_reloc_patchable_at(const struct pk_reloc *r, size_t i,
			  struct pk_reloc_symbol *out);

/*
 * Iterate the defined functions (STT_FUNC, local ones too), for a table
 * of names: address is the placed code address (on ELFv1 the code a
 * descriptor points at, with size 0: not known).  Names and count are
 * known once the object is open; addresses after place.
 */
size_t pk_reloc_function_count(const struct pk_reloc *r);
int pk_reloc_function_at(const struct pk_reloc *r, size_t i,
			 struct pk_reloc_symbol *out);

/*
 * Write the placed image to fd: its bytes from the base, zero-fill
 * included (a hole in a regular file), or an executable ELF with one
 * PT_LOAD, every placed section and the named symbols at their addresses
 * (extended section numbering when there are many).  0, or -1 with the
 * cause in pk_reloc_error() ("write failed: No space left on device").
 */
int pk_reloc_write_bin(struct pk_reloc *r, int fd);
int pk_reloc_write_elf(struct pk_reloc *r, int fd);

#endif /* PURGKIT_RELOC_H */
