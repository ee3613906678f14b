/* SPDX-License-Identifier: MIT */
/*
 * What the 16-bit hand-offs (raw16, linux --real-mode) do with the
 * interrupt controllers: give them back to the BIOS, unless
 * --no-bios-irq-restore (pk_bios_irq_restore; the trampoline side is
 * sdk/lib/x86_64/bios_irq.S, the reasons docs/contract-x86_64.md).
 */
#include <stdio.h>
#include <string.h>

#include "x86_64/x86_64.h"

int pk_x86_bios_irq(struct pk_plan *plan, int mode)
{
	bool restore = !plan->opts->no_bios_irq_restore;
	size_t len = strlen(plan->payload_entry_what);

	if (mode != 16) {
		if (!restore)
			return pk_error("--no-bios-irq-restore is for the 16-bit "
					"entry (--real-mode, --mode=16); this "
					"plan enters in %d-bit mode", mode);
		return 0;
	}
	if (PK_PLAN_PATCH_INT(plan, pk_bios_irq_restore, restore))
		return -1;
	snprintf(plan->payload_entry_what + len,
		 sizeof(plan->payload_entry_what) - len, "; %s",
		 restore ? "BIOS interrupt state restored (8259s at 0x08/0x70, "
			   "PIT 18.2 Hz, LAPIC virtual wire)" :
			   "interrupt controllers as the old kernel left them "
			   "(--no-bios-irq-restore)");
	return 0;
}
