/* SPDX-License-Identifier: MIT */
/*
 * A Multiboot 1 test kernel that draws its report the way memory testers
 * and menus do: cursor-addressing escape sequences, colours, and not one
 * newline.  It then stops with its last row unended, forever, as such a
 * payload may.  purgkit-run must still show it live and match it
 * (tests/e2e/test_screen.py).
 *
 * What it draws, and what purgkit-run makes of it (one line per row):
 *   row 1  "screen: a report drawn, not printed"  + at column 50 "columns"
 *   row 3  "payload: magic ok" (or "payload: bad magic")
 *   row 5  "screen: half a row" ... a pause of a second or two ...
 *          " and the rest" (the row is shown before it is finished)
 *   row 7  "PAYLOAD RESULT: PASS", left unended (a bad magic ends the
 *          run with the usual "PAYLOAD RESULT: FAIL" line and 0x11)
 */
#include <stdint.h>
#include "payload.h"

#define MB_MAGIC 0x1BADB002u
#define MB_FLAGS 0x00000000u
#define MB_BOOT_MAGIC 0x2BADB002u

__attribute__((section(".multiboot"), used, aligned(4)))
static const uint32_t multiboot_header[3] = {
	MB_MAGIC, MB_FLAGS, (uint32_t)-(MB_MAGIC + MB_FLAGS)
};

uint8_t stack[4096] __attribute__((aligned(16)));

void payload_main(uint32_t magic);

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"  movl $stack + 4096, %esp\n"
	"  pushl %eax\n"
	"  call payload_main\n"
	"1: hlt\n"
	"  jmp 1b\n");

/* Move the cursor: ESC [ row ; col H (1-based, as VT100 counts). */
static void move_to(uint32_t row, uint32_t col)
{
	put_str("\033[");
	put_dec(row);
	put_char(';');
	put_dec(col);
	put_char('H');
}

static uint64_t read_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* One to two seconds at today's TSC rates; under TCG the TSC follows the
 * host's clock, so this is a real pause, longer than purgkit-run's idle. */
static void pause_a_while(void)
{
	uint64_t start = read_tsc();

	while (read_tsc() - start < (1ull << 32))
		__asm__ volatile("pause");
}

void payload_main(uint32_t magic)
{
	int ok = magic == MB_BOOT_MAGIC;

	put_str("\033[0m\033[2J\033[H");	/* reset colours, clear, home */
	move_to(1, 1);
	put_str("screen: a report drawn, not printed");
	move_to(1, 50);
	put_str("\033[1;33mcolumns\033[0m");
	move_to(3, 1);
	put_str(ok ? "payload: magic ok" : "payload: bad magic");
	if (!ok) {
		move_to(7, 1);
		finish(0);	/* printed, with a newline: it is the exception */
	}
	move_to(5, 1);
	put_str("screen: half a row");
	pause_a_while();
	put_str(" and the rest");
	move_to(7, 1);
	put_str("\033[42mPAYLOAD RESULT: PASS\033[0m");
	for (;;)
		__asm__ volatile("cli; hlt");
}
