/* SPDX-License-Identifier: MIT */
/*
 * aarch64 "raw" and "elf": payloads with their own convention, through
 * the raw trampoline (trampolines/aarch64/raw.c; docs/contract-aarch64.md,
 * "raw").
 *
 * Registers: --reg x0=..x7=, sp=, el= (names and sizes from the block's
 * field list, purgkit/regs.h; unnamed ones are 0; el 0 = the level kexec
 * entered at, 1 = EL1, 2 = EL2).  x0 is the device tree unless --reg
 * names it, as the Image protocol has it: dtb.c's (--dtb, else the
 * running kernel's, /chosen/bootargs = --append), placed above the
 * payload's own segments.  The entry is --entry, else the ELF's e_entry
 * or the flat binary's --address.
 */
#include <elf.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "elf_payload.h"
#include "aarch64/aarch64.h"

#ifndef EM_AARCH64
#define EM_AARCH64 183
#endif

/* A register --reg may name, from the block's own field list. */
struct raw_register {
	const char *name;
	size_t offset, size, count;
};

#define RAW_REGISTER(S, type, field, bound)				\
	{ #field, offsetof(struct S, field), sizeof(type),		\
	  sizeof(type bound) / sizeof(type) },

static const struct raw_register raw_registers[] = {
	PK_AARCH64_REGS(RAW_REGISTER, pk_aarch64_regs)
};

#define RAW_COUNT (sizeof(raw_registers) / sizeof(raw_registers[0]))

/*
 * "x3" is element 3 of the array field x; "sp" and "el" are fields.  The
 * entry, pc, comes from --entry, not --reg.
 */
static int raw_set(const struct pk_arch *arch, struct pk_aarch64_regs *regs,
		   const struct pk_reg_option *reg)
{
	for (size_t i = 0; i < RAW_COUNT; i++) {
		const struct raw_register *field = &raw_registers[i];
		size_t len = strlen(field->name), index = 0;
		const char *rest = reg->name + len;

		if (strncmp(reg->name, field->name, len) ||
		    !strcmp(field->name, "pc"))
			continue;
		if (field->count > 1) {
			if (rest[0] < '0' || rest[0] > '9' || rest[1])
				continue;
			index = (size_t)(rest[0] - '0');
			if (index >= field->count)
				continue;
		} else if (*rest) {
			continue;
		}
		if (!strcmp(field->name, "el") && reg->value > 2)
			return pk_error("--reg el=%llu: 0 (the level kexec "
					"entered at), 1 or 2", HEX(reg->value));
		pk_put_uint(arch, (uint8_t *)regs + field->offset +
			    index * field->size, field->size, reg->value);
		return 0;
	}
	return pk_error("--reg %s: aarch64 raw sets x0..x7, sp and el (the "
			"entry is --entry)", reg->name);
}

/*
 * x0 = the device tree, placed above every segment the payload has (or
 * anywhere, when nothing is free above them): unless --reg gave x0,
 * which then makes --dtb and --append meaningless.
 */
static int raw_device_tree(struct pk_plan *plan, struct pk_aarch64_regs *regs,
			   bool *in_x0)
{
	const struct pk_options *opts = plan->opts;
	uint64_t above = 0, dtb;
	char *cmdline;
	void *fdt;
	int err;

	*in_x0 = true;
	for (size_t i = 0; i < opts->reg_count; i++)
		if (!strcmp(opts->regs[i].name, "x0"))
			*in_x0 = false;
	if (!*in_x0) {
		if (opts->dtb || opts->command_line || opts->reuse_cmdline)
			return pk_error("%s: --reg x0 replaces the device tree "
					"raw and elf pass in x0: give one or "
					"the other", opts->dtb ? "--dtb" :
					opts->command_line ? "--append" :
					"--reuse-cmdline");
		return 0;
	}
	for (size_t i = 0; i < plan->segment_count; i++)
		if (plan->segments[i].dest + plan->segments[i].memsz > above)
			above = plan->segments[i].dest +
				plan->segments[i].memsz;
	cmdline = pk_options_command_line(opts);
	err = pk_aarch64_dtb_build(plan, &(struct pk_aarch64_tree){
		.cmdline = cmdline,
		.or_else = "or set x0 yourself with --reg x0=VALUE" }, &fdt);
	free(cmdline);
	if (!err && pk_plan_find_free(plan, fdt_totalsize(fdt), 0, above, 0,
				      false, &dtb, NULL))
		above = 0;
	if (err || pk_aarch64_dtb_place(plan, fdt, above, &dtb))
		return -1;
	pk_put64(plan->arch, &regs->x[0], dtb);
	return 0;
}

static int raw_enter(struct pk_plan *plan, uint64_t entry)
{
	const struct pk_options *opts = plan->opts;
	struct pk_aarch64_regs regs;
	bool tree;

	memset(&regs, 0, sizeof(regs));
	for (size_t i = 0; i < opts->reg_count; i++)
		if (raw_set(plan->arch, &regs, &opts->regs[i]))
			return -1;
	if (entry & 3)
		return pk_error("entry 0x%llx is not 4-byte aligned, as every "
				"aarch64 instruction is", HEX(entry));
	if (raw_device_tree(plan, &regs, &tree))
		return -1;
	pk_put64(plan->arch, &regs.pc, entry);
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "MMU off, %s%s", regs.el == 0 ? "at the entry's EL" :
		 pk_get(plan->arch, &regs.el) == 1 ? "at EL1" : "at EL2",
		 tree ? ", x0 = the device tree" : "");
	if (pk_plan_use_trampoline(plan, "raw", 0, 0) ||
	    PK_PLAN_PATCH(plan, pk_aarch64_regs, &regs))
		return -1;
	return 0;
}

static int raw_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct pk_segment *seg;

	if (!opts->have_address)
		return pk_error("--type=raw needs --address=ADDR: where the "
				"payload goes");
	seg = pk_plan_add_data(plan, file->data, file->size, opts->address,
			       file->size, "%s (raw)", file->path);
	if (!seg)
		return -1;
	seg->verify = true;
	return raw_enter(plan, opts->have_entry ? opts->entry : opts->address);
}

static int elf_detect(const struct pk_file *file, const struct pk_arch *arch)
{
	struct pk_elf_info info;

	if (!pk_elf_probe(file, &info))
		return 0;
	return info.machine == EM_AARCH64 ? 10 : 0;
}

static int elf_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct pk_elf_info info;

	if (!pk_elf_probe(file, &info))
		return pk_error("%s: not an ELF file", file->path);
	if (info.machine != EM_AARCH64 || info.elf_class != ELFCLASS64)
		return pk_error("%s: ELF machine %u is not 64-bit Arm (%u)",
				file->path, info.machine, EM_AARCH64);
	if (info.big_endian)
		return pk_error("%s: a big-endian ELF; the aarch64 target is "
				"little-endian", file->path);
	if (pk_elf_load(plan, file, 0, &info))
		return -1;
	return raw_enter(plan, opts->have_entry ? opts->entry : info.entry);
}

static const struct pk_payload_type pk_aarch64_raw_type = {
	.name = "raw",
	.arches = "aarch64",
	.summary = "flat binary at --address, --entry, --reg x0..x7/sp/el, "
		   "x0 = the device tree",
	.build = raw_build,
	.options = "address entry reg dtb append reuse-cmdline",
};
PK_PAYLOAD_TYPE(pk_aarch64_raw_type);

static const struct pk_payload_type pk_aarch64_elf_type = {
	.name = "elf",
	.arches = "aarch64",
	.summary = "any 64-bit Arm ELF, raw hand-off, x0 = the device tree",
	.detect = elf_detect,
	.build = elf_build,
	.options = "entry reg dtb append reuse-cmdline",
};
PK_PAYLOAD_TYPE(pk_aarch64_elf_type);
