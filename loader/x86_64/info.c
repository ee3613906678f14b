/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the x86_64 boot protocols: e820 types, mem_lower and
 * mem_upper, boot modules, and the boot-information block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_payload.h"
#include "x86_64/x86_64.h"


uint32_t pk_x86_e820_type(enum pk_mem_type type)
{
	switch (type) {
	case PK_MEM_RAM:
		return 1;
	case PK_MEM_ACPI:
		return 3;
	case PK_MEM_NVS:
		return 4;
	case PK_MEM_UNUSABLE:
		return 5;
	case PK_MEM_PMEM:
		return 7;
	default:
		return 2;
	}
}

/* End of the usable RAM that runs on without a hole from `from`. */
static uint64_t pk_x86_ram_run_end(const struct pk_plan *plan, uint64_t from)
{
	uint64_t end = from;

	for (size_t i = 0; i < plan->memmap.count; i++) {
		const struct pk_mem_range *r = &plan->memmap.ranges[i];

		if (r->type == PK_MEM_RAM && r->start <= end && r->end > end)
			end = r->end;
	}
	return end;
}

void pk_x86_mem_lower_upper(const struct pk_plan *plan, uint32_t *lower,
			    uint32_t *upper)
{
	uint64_t low_end = pk_x86_ram_run_end(plan, 0);
	uint64_t high_end = pk_x86_ram_run_end(plan, 1 << 20);

	if (low_end > 640 << 10)
		low_end = 640 << 10;
	*lower = low_end >> 10;
	high_end -= 1 << 20;
	*upper = high_end >> 10 > UINT32_MAX ? UINT32_MAX : high_end >> 10;
}

int pk_x86_load_modules(struct pk_plan *plan, struct pk_x86_info *info)
{
	const struct pk_options *opts = plan->opts;

	info->modules = pk_xzalloc((opts->module_count + 1) *
				   sizeof(*info->modules));
	for (size_t i = 0; i < opts->module_count; i++) {
		const struct pk_module_option *m = &opts->modules[i];
		struct pk_segment *segment;
		struct pk_file file;
		char what[160];

		if (pk_file_read(m->path, "module", &file) ||
		    pk_file_inflate(&file, "module"))
			return -1;
		pk_plan_note_inflated(plan, "module", &file);
		snprintf(what, sizeof(what), "module %s", m->path);
		/* The plan owns the bytes from here on. */
		segment = pk_plan_alloc_segment(plan, file.data, file.size,
						file.size, 0, 1 << 20,
						PK_X86_4G, true, what);
		if (!segment)
			return -1;
		info->modules[i] = (struct pk_x86_module){
			segment->dest, segment->dest + file.size, m->string,
		};
		info->module_count++;
	}
	return 0;
}

int pk_x86_load_header_address(struct pk_plan *plan, const struct pk_file *file,
			       const struct pk_x86_header_address *address,
			       const char *protocol, const char *kind,
			       uint64_t *load_start, uint64_t *load_end)
{
	uint64_t header_addr = address->header_addr;
	uint64_t load_addr = address->load_addr;
	uint64_t offset, end, bss_end;

	if (load_addr > header_addr ||
	    header_addr - load_addr > address->header_offset)
		return pk_error("%s: %s load_addr 0x%llx and header_addr 0x%llx "
				"do not fit the header's file offset 0x%zx",
				file->path, protocol, HEX(load_addr),
				HEX(header_addr), address->header_offset);
	offset = address->header_offset - (header_addr - load_addr);
	end = address->load_end_addr ? address->load_end_addr :
				       load_addr + (file->size - offset);
	if (end < load_addr)
		return pk_error("%s: %s load_end_addr 0x%llx is below load_addr "
				"0x%llx", file->path, protocol, HEX(end),
				HEX(load_addr));
	if (end - load_addr > file->size - offset)
		return pk_error("%s: %s load_end_addr 0x%llx is past the end of "
				"the file (truncated?)", file->path, protocol,
				HEX(end));
	bss_end = address->bss_end_addr ? address->bss_end_addr : end;
	if (bss_end < end)
		return pk_error("%s: %s bss_end_addr 0x%llx is below "
				"load_end_addr 0x%llx", file->path, protocol,
				HEX(bss_end), HEX(end));
	/* Without load_end_addr a big file could run past 32-bit reach. */
	if (bss_end > PK_X86_4G)
		return pk_error("%s: %s image 0x%llx-0x%llx ends above 4 GiB, "
				"out of reach of 32-bit protected mode",
				file->path, protocol, HEX(load_addr),
				HEX(bss_end));
	pk_debug("%s header addresses: file offset 0x%llx, 0x%llx bytes at "
		 "0x%llx, bss to 0x%llx", protocol, HEX(offset),
		 HEX(end - load_addr), HEX(load_addr), HEX(bss_end));
	*load_start = load_addr;
	*load_end = bss_end;
	return pk_plan_add_data(plan, file->data + offset, end - load_addr,
				load_addr, bss_end - load_addr,
				"%s (%s)", file->path, kind) ? 0 : -1;
}

int pk_x86_info_begin(struct pk_plan *plan, struct pk_x86_info *info,
		      size_t fixed, const char *cmdline)
{
	size_t size = fixed + strlen(cmdline) + sizeof(PK_X86_LOADER_NAME) +
		      64 * plan->memmap.count + 64;

	for (size_t i = 0; i < info->module_count; i++)
		size += strlen(info->modules[i].string) + 1 + 32;
	size = pk_page_up(plan, size);
	if (pk_plan_find_free(plan, size, 0, 1 << 20, PK_X86_4G, true,
			      &info->base, "the boot information"))
		return -1;
	info->buf = pk_xzalloc(size);
	info->capacity = size;
	info->used = 0;
	return 0;
}

void *pk_x86_info_reserve(struct pk_x86_info *info, size_t size,
			  size_t align)
{
	size_t at = (info->used + align - 1) & ~(align - 1);

	if (at + size > info->capacity) {
		info->overflowed = true;
		pk_error("internal: boot information overflows its %zu bytes",
			 info->capacity);
		return NULL;
	}
	info->used = at + size;
	return info->buf + at;
}

uint32_t pk_x86_info_address(const struct pk_x86_info *info, const void *p)
{
	return info->base + ((const uint8_t *)p - info->buf);
}

uint32_t pk_x86_info_string(struct pk_x86_info *info, const char *text)
{
	size_t len = strlen(text) + 1;
	char *copy = pk_x86_info_reserve(info, len, 1);

	if (!copy)
		return 0;
	memcpy(copy, text, len);
	return pk_x86_info_address(info, copy);
}

int pk_x86_info_commit(struct pk_plan *plan, struct pk_x86_info *info,
		       const char *what)
{
	uint8_t *buf = info->buf;

	/* A failed reserve already recorded the error; the caller frees. */
	if (info->overflowed)
		return -1;
	info->buf = NULL;
	return pk_plan_add_segment(plan, buf, info->used, info->base,
				   info->capacity, "%s", what) ? 0 : -1;
}

void pk_x86_info_free(struct pk_x86_info *info)
{
	free(info->buf);
	free(info->modules);
	memset(info, 0, sizeof(*info));
}

int pk_x86_build_boot_info(struct pk_plan *plan, size_t fixed,
			   size_t per_module, pk_x86_info_fill fill,
			   const char *cmdline, const char *what,
			   uint64_t *address)
{
	struct pk_x86_info info;
	int ret;

	/* Modules first: the block records their addresses. */
	memset(&info, 0, sizeof(info));
	ret = pk_x86_load_modules(plan, &info) ||
	      pk_x86_info_begin(plan, &info,
				fixed + per_module * info.module_count,
				cmdline) ||
	      fill(plan, &info, cmdline) ||
	      pk_x86_info_commit(plan, &info, what);
	*address = info.base;
	pk_x86_info_free(&info);
	return ret ? -1 : 0;
}

int pk_x86_load_elf_kernel(struct pk_plan *plan, const struct pk_file *file,
			   const char *kind, struct pk_x86_loaded *loaded)
{
	struct pk_elf_info elf;

	loaded->first_segment = plan->segment_count;
	if (!pk_elf_probe(file, &elf))
		return pk_error("%s: %s must be ELF, and this is not",
				file->path, kind);
	if (pk_elf_load(plan, file, PK_X86_4G, &elf))
		return -1;
	loaded->start = elf.lowest;
	loaded->end = elf.highest;
	loaded->elf_entry = elf.entry;
	return 0;
}

int pk_x86_check_entry(const struct pk_plan *plan, const struct pk_file *file,
		       const struct pk_x86_loaded *loaded, uint64_t entry,
		       const char *field)
{
	/*
	 * Inside the image's extent and inside one of its segments: an
	 * ELF's PT_LOADs may leave holes between them.
	 */
	for (size_t i = loaded->first_segment; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];

		if (entry >= s->dest && entry - s->dest < s->memsz &&
		    entry >= loaded->start && entry < loaded->end)
			return 0;
	}
	return pk_error("%s: %s 0x%llx is outside the loaded image "
			"0x%llx-0x%llx", file->path, field, HEX(entry),
			HEX(loaded->start), HEX(loaded->end));
}

char *pk_multiboot_command_line(const struct pk_plan *plan)
{
	char *user = pk_options_command_line(plan->opts);
	const char *name = plan->payload.path;
	char *line = pk_xzalloc(strlen(name) + 1 + strlen(user) + 1);

	if (*user)
		sprintf(line, "%s %s", name, user);
	else
		strcpy(line, name);
	free(user);
	pk_debug("multiboot command line (the image's name first): %s", line);
	return line;
}

int pk_multiboot_check_image_name(const struct pk_plan *plan,
				  const char *type)
{
	const char *name = plan->payload.path;

	/* The name is the command line's first word (docs/contract). */
	if (name[strcspn(name, " \t\n")])
		return pk_error("%s: a %s kernel's file name is the first word "
				"of its command line, and this one holds "
				"white space", name, type);
	return 0;
}
