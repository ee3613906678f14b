/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "multiboot": Multiboot 1 (the 0.6.96 specification) payloads,
 * ELF kernels and a.out-kludge images, with modules.  The trampoline
 * "multiboot" enters the payload in 32-bit protected mode with
 * EAX = 0x2BADB002 and EBX = the information structure built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/trampolines.h>

#include "loader.h"
#include "x86_64/x86_64.h"

#define HEX(x) ((unsigned long long)(x))

#define MB1_MAGIC		0x1BADB002u
#define MB1_SEARCH		8192

/* Header flags. */
#define MB1_PAGE_ALIGN		(1u << 0)
#define MB1_MEMORY_INFO		(1u << 1)
#define MB1_VIDEO_MODE		(1u << 2)
#define MB1_AOUT_KLUDGE		(1u << 16)

/* Information flags. */
#define MB1_INFO_MEMORY		(1u << 0)
#define MB1_INFO_CMDLINE	(1u << 2)
#define MB1_INFO_MODS		(1u << 3)
#define MB1_INFO_MMAP		(1u << 6)
#define MB1_INFO_LOADER_NAME	(1u << 9)

#define MB1_INFO_SIZE		120	/* through the framebuffer fields */

struct mb1_header {
	size_t offset;
	uint32_t flags;
	struct pk_x86_header_address address;	/* a.out kludge only */
	uint32_t entry_addr;
};

static uint32_t pk_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool mb1_find_header(const struct pk_file *file,
			    struct mb1_header *hdr)
{
	size_t limit = file->size < MB1_SEARCH ? file->size : MB1_SEARCH;

	for (size_t off = 0; off + 12 <= limit; off += 4) {
		const uint8_t *p = file->data + off;

		if (pk_le32(p) != MB1_MAGIC ||
		    pk_le32(p) + pk_le32(p + 4) + pk_le32(p + 8) != 0)
			continue;
		memset(hdr, 0, sizeof(*hdr));
		hdr->offset = off;
		hdr->flags = pk_le32(p + 4);
		hdr->address.header_offset = off;
		if ((hdr->flags & MB1_AOUT_KLUDGE) && off + 32 <= file->size) {
			hdr->address.header_addr = pk_le32(p + 12);
			hdr->address.load_addr = pk_le32(p + 16);
			hdr->address.load_end_addr = pk_le32(p + 20);
			hdr->address.bss_end_addr = pk_le32(p + 24);
			hdr->entry_addr = pk_le32(p + 28);
		}
		return true;
	}
	return false;
}

static int mb1_detect(const struct pk_file *file, const struct pk_arch *arch)
{
	struct mb1_header hdr;

	return mb1_find_header(file, &hdr) ? 30 : 0;
}

/* The header's required flags we cannot honour are refused by name. */
static int mb1_check_flags(const struct pk_file *file,
			   const struct mb1_header *hdr)
{
	uint32_t unknown = hdr->flags & 0xfff8u;

	if (hdr->flags & MB1_VIDEO_MODE)
		return pk_error("%s: the multiboot header requires video mode "
				"information (flag bit 2, MULTIBOOT_VIDEO_MODE); "
				"purgkit-load sets no video mode",
				file->path);
	if (unknown)
		return pk_error("%s: the multiboot header requires flag bit %d, "
				"which this loader does not know",
				file->path, __builtin_ctz(unknown));
	return 0;
}

/* a.out kludge: the header's addresses say what to load where. */
static int mb1_load_aout(struct pk_plan *plan, const struct pk_file *file,
			 const struct mb1_header *hdr, uint64_t *entry)
{
	uint64_t start, end;

	if (hdr->offset + 32 > file->size)
		return pk_error("%s: multiboot header at 0x%zx is truncated "
				"(a.out kludge needs 32 bytes)", file->path,
				hdr->offset);
	if (pk_x86_load_header_address(plan, file, &hdr->address, "multiboot",
				       "a.out kludge image", &start, &end))
		return -1;
	if (hdr->entry_addr < start || hdr->entry_addr >= end)
		return pk_error("%s: multiboot entry_addr 0x%x is outside the "
				"loaded image 0x%llx-0x%llx", file->path,
				hdr->entry_addr, HEX(start), HEX(end));
	*entry = hdr->entry_addr;
	return 0;
}

/*
 * The information structure (specification section 3.3) with memory
 * sizes, command line, modules, the memory map and our name.
 */
static int mb1_fill_info(struct pk_plan *plan, struct pk_x86_info *info,
			 const char *cmdline)
{
	const struct pk_arch *arch = plan->arch;
	uint32_t flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MMAP |
			 MB1_INFO_LOADER_NAME;
	uint8_t *mbi = pk_x86_info_reserve(info, MB1_INFO_SIZE, 8);
	uint32_t lower, upper;
	size_t mmap_size = 24 * plan->memmap.count;
	uint8_t *mmap;

	if (!mbi)
		return -1;
	pk_x86_mem_lower_upper(plan, &lower, &upper);
	pk_put32(arch, mbi + 4, lower);
	pk_put32(arch, mbi + 8, upper);
	pk_put32(arch, mbi + 16, pk_x86_info_string(info, cmdline));
	if (info->module_count) {
		uint8_t *mods = pk_x86_info_reserve(info,
						    16 * info->module_count, 8);

		if (!mods)
			return -1;
		for (size_t i = 0; i < info->module_count; i++) {
			const struct pk_x86_module *m = &info->modules[i];

			pk_put32(arch, mods + 16 * i, m->start);
			pk_put32(arch, mods + 16 * i + 4, m->end);
			pk_put32(arch, mods + 16 * i + 8,
				 pk_x86_info_string(info, m->string));
		}
		flags |= MB1_INFO_MODS;
		pk_put32(arch, mbi + 20, info->module_count);
		pk_put32(arch, mbi + 24, pk_x86_info_address(info, mods));
	}
	mmap = pk_x86_info_reserve(info, mmap_size, 8);
	if (!mmap)
		return -1;
	for (size_t i = 0; i < plan->memmap.count; i++) {
		const struct pk_mem_range *r = &plan->memmap.ranges[i];
		uint8_t *e = mmap + 24 * i;

		/* Each entry's size field excludes itself: 8 + 8 + 4. */
		pk_put32(arch, e, 20);
		pk_put64(arch, e + 4, r->start);
		pk_put64(arch, e + 12, r->end - r->start);
		pk_put32(arch, e + 20, pk_x86_e820_type(r->type));
	}
	pk_put32(arch, mbi + 44, mmap_size);
	pk_put32(arch, mbi + 48, pk_x86_info_address(info, mmap));
	pk_put32(arch, mbi + 64, pk_x86_info_string(info, PK_X86_LOADER_NAME));
	pk_put32(arch, mbi, flags);
	return info->overflowed ? -1 : 0;
}

static int mb1_build(struct pk_plan *plan)
{
	const struct pk_file *file = &plan->payload;
	struct mb1_header hdr;
	uint64_t entry = 0, info_address;

	if (!mb1_find_header(file, &hdr))
		return pk_error("%s: no Multiboot 1 header (magic 0x1BADB002 "
				"with a valid checksum, 4-byte aligned) in the "
				"first 8192 bytes", file->path);
	pk_debug("multiboot header at file offset 0x%zx, flags 0x%x",
		 hdr.offset, hdr.flags);
	if (mb1_check_flags(file, &hdr))
		return -1;
	if (hdr.flags & MB1_AOUT_KLUDGE) {
		if (mb1_load_aout(plan, file, &hdr, &entry))
			return -1;
	} else {
		struct pk_elf_info elf;

		if (!pk_elf_probe(file, &elf))
			return pk_error("%s: a multiboot kernel without the "
					"a.out kludge (flag bit 16) must be "
					"ELF, and this is not", file->path);
		if (pk_elf_load(plan, file, 1ull << 32, &elf))
			return -1;
		entry = elf.entry;
	}
	if (entry >= 1ull << 32)
		return pk_error("%s: entry 0x%llx is above 4 GiB, out of reach "
				"of 32-bit protected mode", file->path,
				HEX(entry));

	/* The structure and one 16-byte entry per module. */
	if (pk_x86_build_boot_info(plan, MB1_INFO_SIZE, 16, mb1_fill_info,
				   "multiboot information", &info_address))
		return -1;

	if (pk_plan_use_trampoline(plan, "multiboot", 1 << 20, 1ull << 32) ||
	    pk_plan_patch_int(plan, PK_SYM_MULTIBOOT_ENTRY, entry) ||
	    pk_plan_patch_int(plan, PK_SYM_MULTIBOOT_INFO, info_address))
		return -1;
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "32-bit protected mode, EAX=0x2badb002 EBX=0x%llx",
		 HEX(info_address));
	return 0;
}

static const struct pk_payload_type pk_x86_64_multiboot_type = {
	.name = "multiboot",
	.arches = "x86_64",
	.summary = "Multiboot 1 kernel (ELF or a.out kludge), --module",
	.detect = mb1_detect,
	.build = mb1_build,
	.options = "module append reuse-cmdline",
};
PK_PAYLOAD_TYPE(pk_x86_64_multiboot_type);
