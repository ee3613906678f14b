/* SPDX-License-Identifier: MIT */
/*
 * Patchable symbols: the one way a loader hands data to a trampoline.
 *
 * kexec passes no arguments, so everything a trampoline needs to know
 * (where the payload starts, which regions to hash, which console to use)
 * is written into the trampoline's own memory by the loader after the
 * relocator has placed it.  The convention:
 *
 *   - A patchable object is a global, initialised object defined with
 *     PK_PATCHABLE.  It lives in the section ".pk.patch" (allocated,
 *     writable, never zero-filled), so its bytes exist in the image and
 *     the loader can overwrite them.
 *   - Its symbol carries its exact size (st_size).  The relocator refuses a
 *     patch whose size differs, so a loader and a trampoline that disagree
 *     on a layout fail loudly on the host, not silently between kernels.
 *   - Values are in the target's byte order.  Integers use fixed-width
 *     types only; structures below have no padding and are laid out the
 *     same on every target, so host code can include this header too.
 *
 * This header is shared by the freestanding SDK and by the host tools.
 */
#ifndef PURGKIT_PATCH_H
#define PURGKIT_PATCH_H

#include <stdint.h>

/* The section every patchable object lives in. */
#define PK_PATCH_SECTION ".pk.patch"

/* Define a patchable object: PK_PATCHABLE uint64_t pk_thing = 0; */
#define PK_PATCHABLE \
	__attribute__((section(PK_PATCH_SECTION), used, aligned(8), \
		       visibility("default")))

/* One memory range the runtime hashes before the hand-off. */
struct pk_region {
	uint64_t start;		/* physical address */
	uint64_t size;		/* bytes; 0 marks an unused slot */
};

/* At most this many regions: kexec_load takes at most 16 segments. */
#define PK_MAX_REGIONS 16

/* Console backends, bits of pk_console_mask. */
#define PK_CONSOLE_SERIAL	(1u << 0)	/* x86 8250 UART, pk_serial_port */
#define PK_CONSOLE_VGA		(1u << 1)	/* x86 VGA text mode at 0xb8000 */
#define PK_CONSOLE_DEBUGCON	(1u << 2)	/* QEMU/Bochs port 0xe9 */
#define PK_CONSOLE_HVTERM	(1u << 3)	/* pSeries H_PUT_TERM_CHAR */
#define PK_CONSOLE_OPAL		(1u << 4)	/* OPAL console, pk_opal_* */
#define PK_CONSOLE_MEMLOG	(1u << 5)	/* ring at pk_memlog_base */

/*
 * The memory log: a header followed by a ring of bytes.  The next kernel
 * or a debugger finds it at pk_memlog_base and reads `size` bytes of
 * ring; `head` counts every byte ever written, so the newest byte is at
 * ring[(head - 1) % size].  Fields are in the trampoline's byte order.
 */
#define PK_MEMLOG_MAGIC 0x474f4c4b47525550ull	/* "PURGKLOG" little-endian */
struct pk_memlog_header {
	uint64_t magic;
	uint64_t size;		/* bytes of ring after this header */
	uint64_t head;		/* bytes written so far */
	uint64_t reserved;
};

/*
 * Names of the runtime's patchable symbols (defined in sdk/lib), with
 * their types.  A loader patches them by name.
 */
#define PK_SYM_VERIFY_ENABLED	"pk_verify_enabled"	/* uint32_t, 1 = check */
#define PK_SYM_VERIFY_REGIONS	"pk_verify_regions"	/* struct pk_region[16] */
#define PK_SYM_VERIFY_DIGEST	"pk_verify_digest"	/* uint8_t[32] */
#define PK_SYM_CONSOLE_MASK	"pk_console_mask"	/* uint32_t, PK_CONSOLE_* */
#define PK_SYM_SERIAL_PORT	"pk_serial_port"	/* uint32_t, I/O port */
#define PK_SYM_SERIAL_BAUD	"pk_serial_baud"	/* uint32_t */
#define PK_SYM_MEMLOG_BASE	"pk_memlog_base"	/* uint64_t, physical */
#define PK_SYM_MEMLOG_SIZE	"pk_memlog_size"	/* uint64_t, incl. header */
#define PK_SYM_OPAL_BASE	"pk_opal_base"		/* uint64_t, 0 = none */
#define PK_SYM_OPAL_ENTRY	"pk_opal_entry"		/* uint64_t */
#define PK_SYM_TIMEBASE_HZ	"pk_timebase_hz"	/* uint64_t, ppc64; 0 = 512 MHz */
#define PK_SYM_ENTRY		"pk_entry"		/* the trampoline's entry */

#ifndef PK_HOST
extern uint32_t pk_verify_enabled;
extern struct pk_region pk_verify_regions[PK_MAX_REGIONS];
extern uint8_t pk_verify_digest[32];
extern uint32_t pk_console_mask;
extern uint32_t pk_serial_port;
extern uint32_t pk_serial_baud;
extern uint64_t pk_memlog_base;
extern uint64_t pk_memlog_size;
extern uint64_t pk_opal_base;
extern uint64_t pk_opal_entry;
extern uint64_t pk_timebase_hz;
#endif

#endif /* PURGKIT_PATCH_H */
