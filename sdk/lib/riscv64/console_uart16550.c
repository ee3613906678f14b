/* SPDX-License-Identifier: MIT */
/*
 * A memory-mapped 16550 UART (QEMU virt's ns16550a at 0x10000000, most
 * boards' "ns16550a" stdout-path): byte registers one byte apart, used at
 * the rate and format the firmware or the old kernel set, which the next
 * kernel's console expects too.  Only THR (0) and LSR (5) are touched.
 */
#include "riscv64.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20	/* transmit holding register empty */
#define UART_MAX_POLLS 100000	/* a dead UART must not hang the boot */

static volatile uint8_t *uart;

static void uart_out(char c)
{
	unsigned long polls;

	for (polls = 0; polls < UART_MAX_POLLS; polls++)
		if (uart[UART_LSR] & UART_LSR_THRE)
			break;
	uart[UART_THR] = (uint8_t)c;
}

static void uart_putc(struct pk_console *console, char c)
{
	if (c == '\n')
		uart_out('\r');
	uart_out(c);
}

void pk_console_uart16550_init(struct pk_console *console, uint64_t base)
{
	uart = (volatile uint8_t *)(uintptr_t)base;
	console->name = "uart16550";
	console->putc = uart_putc;
	pk_console_register(console);
}
