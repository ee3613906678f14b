/* SPDX-License-Identifier: MIT */
/*
 * Arm PL011 UART (QEMU virt's ttyAMA0, most Arm servers'), polled, as the
 * old kernel left it programmed: a byte is written to the data register
 * once the transmit FIFO has room (the flag register's TXFF clear), as
 * the kernel's earlycon does.  No baud rate is set.
 */
#include <purgkit/console.h>

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1u << 5)
/* About a second at 115200 baud on any CPU: a dead UART does not hang us. */
#define PL011_MAX_POLLS	10000000u

/* One PL011: the console's registers. */
static uint64_t pl011_base;

static volatile uint32_t *pl011_reg(uint64_t base, unsigned int offset)
{
	return (volatile uint32_t *)(uintptr_t)(base + offset);
}

static void pl011_put(uint64_t base, char c)
{
	unsigned int polls = 0;

	while ((*pl011_reg(base, PL011_FR) & PL011_FR_TXFF) &&
	       polls++ < PL011_MAX_POLLS)
		;
	*pl011_reg(base, PL011_DR) = (uint8_t)c;
}

static void pl011_putc(struct pk_console *console, char c)
{
	if (c == '\n')
		pl011_put(pl011_base, '\r');
	pl011_put(pl011_base, c);
}

void pk_console_pl011_init(struct pk_console *console, uint64_t base)
{
	pl011_base = base;
	console->name = "pl011";
	console->putc = pl011_putc;
	pk_console_register(console);
}
