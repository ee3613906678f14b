/* SPDX-License-Identifier: MIT */
/*
 * 8250/16550 UART in MMIO (the device tree's "ns16550a", "snps,dw-apb-uart"),
 * polled, as the old kernel left it programmed: a byte goes to the
 * transmit holding register once the line status register says it is
 * empty (THRE).  Registers are 1 << reg_shift bytes apart; with a shift,
 * they are read and written as 32-bit words (reg-io-width 4), which the
 * DesignWare UARTs need.  No baud rate is set.
 */
#include <purgkit/console.h>

#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20
#define UART_MAX_POLLS	10000000u

struct uart8250 {
	uint64_t base;
	unsigned int reg_shift;
};

/* One UART: the console's registers. */
static struct uart8250 uart;

static uint32_t uart_read(const struct uart8250 *u, unsigned int reg)
{
	uint64_t at = u->base + ((uint64_t)reg << u->reg_shift);

	if (!u->reg_shift)
		return *(volatile uint8_t *)(uintptr_t)at;
	return *(volatile uint32_t *)(uintptr_t)at;
}

static void uart_write(const struct uart8250 *u, unsigned int reg,
		       uint32_t value)
{
	uint64_t at = u->base + ((uint64_t)reg << u->reg_shift);

	if (!u->reg_shift)
		*(volatile uint8_t *)(uintptr_t)at = (uint8_t)value;
	else
		*(volatile uint32_t *)(uintptr_t)at = value;
}

static void uart_put(const struct uart8250 *u, char c)
{
	unsigned int polls = 0;

	while (!(uart_read(u, UART_LSR) & UART_LSR_THRE) &&
	       polls++ < UART_MAX_POLLS)
		;
	uart_write(u, UART_THR, (uint8_t)c);
}

static void uart8250_putc(struct pk_console *console, char c)
{
	if (c == '\n')
		uart_put(&uart, '\r');
	uart_put(&uart, c);
}

void pk_console_uart8250_init(struct pk_console *console, uint64_t base,
			      unsigned int reg_shift)
{
	uart.base = base;
	uart.reg_shift = reg_shift;
	console->name = "uart8250";
	console->putc = uart8250_putc;
	pk_console_register(console);
}
