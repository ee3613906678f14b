/* SPDX-License-Identifier: MIT */
/*
 * A real-mode payload that relies on the BIOS's timer: entered through
 * the raw16 trampoline at 0000:8000 (raw16.lds), it enables interrupts,
 * busy-waits one second of the CMOS real-time clock (which counts by
 * itself, interrupts or not) and asks the BIOS (INT 1Ah AH=0) how many
 * timer ticks went by.  The BIOS counts them in its IRQ 0 handler, so the
 * answer is about 18 (18.2 Hz) when the 8259s and the PIT are as the
 * BIOS set them up, and 0 when the old kernel's state (every 8259 line
 * masked) is still in place.
 *
 *   payload: BIOS ticks in one RTC second: N
 *   PAYLOAD RESULT: PASS        (10 <= N <= 27)
 */
#include <stdint.h>
#include "payload.h"

#define CMOS_INDEX		0x70
#define CMOS_DATA		0x71
#define CMOS_SECONDS		0x00
#define CMOS_STATUS_A		0x0a
#define CMOS_UPDATE_IN_PROGRESS	0x80
/* BIOS ticks in a day: INT 1Ah's count wraps here at midnight. */
#define TICKS_PER_DAY		0x1800b0u
/* Polls of the RTC before giving up on it: a second takes far fewer. */
#define MAX_POLLS		(1u << 26)
/* 18.2 Hz, give or take half: a busy host loses ticks, a wrong divisor
 * (twice the rate, half the rate) falls outside. */
#define MIN_TICKS		10
#define MAX_TICKS		27

void payload_main(void);

__asm__(".section .text.start, \"ax\"\n"
	".code16gcc\n"
	".globl _start\n"
	"_start:\n"
	"  xorw %ax, %ax\n"
	"  movw %ax, %ds\n"
	"  movw %ax, %es\n"
	"  movw %ax, %ss\n"
	"  movl $0x7ff0, %esp\n"
	"  calll payload_main\n"
	"1: hlt\n"
	"  jmp 1b\n"
	".text\n");

static uint8_t cmos_read(uint8_t index)
{
	out8(CMOS_INDEX, index);
	return in8(CMOS_DATA);
}

/* The RTC's seconds, read outside an update; -1 while one runs. */
static int rtc_seconds(void)
{
	if (cmos_read(CMOS_STATUS_A) & CMOS_UPDATE_IN_PROGRESS)
		return -1;
	return cmos_read(CMOS_SECONDS);
}

/* Busy-wait (interrupts on) until the RTC's seconds change; 0 if never. */
static int wait_rtc_second(void)
{
	int start, now;
	uint32_t polls = 0;

	do
		start = rtc_seconds();
	while (start < 0 && ++polls < MAX_POLLS);
	do
		now = rtc_seconds();
	while ((now < 0 || now == start) && ++polls < MAX_POLLS);
	return polls < MAX_POLLS;
}

/* INT 1Ah AH=0: ticks since midnight, CX:DX. */
static uint32_t bios_ticks(void)
{
	uint32_t eax = 0;
	uint16_t cx, dx;

	__asm__ volatile("int $0x1a"
			 : "+a"(eax), "=c"(cx), "=d"(dx)
			 :
			 : "memory", "cc");
	return (uint32_t)cx << 16 | dx;
}

void payload_main(void)
{
	uint32_t start, end, ticks;

	put_str("payload: bios_ticks running\n");
	__asm__ volatile("sti");
	if (!wait_rtc_second()) {
		put_str("payload: the RTC's seconds never changed\n");
		finish(0);
	}
	start = bios_ticks();
	if (!wait_rtc_second()) {
		put_str("payload: the RTC's seconds never changed\n");
		finish(0);
	}
	end = bios_ticks();
	__asm__ volatile("cli");
	ticks = end >= start ? end - start : end + TICKS_PER_DAY - start;
	put_str("payload: BIOS ticks in one RTC second: ");
	put_dec(ticks);
	put_char('\n');
	finish(ticks >= MIN_TICKS && ticks <= MAX_TICKS);
}
