/* SPDX-License-Identifier: MIT */
/*
 * ppc64's console backends, turned on as pk_console_mask asks: the
 * pSeries hypervisor terminal, and OPAL's console when the loader found
 * OPAL (pk_opal_base).
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include "../console_impl.h"

void pk_arch_console_init_from_patch(void)
{
	static struct pk_console hvterm, opal;

	if (pk_console_mask & PK_CONSOLE_HVTERM)
		pk_console_hvterm_init(&hvterm);
	if ((pk_console_mask & PK_CONSOLE_OPAL) && pk_opal_base)
		pk_console_opal_init(&opal, pk_opal_base, pk_opal_entry);
}
