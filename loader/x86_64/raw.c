/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "raw" and "elf": payloads with their own convention, entered in
 * 64-bit, 32-bit or 16-bit mode with the registers the user gives
 * (--reg NAME=VALUE; unnamed registers are 0) through the trampolines
 * raw64, raw32 and raw16.
 */
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_payload.h"
#include "x86_64/x86_64.h"

/*
 * A register the user may name with --reg, and where it lives in its
 * mode's structure: the tables below come from the structures' own field
 * lists (purgkit/regs.h), so no offset or size is written here.
 */
struct raw_register {
	const char *name;
	size_t offset, size;
};

#define RAW_REGISTER(S, type, field, bound) \
	{ #field, offsetof(struct S, field), sizeof(type bound) },

static const struct raw_register raw_registers_64[] = {
	PK_X86_64_REGS(RAW_REGISTER, pk_x86_64_regs)
};
static const struct raw_register raw_registers_32[] = {
	PK_X86_32_REGS(RAW_REGISTER, pk_x86_32_regs)
};
static const struct raw_register raw_registers_16[] = {
	PK_X86_16_REGS(RAW_REGISTER, pk_x86_16_regs)
};

#define RAW_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* A field named "reserved" pads a structure; it is no register. */
static const struct raw_register *raw_find(const struct raw_register *table,
					   size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(table[i].name, name) &&
		    strcmp(table[i].name, "reserved"))
			return &table[i];
	return NULL;
}

/* Fill the mode's register structure in target order and patch it. */
static int raw_patch_regs(struct pk_plan *plan, int mode, uint64_t entry)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_arch *arch = plan->arch;
	struct pk_x86_64_regs regs64 = { 0 };
	struct pk_x86_32_regs regs32 = { 0 };
	struct pk_x86_16_regs regs16 = { 0 };
	const struct raw_register *table;
	size_t count;
	void *regs;

	if (mode == 64) {
		table = raw_registers_64, count = RAW_COUNT(raw_registers_64);
		regs = &regs64;
		pk_put64(arch, &regs64.rip, entry);
	} else if (mode == 32) {
		table = raw_registers_32, count = RAW_COUNT(raw_registers_32);
		regs = &regs32;
		pk_put32(arch, &regs32.eip, entry);
	} else {
		table = raw_registers_16, count = RAW_COUNT(raw_registers_16);
		regs = &regs16;
		/* cs:ip = entry, cs holding the bits above 64 KiB. */
		pk_put16(arch, &regs16.cs, (entry & 0xf0000) >> 4);
		pk_put16(arch, &regs16.ip, entry & 0xffff);
	}
	for (size_t i = 0; i < opts->reg_count; i++) {
		const struct pk_reg_option *reg = &opts->regs[i];
		const struct raw_register *field = raw_find(table, count,
							    reg->name);

		if (!field) {
			struct pk_nearest nearest;
			char hint[96];

			pk_nearest_init(&nearest, reg->name);
			for (size_t j = 0; j < count; j++)
				if (strcmp(table[j].name, "reserved"))
					pk_nearest_offer(&nearest,
							 table[j].name);
			return pk_error("--reg %s: not a register of the %d-bit "
					"hand-off%s", reg->name, mode,
					pk_nearest_hint(&nearest, hint,
							sizeof(hint)));
		}
		if (field->size < 8 && reg->value >> (field->size * 8))
			return pk_error("--reg %s=0x%llx: does not fit %d bits",
					reg->name, HEX(reg->value),
					(int)field->size * 8);
		pk_put_uint(arch, (uint8_t *)regs + field->offset, field->size,
			    reg->value);
	}
	if (mode == 64)
		return PK_PLAN_PATCH(plan, pk_x86_64_regs, &regs64);
	if (mode == 32)
		return PK_PLAN_PATCH(plan, pk_x86_32_regs, &regs32);
	return PK_PLAN_PATCH(plan, pk_x86_16_regs, &regs16);
}

static int raw_enter(struct pk_plan *plan, int mode, uint64_t entry)
{
	static const char *const names[] = { [16] = "raw16", [32] = "raw32",
					     [64] = "raw64" };

	if (mode == 32 && entry >= PK_X86_4G)
		return pk_error("entry 0x%llx is above 4 GiB, out of reach of "
				"32-bit mode", HEX(entry));
	if (mode == 16 && entry >= 1 << 20)
		return pk_error("entry 0x%llx is above 1 MiB, out of reach of "
				"real mode", HEX(entry));
	if (pk_plan_use_trampoline(plan, names[mode], 1 << 20, PK_X86_4G) ||
	    raw_patch_regs(plan, mode, entry))
		return -1;
	if (mode == 16) {
		/* The page the trampoline's real-mode switch runs from. */
		struct pk_segment *stub = pk_plan_alloc_segment(
			plan, NULL, 0, 4096, 0, 0x1000, 0xa0000, true,
			"real-mode switch page");

		if (!stub ||
		    PK_PLAN_PATCH_INT(plan, pk_real_mode_stub, stub->dest))
			return -1;
	}
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "%d-bit %s", mode, mode == 64 ? "long mode" :
		 mode == 32 ? "protected mode" : "real mode");
	return pk_x86_bios_irq(plan, mode);
}

static int raw_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	int mode = opts->mode ? opts->mode : 64;
	uint64_t limit = mode == 64 ? 0 : mode == 32 ? PK_X86_4G : 1 << 20;
	uint64_t entry;

	if (!opts->have_address)
		return pk_error("--type=raw needs --address=ADDR: where the "
				"payload goes");
	if (limit && (opts->address >= limit ||
		      file->size > limit - opts->address))
		return pk_error("%s at 0x%llx (0x%zx bytes) is out of reach of "
				"%d-bit mode", file->path, HEX(opts->address),
				file->size, mode);
	if (!pk_plan_add_data(plan, file->data, file->size, opts->address,
			      file->size, "%s (raw)", file->path))
		return -1;
	entry = opts->have_entry ? opts->entry : opts->address;
	return raw_enter(plan, mode, entry);
}

static int elf_detect(const struct pk_file *file, const struct pk_arch *arch)
{
	struct pk_elf_info info;

	if (!pk_elf_probe(file, &info))
		return 0;
	return info.machine == EM_X86_64 || info.machine == EM_386 ? 10 : 0;
}

static int elf_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct pk_elf_info info;
	int mode;

	if (!pk_elf_probe(file, &info))
		return pk_error("%s: not an ELF file", file->path);
	if (info.machine != EM_X86_64 && info.machine != EM_386)
		return pk_error("%s: ELF machine %u is neither x86_64 nor i386",
				file->path, info.machine);
	mode = opts->mode ? opts->mode :
	       info.elf_class == ELFCLASS64 ? 64 : 32;
	if (pk_elf_load(plan, file, mode == 64 ? 0 :
			mode == 32 ? PK_X86_4G : 1 << 20, &info))
		return -1;
	return raw_enter(plan, mode, opts->have_entry ? opts->entry :
							info.entry);
}

static const struct pk_payload_type pk_x86_64_raw_type = {
	.name = "raw",
	.arches = "x86_64",
	.summary = "flat binary at --address, --entry, --mode, --reg",
	.build = raw_build,
	.options = "address entry mode reg bios-irq",
};
PK_PAYLOAD_TYPE(pk_x86_64_raw_type);

static const struct pk_payload_type pk_x86_64_elf_type = {
	.name = "elf",
	.arches = "x86_64",
	.summary = "any ELF32/ELF64 payload, raw32/raw64 hand-off",
	.detect = elf_detect,
	.build = elf_build,
	.options = "entry mode reg bios-irq",
};
PK_PAYLOAD_TYPE(pk_x86_64_elf_type);
