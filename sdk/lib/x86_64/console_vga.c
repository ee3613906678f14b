/* SPDX-License-Identifier: MIT */
/*
 * VGA text mode, 80x25 at physical 0xb8000 (identity-mapped at kexec
 * entry).  Starts at the top of a cleared screen and scrolls; light grey
 * on black.  Assumes the adapter is already in text mode.
 */
#include <purgkit/console.h>
#include <purgkit/string.h>

#define VGA_COLUMNS 80
#define VGA_ROWS 25
#define VGA_ATTRIBUTE 0x0700

static volatile uint16_t *const pk_vga = (volatile uint16_t *)0xb8000;
static unsigned int pk_vga_row, pk_vga_column;

static void pk_vga_newline(void)
{
	unsigned int i;

	pk_vga_column = 0;
	if (++pk_vga_row < VGA_ROWS)
		return;
	for (i = 0; i < VGA_COLUMNS * (VGA_ROWS - 1); i++)
		pk_vga[i] = pk_vga[i + VGA_COLUMNS];
	for (; i < VGA_COLUMNS * VGA_ROWS; i++)
		pk_vga[i] = VGA_ATTRIBUTE | ' ';
	pk_vga_row = VGA_ROWS - 1;
}

static void pk_vga_putc(struct pk_console *console, char c)
{
	if (c == '\n') {
		pk_vga_newline();
		return;
	}
	if (c == '\r') {
		pk_vga_column = 0;
		return;
	}
	pk_vga[pk_vga_row * VGA_COLUMNS + pk_vga_column] =
		VGA_ATTRIBUTE | (uint8_t)c;
	if (++pk_vga_column == VGA_COLUMNS)
		pk_vga_newline();
}

void pk_console_vga_init(struct pk_console *console)
{
	unsigned int i;

	for (i = 0; i < VGA_COLUMNS * VGA_ROWS; i++)
		pk_vga[i] = VGA_ATTRIBUTE | ' ';
	pk_vga_row = 0;
	pk_vga_column = 0;
	console->name = "vga";
	console->putc = pk_vga_putc;
	pk_console_register(console);
}
