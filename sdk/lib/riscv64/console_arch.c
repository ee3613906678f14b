/* SPDX-License-Identifier: MIT */
/*
 * riscv64's console backends, turned on as pk_console_mask asks: the SBI
 * debug console, and an 8250/16550 UART when the loader gave its address
 * (pk_uart_base; --console=uart8250,ADDR or its alias uart16550,ADDR).
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include "../console_impl.h"
#include "riscv64.h"

void pk_arch_console_init_from_patch(void)
{
	static struct pk_console sbi, uart;

	if (pk_console_mask & PK_CONSOLE_SBI)
		pk_console_sbi_init(&sbi);
	if ((pk_console_mask & PK_CONSOLE_UART8250) && pk_uart_base)
		pk_console_uart8250_init(&uart, pk_uart_base,
					 pk_uart_reg_shift);
}
