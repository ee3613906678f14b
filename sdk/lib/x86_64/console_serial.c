/* SPDX-License-Identifier: MIT */
/*
 * 8250/16550 UART on an I/O port: 8 data bits, no parity, 1 stop bit,
 * FIFOs on, interrupts off; each byte waits for the transmit holding
 * register to empty (polling, bounded so a missing UART cannot hang us).
 */
#include <purgkit/console.h>
#include <purgkit/cpu.h>

#define UART_THR 0	/* transmit holding register (DLAB = 0) */
#define UART_DLL 0	/* divisor latch low (DLAB = 1) */
#define UART_IER 1	/* interrupt enable (DLAB = 0) */
#define UART_DLH 1	/* divisor latch high (DLAB = 1) */
#define UART_FCR 2	/* FIFO control */
#define UART_LCR 3	/* line control */
#define UART_MCR 4	/* modem control */
#define UART_LSR 5	/* line status */
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE 0x20
#define UART_CLOCK 115200	/* the PC UART's input clock / 16 */

struct pk_serial {
	struct pk_console console;
	uint16_t port;
};

static struct pk_serial pk_serial;

static void pk_serial_putb(uint16_t port, char c)
{
	unsigned int spins = 100000;

	while (!(pk_inb(port + UART_LSR) & UART_LSR_THRE) && --spins)
		;
	pk_outb(port + UART_THR, (uint8_t)c);
}

static void pk_serial_putc(struct pk_console *console, char c)
{
	uint16_t port = pk_serial.port;

	if (c == '\n')
		pk_serial_putb(port, '\r');
	pk_serial_putb(port, c);
}

void pk_console_serial_init(struct pk_console *console, uint16_t port,
			    uint32_t baud)
{
	uint32_t divisor = baud ? UART_CLOCK / baud : 1;

	if (divisor == 0)
		divisor = 1;
	pk_serial.port = port;
	pk_outb(port + UART_IER, 0);
	pk_outb(port + UART_LCR, UART_LCR_DLAB);
	pk_outb(port + UART_DLL, divisor & 0xff);
	pk_outb(port + UART_DLH, (divisor >> 8) & 0xff);
	pk_outb(port + UART_LCR, UART_LCR_8N1);
	pk_outb(port + UART_FCR, 0x07);	/* enable and clear FIFOs */
	pk_outb(port + UART_MCR, 0x03);	/* DTR, RTS */
	console->name = "serial";
	console->putc = pk_serial_putc;
	pk_console_register(console);
}
