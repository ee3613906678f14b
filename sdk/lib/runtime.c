/* SPDX-License-Identifier: MIT */
/*
 * The generic half of the purgatory runtime (see purgkit/runtime.h).
 * The arch entry stub gives us a stack and a sane CPU; from here on the
 * order is fixed: console, verification, the trampoline's hand-off.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include <purgkit/runtime.h>

void pk_panic(const char *fmt, ...)
{
	va_list ap;

	pk_printf("purgkit: fatal: ");
	va_start(ap, fmt);
	pk_vprintf(fmt, ap);
	va_end(ap);
	pk_printf("\n");
	pk_halt();
}

void pk_runtime_main(void)
{
	pk_console_init_from_patch();
	pk_printf("purgkit: trampoline at 0x%llx..0x%llx\n",
		  (unsigned long long)(uintptr_t)pk_image_start,
		  (unsigned long long)(uintptr_t)pk_image_end);
	if (pk_verify_image() != 0) {
		pk_printf("purgkit: refusing to start the payload; halted\n");
		pk_halt();
	}
	pk_trampoline_main();
	pk_panic("pk_trampoline_main returned instead of handing off");
}
