/* SPDX-License-Identifier: MIT */
/*
 * Formatted console output over pluggable backends.
 *
 * Every character written goes to every registered backend, in
 * registration order.  The runtime registers the backends the loader
 * enabled in pk_console_mask (see purgkit/patch.h) before it calls the
 * trampoline; a trampoline may register its own with pk_console_register.
 *
 * Formats (pk_printf, pk_vsnprintf): %c %s %d %i %u %x %X %p %%, length
 * modifiers hh h l ll z, a field width (digits or *), a precision (.digits
 * or .*: the most bytes of a %s, the fewest digits of an integer, as in
 * C99), and the flags '-' (left-justify) and '0' (zero-pad).
 * %p prints 0x followed by the pointer's hex digits.  Nothing else: an
 * unknown conversion is printed as it was written.  No floating point.
 */
#ifndef PURGKIT_CONSOLE_H
#define PURGKIT_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct pk_console {
	const char *name;
	/* Write one byte.  "\n" arrives as-is; a backend that needs "\r\n"
	 * adds the "\r" itself. */
	void (*putc)(struct pk_console *console, char c);
	struct pk_console *next;	/* owned by the console list */
};

/* Append a backend to the list.  Registering one that is already on the
 * list does nothing (it keeps its place). */
void pk_console_register(struct pk_console *console);
/* Write len bytes to every backend. */
void pk_console_write(const char *s, size_t len);
/* Write one byte to every backend. */
void pk_console_putc(char c);

/* printf to every backend.  Returns the number of bytes written. */
int pk_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pk_vprintf(const char *fmt, va_list ap);
/*
 * Format into buf (at most size bytes, NUL-terminated when size > 0).
 * Returns the length the full output would have, as C99's vsnprintf.
 */
int pk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int pk_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print len bytes as lowercase hex (digests, for example). */
void pk_print_hex(const uint8_t *bytes, size_t len);

/*
 * The backends.  Each init function fills a pk_console the caller owns
 * (usually static) and registers it.
 */
/* x86 8250/16550 UART at an I/O port, 8N1, polling the transmitter. */
void pk_console_serial_init(struct pk_console *console, uint16_t port,
			    uint32_t baud);
/* x86 VGA text mode, 80x25 at physical 0xb8000, scrolling. */
void pk_console_vga_init(struct pk_console *console);
/* QEMU/Bochs debug console: each byte to I/O port 0xe9. */
void pk_console_debugcon_init(struct pk_console *console);
/* pSeries hypervisor terminal (H_PUT_TERM_CHAR to vterm 0). */
void pk_console_hvterm_init(struct pk_console *console);
/*
 * Arm PL011 UART at base (physical; MMIO, polled), as the old kernel left
 * it programmed.
 */
void pk_console_pl011_init(struct pk_console *console, uint64_t base);
/*
 * 8250/16550 UART in MMIO at base, registers 1 << reg_shift bytes apart
 * (accessed as bytes when reg_shift is 0, else as 32-bit words), as the
 * old kernel left it programmed.
 */
void pk_console_uart8250_init(struct pk_console *console, uint64_t base,
			      unsigned int reg_shift);
/* OPAL console (OPAL_CONSOLE_WRITE, terminal 0) through opal_entry. */
void pk_console_opal_init(struct pk_console *console, uint64_t opal_base,
			  uint64_t opal_entry);
/*
 * Memory log ring at physical address base, total size bytes including
 * the struct pk_memlog_header it writes at base.
 */
void pk_console_memlog_init(struct pk_console *console, uint64_t base,
			    uint64_t size);

/*
 * Register every backend pk_console_mask asks for, with the patched
 * settings (backends this architecture lacks are ignored).  The runtime
 * calls it; a trampoline that has its own entry may call it too.
 */
void pk_console_init_from_patch(void);

#endif /* PURGKIT_CONSOLE_H */
