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

/*
 * "payload: regs eax=... esp=...\n": the eight 32-bit general registers a
 * payload saved at its entry, in struct pk_x86_32_regs' order.
 */
static __attribute__((unused)) void put_regs32(const uint32_t regs[8])
{
	static const char *const names[8] = {
		"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp",
	};

	put_str("payload: regs ");
	for (int i = 0; i < 8; i++)
		put_field(names[i], regs[i], 8);
	put_char('\n');
}

/*
 * The entry of a 32-bit Multiboot payload: its own stack, then
 * payload_main(EAX = the boot loader's magic, EBX = its information).
 */
/* What the entry found: ESP and IDTR as the loader left them. */
uint32_t payload_entry_esp;
uint8_t payload_entry_idtr[6] __attribute__((aligned(4)));

/* Print the entry's ESP and IDTR (the contract's hand-off table). */
static __attribute__((unused)) void put_entry_stack_and_idt(void)
{
	uint16_t limit = (uint16_t)(payload_entry_idtr[0] |
				    payload_entry_idtr[1] << 8);

	put_str("payload: entry ");
	put_field("esp", payload_entry_esp, 8);
	put_field("idtr.limit", limit, 4);
	put_char('\n');
}

#define PAYLOAD_MULTIBOOT_START						\
	__asm__(".text\n"						\
		".globl _start\n"					\
		"_start:\n"						\
		"  movl %esp, payload_entry_esp\n"			\
		"  sidt payload_entry_idtr\n"				\
		"  movl $stack + 8192, %esp\n"				\
		"  pushl %ebx\n"					\
		"  pushl %eax\n"					\
		"  call payload_main\n"				\
		"1: hlt\n"						\
		"  jmp 1b\n")

static void __attribute__((noreturn)) finish(int ok)
{
	put_str(ok ? "PAYLOAD RESULT: PASS\n" : "PAYLOAD RESULT: FAIL\n");
	out8(DEBUG_EXIT, ok ? 0x10 : 0x11);	/* qemu exits 33 or 35 */
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif /* PAYLOAD_H */
