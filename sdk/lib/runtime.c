/* SPDX-License-Identifier: MIT */
/*
 * The generic half of the purgatory runtime (see purgkit/runtime.h).
 * The arch entry stub gives us a stack and a sane CPU; from here on the
 * order is fixed: console, verification, the trampoline's hand-off.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include <purgkit/runtime.h>
#include <purgkit/time.h>

static uint64_t runtime_entry_ticks;

void pk_panic(const char *fmt, ...)
{
	/* An address inside the call instruction, not after it: the
	 * return address of a noreturn call may be another function's. */
	uint64_t caller = (uint64_t)(uintptr_t)__builtin_return_address(0) - 1;
	va_list ap;

	pk_printf("purgkit: fatal: ");
	va_start(ap, fmt);
	pk_vprintf(fmt, ap);
	va_end(ap);
	pk_printf("\npurgkit: called at ");
	pk_print_code_address(caller);
	pk_printf("\n" PK_HALTED_LINE "\n");
	pk_halt();
}

/* Print `ticks` as milliseconds with three decimals, or as ticks. */
static void print_duration(uint64_t ticks)
{
	uint64_t us = pk_time_to_us(ticks);

	if (pk_time_hz())
		pk_printf("%llu.%03llu ms", (unsigned long long)(us / 1000),
			  (unsigned long long)(us % 1000));
	else
		pk_printf("%llu ticks", (unsigned long long)ticks);
}

void pk_runtime_report_handoff(void)
{
	static int reported;
	uint64_t now, us;

	if (reported || !runtime_entry_ticks)
		return;
	reported = 1;
	pk_time_hz();	/* a first x86_64 call measures: count it too */
	now = pk_time_now();
	pk_printf("purgkit: time: entry to hand-off ");
	print_duration(now - runtime_entry_ticks);
	if (pk_verify_bytes) {
		pk_printf("; sha256 %llu bytes in ",
			  (unsigned long long)pk_verify_bytes);
		print_duration(pk_verify_ticks);
		us = pk_time_to_us(pk_verify_ticks);
		if (us)
			pk_printf(", %llu MB/s",
				  (unsigned long long)(pk_verify_bytes / us));
	}
	if (pk_time_hz())
		pk_printf(" (clock %llu MHz)",
			  (unsigned long long)(pk_time_hz() / 1000000));
	pk_printf("\n");
}

void pk_runtime_main(void)
{
	runtime_entry_ticks = pk_time_now();
	pk_console_init_from_patch();
	pk_printf("purgkit: trampoline %s%sat 0x%llx..0x%llx\n",
		  pk_trampoline_name() ? pk_trampoline_name() : "",
		  pk_trampoline_name() ? " " : "",
		  (unsigned long long)(uintptr_t)pk_image_start,
		  (unsigned long long)(uintptr_t)pk_image_end);
	if (pk_verify_image() != 0) {
		pk_printf("purgkit: refusing to start the payload; halted\n");
		pk_halt();
	}
	pk_trampoline_main();
	pk_panic("pk_trampoline_main returned instead of handing off");
}
