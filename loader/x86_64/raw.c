/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "raw" and "elf": payloads with their own convention, entered in
 * 64-bit, 32-bit or 16-bit mode with the registers the user gives
 * (--reg NAME=VALUE; unnamed registers are 0) through the trampolines
 * raw64, raw32 and raw16.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/trampolines.h>

#include "loader.h"
#include "x86_64/x86_64.h"

#define HEX(x) ((unsigned long long)(x))

static const char *const regs64[] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
	"r10", "r11", "r12", "r13", "r14", "r15", "rip",
};
static const char *const regs32[] = {
	"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip",
};
/* 32-bit registers first (4 bytes each), then 16-bit ones (2 bytes). */
static const char *const regs16[] = {
	"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp",
	"cs", "ip", "ds", "es", "fs", "gs", "ss",
};

static int raw_index(const char *const *names, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* Fill the mode's register structure in target order and patch it. */
static int raw_patch_regs(struct pk_plan *plan, int mode, uint64_t entry)
{
	const struct pk_options *opts = plan->opts;
	uint8_t bytes[sizeof(struct pk_x86_64_regs)] = { 0 };
	const char *const *names;
	size_t count, size;
	const char *symbol;

	if (mode == 64) {
		names = regs64, count = 17, size = sizeof(struct pk_x86_64_regs);
		symbol = PK_SYM_X86_64_REGS;
		pk_put64(plan->arch, bytes + 16 * 8, entry);
	} else if (mode == 32) {
		names = regs32, count = 9, size = sizeof(struct pk_x86_32_regs);
		symbol = PK_SYM_X86_32_REGS;
		pk_put32(plan->arch, bytes + 8 * 4, entry);
	} else {
		names = regs16, count = 15, size = sizeof(struct pk_x86_16_regs);
		symbol = PK_SYM_X86_16_REGS;
		/* cs:ip = entry, cs holding the bits above 64 KiB. */
		pk_put16(plan->arch, bytes + 32, (entry & 0xf0000) >> 4);
		pk_put16(plan->arch, bytes + 34, entry & 0xffff);
	}
	for (size_t i = 0; i < opts->reg_count; i++) {
		const struct pk_reg_option *reg = &opts->regs[i];
		int at = raw_index(names, count, reg->name);
		int width = mode == 64 ? 8 : (mode == 16 && at >= 8) ? 2 : 4;

		if (at < 0)
			return pk_error("--reg %s: not a register of the %d-bit "
					"hand-off", reg->name, mode);
		if (width < 8 && reg->value >> (width * 8))
			return pk_error("--reg %s=0x%llx: does not fit %d bits",
					reg->name, HEX(reg->value), width * 8);
		if (mode == 64)
			pk_put64(plan->arch, bytes + 8 * at, reg->value);
		else if (width == 4)
			pk_put32(plan->arch, bytes + 4 * at, reg->value);
		else
			pk_put16(plan->arch, bytes + 32 + 2 * (at - 8),
				 reg->value);
	}
	return pk_plan_patch(plan, symbol, bytes, size);
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
		    pk_plan_patch_int(plan, PK_SYM_REAL_MODE_STUB, stub->dest))
			return -1;
	}
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "%d-bit %s", mode, mode == 64 ? "long mode" :
		 mode == 32 ? "protected mode" : "real mode");
	return 0;
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
	.options = "address entry mode reg",
};
PK_PAYLOAD_TYPE(pk_x86_64_raw_type);

static const struct pk_payload_type pk_x86_64_elf_type = {
	.name = "elf",
	.arches = "x86_64",
	.summary = "any ELF32/ELF64 payload, raw32/raw64 hand-off",
	.detect = elf_detect,
	.build = elf_build,
	.options = "entry mode reg",
};
PK_PAYLOAD_TYPE(pk_x86_64_elf_type);
