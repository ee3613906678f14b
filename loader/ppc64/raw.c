/* SPDX-License-Identifier: MIT */
/*
 * ppc64 "raw" and "elf": payloads with their own convention, either
 * endianness, through the raw trampoline (trampolines/ppc64/raw.c).
 *
 * Registers: --reg r1=..., r3..r10=... (unnamed ones are 0), and
 * --reg msr_le=0|1 for the endianness (default: the ELF's, or the
 * target's for a flat binary).  Unless --reg r3 is given, r3 is the
 * primary's hardware CPU number at run time.  --secondary-entry=ADDR
 * releases the secondary CPUs there (r3 = their CPU number, same
 * endianness); without it they stay held in the trampoline.  Everything
 * must lie inside the real-mode area; segments below the running
 * kernel's end are staged and copied home by the trampoline (place.c).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_payload.h"
#include "ppc64/ppc64.h"

static int ppc64_raw_enter(struct pk_plan *plan, uint64_t entry,
			   bool little_endian,
			   const struct pk_ppc64_fixed *fixed)
{
	const struct pk_options *opts = plan->opts;
	struct pk_ppc64_regs regs = { 0 };
	uint64_t rma = pk_ppc64_rma_top(plan);
	bool r3_given = false;

	for (size_t i = 0; i < opts->reg_count; i++) {
		const char *name = opts->regs[i].name;
		uint64_t value = opts->regs[i].value;
		char *end;
		long n;

		if (!strcmp(name, "msr_le")) {
			if (value > 1)
				return pk_error("--reg msr_le=%llu: 0 (big) or "
						"1 (little)", HEX(value));
			little_endian = value;
			continue;
		}
		n = name[0] == 'r' ? strtol(name + 1, &end, 10) : -1;
		if (n < 0 || name[1] == '\0' || *end ||
		    !(n == 1 || (n >= 3 && n <= 10))) {
			static const char *const names[] = {
				"r1", "r3", "r4", "r5", "r6", "r7", "r8",
				"r9", "r10", "msr_le",
			};
			struct pk_nearest nearest;
			char hint[96];

			/* r11 is a register, just not one of ours: no
			 * "did you mean r1" for it. */
			pk_nearest_init(&nearest, name);
			for (size_t j = 0; j < sizeof(names) / sizeof(*names) &&
			     !(n >= 0 && name[1] && !*end); j++)
				pk_nearest_offer(&nearest, names[j]);
			return pk_error("--reg %s: ppc64 raw sets r1, r3..r10 "
					"and msr_le%s", name,
					pk_nearest_hint(&nearest, hint,
							sizeof(hint)));
		}
		if (n == 3)
			r3_given = true;
		pk_put64(plan->arch, &regs.gpr[n], value);
	}
	if (rma && entry >= rma)
		return pk_error("entry 0x%llx is above the real-mode limit "
				"0x%llx", HEX(entry), HEX(rma));
	if (rma && opts->have_secondary_entry && opts->secondary_entry >= rma)
		return pk_error("--secondary-entry 0x%llx is above the real-mode "
				"limit 0x%llx", HEX(opts->secondary_entry),
				HEX(rma));
	pk_put64(plan->arch, &regs.nia, entry);
	pk_put64(plan->arch, &regs.msr_le, little_endian);
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "real mode, %s-endian", little_endian ? "little" : "big");

	if (pk_plan_use_trampoline(plan, "raw", fixed->above, rma) ||
	    pk_ppc64_fixed_patch(plan, fixed) ||
	    pk_ppc64_patch_timebase(plan, NULL) ||
	    PK_PLAN_PATCH(plan, pk_ppc64_regs, &regs) ||
	    PK_PLAN_PATCH_INT(plan, pk_secondary_entry,
			      opts->have_secondary_entry ?
				      opts->secondary_entry : 0) ||
	    PK_PLAN_PATCH_INT(plan, pk_ppc64_cpu_in_r3, r3_given ? 0 : 1))
		return -1;
	return 0;
}

static int ppc64_raw_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	uint64_t rma = pk_ppc64_rma_top(plan);
	struct pk_ppc64_fixed fixed;
	struct pk_segment *seg;

	if (!opts->have_address)
		return pk_error("--type=raw needs --address=ADDR: where the "
				"payload goes");
	if (rma && (opts->address >= rma || file->size > rma - opts->address))
		return pk_error("%s at 0x%llx (0x%zx bytes) reaches above the "
				"real-mode limit 0x%llx", file->path,
				HEX(opts->address), file->size, HEX(rma));
	pk_ppc64_fixed_open(plan, &fixed);
	seg = pk_plan_add_data(plan, file->data, file->size, opts->address,
			       file->size, "%s (raw)", file->path);
	if (!seg)
		return -1;
	seg->verify = true;
	if (pk_ppc64_fixed_stage(plan, &fixed))
		return -1;
	return ppc64_raw_enter(plan, opts->have_entry ? opts->entry :
							opts->address,
			       !plan->arch->big_endian, &fixed);
}

static int ppc64_elf_detect(const struct pk_file *file,
			    const struct pk_arch *arch)
{
	struct pk_elf_info info;

	if (!pk_elf_probe(file, &info))
		return 0;
	return info.machine == EM_PPC64 ? 10 : 0;
}

static int ppc64_elf_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct pk_ppc64_fixed fixed;
	struct pk_elf_info info;

	if (!pk_elf_probe(file, &info))
		return pk_error("%s: not an ELF file", file->path);
	if (info.machine != EM_PPC64 || info.elf_class != ELFCLASS64)
		return pk_error("%s: ELF machine %u is not 64-bit PowerPC",
				file->path, info.machine);
	pk_ppc64_fixed_open(plan, &fixed);
	if (pk_elf_load(plan, file, pk_ppc64_rma_top(plan), &info) ||
	    pk_ppc64_fixed_stage(plan, &fixed))
		return -1;
	return ppc64_raw_enter(plan, opts->have_entry ? opts->entry :
							info.entry,
			       !info.big_endian, &fixed);
}

static const struct pk_payload_type pk_ppc64_raw_type = {
	.name = "raw",
	.arches = "ppc64le ppc64",
	.summary = "flat binary at --address, --entry, --reg, "
		   "--secondary-entry",
	.build = ppc64_raw_build,
	.finish = pk_ppc64_fixed_check,
	.options = "address entry reg secondary-entry dtb",
};
PK_PAYLOAD_TYPE(pk_ppc64_raw_type);

static const struct pk_payload_type pk_ppc64_elf_type = {
	.name = "elf",
	.arches = "ppc64le ppc64",
	.summary = "any 64-bit PowerPC ELF, either endianness, raw hand-off",
	.detect = ppc64_elf_detect,
	.build = ppc64_elf_build,
	.finish = pk_ppc64_fixed_check,
	.options = "entry reg secondary-entry dtb",
};
PK_PAYLOAD_TYPE(pk_ppc64_elf_type);
