/* SPDX-License-Identifier: MIT */
/*
 * Tiny console for the x86 test payloads: COM1 only (the debug port is
 * left to the trampoline, so a test can tell whose output is whose), plus
 * isa-debug-exit to end QEMU.  Written for the tests only; it
 * deliberately shares nothing with the SDK it is testing.
 */
#ifndef PAYLOAD_H
#define PAYLOAD_H

#include <stdint.h>

#define COM1 0x3f8
#define DEBUG_EXIT 0xf4		/* qemu -device isa-debug-exit,iobase=0xf4 */

static inline void out8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t in8(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __attribute__((unused)) void put_char(char c)
{
	unsigned int spins = 100000;

	if (c == '\n')
		put_char('\r');
	while (!(in8(COM1 + 5) & 0x20) && --spins)
		;
	out8(COM1, (uint8_t)c);
}

static __attribute__((unused)) void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static __attribute__((unused)) void put_hex(uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	put_str("0x");
	for (i = digits - 1; i >= 0; i--)
		put_char(hex[(v >> (i * 4)) & 0xf]);
}

static __attribute__((unused)) void put_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_str(&buf[i]);
}

/* Print "name=0x........ " */
static __attribute__((unused)) void put_field(const char *name, uint64_t v, int digits)
{
	put_str(name);
	put_char('=');
	put_hex(v, digits);
	put_char(' ');
}

static void __attribute__((noreturn)) finish(int ok)
{
	put_str(ok ? "PAYLOAD RESULT: PASS\n" : "PAYLOAD RESULT: FAIL\n");
	out8(DEBUG_EXIT, ok ? 0x10 : 0x11);	/* qemu exits 33 or 35 */
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif /* PAYLOAD_H */
