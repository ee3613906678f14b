/* SPDX-License-Identifier: MIT */
/*
 * Turn on the console backends the loader asked for in pk_console_mask,
 * with the patched settings: the memory log here, the architecture's own
 * backends in its sdk/lib/<arch>/console_arch.c.  A backend this
 * architecture lacks is skipped: one loader plan format serves every
 * target.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>
#include "console_impl.h"

void pk_console_init_from_patch(void)
{
	static struct pk_console memlog;

	pk_arch_console_init_from_patch();
	if ((pk_console_mask & PK_CONSOLE_MEMLOG) && pk_memlog_base &&
	    pk_memlog_size > sizeof(struct pk_memlog_header))
		pk_console_memlog_init(&memlog, pk_memlog_base, pk_memlog_size);
}
