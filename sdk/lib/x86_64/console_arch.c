/* SPDX-License-Identifier: MIT */
/*
 * x86_64's console backends, turned on as pk_console_mask asks: the 8250
 * UART at the patched port and rate, VGA text mode, QEMU's debug port.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include "../console_impl.h"

void pk_arch_console_init_from_patch(void)
{
	static struct pk_console serial, vga, debugcon;

	if (pk_console_mask & PK_CONSOLE_SERIAL)
		pk_console_serial_init(&serial, (uint16_t)pk_serial_port,
				       pk_serial_baud);
	if (pk_console_mask & PK_CONSOLE_VGA)
		pk_console_vga_init(&vga);
	if (pk_console_mask & PK_CONSOLE_DEBUGCON)
		pk_console_debugcon_init(&debugcon);
}
