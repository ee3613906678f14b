/* SPDX-License-Identifier: MIT */
/* QEMU/Bochs debug console: every byte written to I/O port 0xe9 appears
 * on the host (qemu -debugcon).  On real hardware the port is unused. */
#include <purgkit/console.h>
#include <purgkit/cpu.h>

#define PK_DEBUGCON_PORT 0xe9

static void pk_debugcon_putc(struct pk_console *console, char c)
{
	pk_outb(PK_DEBUGCON_PORT, (uint8_t)c);
}

void pk_console_debugcon_init(struct pk_console *console)
{
	console->name = "debugcon";
	console->putc = pk_debugcon_putc;
	pk_console_register(console);
}
