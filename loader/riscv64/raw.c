/* SPDX-License-Identifier: MIT */
/*
 * riscv64 "raw" and "elf": payloads with their own convention, through
 * the raw trampoline (trampolines/riscv64/raw.c).
 *
 * Registers: --reg a0=..a7=, sp= (unnamed ones are 0).  Unless --reg a0
 * or a1 is given, a0 and a1 are the hart id and the device tree at run
 * time: what every OpenSBI next stage expects, so a boot loader or
 * S-mode firmware is kexec'd as it is.  Every load carries the device
 * tree kexec requires (devtree.c), first among the segments.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_payload.h"
#include "riscv64/riscv64.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* What finish() checks: where build() put the tree. */
struct riscv64_raw_state {
	uint64_t tree;
};

static int riscv64_raw_enter(struct pk_plan *plan, uint64_t entry,
			     uint64_t tree)
{
	const struct pk_options *opts = plan->opts;
	struct pk_riscv64_regs regs = { { 0 }, 0, 0 };
	struct riscv64_raw_state *state = pk_xzalloc(sizeof(*state));
	bool boot_args = true;

	for (size_t i = 0; i < opts->reg_count; i++) {
		const char *name = opts->regs[i].name;
		uint64_t value = opts->regs[i].value;

		if (!strcmp(name, "sp")) {
			pk_put64(plan->arch, &regs.sp, value);
			continue;
		}
		if (name[0] != 'a' || name[1] < '0' || name[1] > '7' ||
		    name[2]) {
			free(state);
			return pk_error("--reg %s: riscv64 raw sets a0..a7 "
					"and sp", name);
		}
		if (name[1] <= '1')
			boot_args = false;
		pk_put64(plan->arch, &regs.a[name[1] - '0'], value);
	}
	if (entry & 1) {
		free(state);
		return pk_error("entry 0x%llx is not 2-byte aligned, as every "
				"RISC-V instruction is", HEX(entry));
	}
	pk_put64(plan->arch, &regs.pc, entry);
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "S-mode, satp = 0, %s", boot_args ? "a0 = hart id, a1 = "
		 "the device tree" : "a0..a7 as given");
	state->tree = tree;
	plan->type_state = state;
	if (pk_plan_use_trampoline(plan, "raw", 0, 0) ||
	    PK_PLAN_PATCH(plan, pk_riscv64_regs, &regs) ||
	    PK_PLAN_PATCH_INT(plan, pk_riscv64_boot_args, boot_args ? 1 : 0))
		return -1;
	return 0;
}

static int riscv64_raw_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct pk_segment *seg;
	uint64_t tree;

	if (!opts->have_address)
		return pk_error("--type=raw needs --address=ADDR: where the "
				"payload goes");
	seg = pk_plan_add_data(plan, file->data, file->size, opts->address,
			       file->size, "%s (raw)", file->path);
	if (!seg)
		return -1;
	seg->verify = true;
	if (pk_riscv64_add_tree(plan, &tree))
		return -1;
	return riscv64_raw_enter(plan, opts->have_entry ? opts->entry :
							  opts->address, tree);
}

static int riscv64_elf_detect(const struct pk_file *file,
			      const struct pk_arch *arch)
{
	struct pk_elf_info info;

	if (!pk_elf_probe(file, &info))
		return 0;
	return info.machine == EM_RISCV ? 10 : 0;
}

static int riscv64_elf_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct pk_elf_info info;
	uint64_t tree;

	if (!pk_elf_probe(file, &info))
		return pk_error("%s: not an ELF file", file->path);
	if (info.machine != EM_RISCV || info.elf_class != ELFCLASS64)
		return pk_error("%s: ELF machine %u is not 64-bit RISC-V",
				file->path, info.machine);
	if (pk_elf_load(plan, file, 0, &info) ||
	    pk_riscv64_add_tree(plan, &tree))
		return -1;
	return riscv64_raw_enter(plan, opts->have_entry ? opts->entry :
							  info.entry, tree);
}

static int riscv64_raw_finish(struct pk_plan *plan)
{
	const struct riscv64_raw_state *state = plan->type_state;

	return pk_riscv64_check_tree_first(plan, state->tree);
}

static const struct pk_payload_type pk_riscv64_raw_type = {
	.name = "raw",
	.arches = "riscv64",
	.summary = "flat binary at --address, --entry, --reg, with the "
		   "device tree",
	.build = riscv64_raw_build,
	.finish = riscv64_raw_finish,
	.options = "address entry reg dtb",
};
PK_PAYLOAD_TYPE(pk_riscv64_raw_type);

static const struct pk_payload_type pk_riscv64_elf_type = {
	.name = "elf",
	.arches = "riscv64",
	.summary = "any 64-bit RISC-V ELF, raw hand-off, with the device tree",
	.detect = riscv64_elf_detect,
	.build = riscv64_elf_build,
	.finish = riscv64_raw_finish,
	.options = "entry reg dtb",
};
PK_PAYLOAD_TYPE(pk_riscv64_elf_type);
