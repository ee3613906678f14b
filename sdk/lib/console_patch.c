/* SPDX-License-Identifier: MIT */
/*
 * Turn on the console backends the loader asked for in pk_console_mask,
 * with the patched settings.  A backend this architecture lacks is
 * skipped: one loader plan format serves every target.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>

void pk_console_init_from_patch(void)
{
	static struct pk_console memlog;
#if defined(__x86_64__)
	static struct pk_console serial, vga, debugcon;

	if (pk_console_mask & PK_CONSOLE_SERIAL)
		pk_console_serial_init(&serial, (uint16_t)pk_serial_port,
				       pk_serial_baud);
	if (pk_console_mask & PK_CONSOLE_VGA)
		pk_console_vga_init(&vga);
	if (pk_console_mask & PK_CONSOLE_DEBUGCON)
		pk_console_debugcon_init(&debugcon);
#elif defined(__powerpc64__)
	static struct pk_console hvterm, opal;

	if (pk_console_mask & PK_CONSOLE_HVTERM)
		pk_console_hvterm_init(&hvterm);
	if ((pk_console_mask & PK_CONSOLE_OPAL) && pk_opal_base)
		pk_console_opal_init(&opal, pk_opal_base, pk_opal_entry);
#endif
	if ((pk_console_mask & PK_CONSOLE_MEMLOG) && pk_memlog_base &&
	    pk_memlog_size > sizeof(struct pk_memlog_header))
		pk_console_memlog_init(&memlog, pk_memlog_base, pk_memlog_size);
}
