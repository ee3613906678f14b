/* SPDX-License-Identifier: MIT */
/*
 * ppc64 "raw": a payload with its own convention, in either endianness.
 *
 * Hand-off contract, primary CPU: real mode (MSR[IR] = MSR[DR] = 0),
 * 64-bit, MSR[EE] = 0, MSR[LE] = pk_ppc64_regs.msr_le, r3..r10 =
 * pk_ppc64_regs.gpr[3..10] except that r3 = the primary's hardware CPU
 * number while pk_ppc64_cpu_in_r3 is 1 (the default), r1 =
 * pk_ppc64_regs.gpr[1] when non-zero, NIA = pk_ppc64_regs.nia.  The image
 * was verified (SHA-256) before anything ran.
 *
 * Segments at addresses the running kernel would not load to (below its
 * end) were staged elsewhere; after the image was verified and before
 * anything else, pk_ppc64_place_table's entries are copied to their own
 * addresses (the rest of each memsz zeroed, caches synchronised).
 *
 * Secondary CPUs: held at low priority in the SDK's loop inside this
 * trampoline's image (the code at physical 0x60 only sends them there)
 * until the primary has verified and placed the image; then, if
 * pk_secondary_entry is non-zero, each one enters it in real mode with
 * r3 = its hardware CPU number and the payload's MSR[LE], other registers
 * undefined, no stack.  If pk_secondary_entry is 0 they stay held, in the
 * trampoline's image, which the payload must therefore leave alone.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/ppc64/trampolines.h>

PK_PATCH_DEFINE(pk_ppc64_regs) = { { 0 }, 0, 0 };
PK_PATCH_DEFINE(pk_secondary_entry) = 0;
PK_PATCH_DEFINE(pk_ppc64_cpu_in_r3) = 1;
PK_PATCH_DEFINE(pk_ppc64_place_table) = { 0 };

void pk_trampoline_main(void)
{
	struct pk_ppc64_regs regs = pk_ppc64_regs;
	int little = (int)(regs.msr_le & 1);

	if (pk_ppc64_cpu_in_r3)
		regs.gpr[3] = pk_ppc64_boot_cpu;
	pk_printf("purgkit: raw: primary is cpu %llu; %u secondaries held\n",
		  (unsigned long long)pk_ppc64_boot_cpu,
		  (unsigned)pk_ppc64_secondaries_arrived());
	pk_ppc64_place(&pk_ppc64_place_table);
	if (pk_secondary_entry) {
		pk_printf("purgkit: raw: secondaries to 0x%llx\n",
			  (unsigned long long)pk_secondary_entry);
		pk_ppc64_release_secondaries(pk_secondary_entry, little);
	}
	pk_printf("purgkit: raw: entering 0x%llx %s-endian, r3=0x%llx "
		  "r4=0x%llx r5=0x%llx\n", (unsigned long long)regs.nia,
		  little ? "little" : "big", (unsigned long long)regs.gpr[3],
		  (unsigned long long)regs.gpr[4],
		  (unsigned long long)regs.gpr[5]);
	pk_ppc64_enter(&regs);
}
