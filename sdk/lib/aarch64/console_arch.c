/* SPDX-License-Identifier: MIT */
/*
 * aarch64's console backends, turned on as pk_console_mask asks: a PL011
 * or an 8250 UART at pk_uart_base (the loader reads both from the device
 * tree's stdout-path, or from --console=pl011,ADDR / uart8250,ADDR).
 * Without an address there is no UART to write to, and none is used.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include "../console_impl.h"

void pk_arch_console_init_from_patch(void)
{
	static struct pk_console pl011, uart8250;

	if (!pk_uart_base)
		return;
	if (pk_console_mask & PK_CONSOLE_PL011)
		pk_console_pl011_init(&pl011, pk_uart_base);
	if (pk_console_mask & PK_CONSOLE_UART8250)
		pk_console_uart8250_init(&uart8250, pk_uart_base,
					 pk_uart_reg_shift);
}
