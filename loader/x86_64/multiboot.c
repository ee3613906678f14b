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

#include <purgkit/proto/multiboot.h>
#include <purgkit/trampolines.h>

#include "x86_64/x86_64.h"


/* The header as found in the file, its fields in host order. */
struct mb1_header {
	size_t offset;			/* in the file */
	bool checksum_ok;
	uint32_t flags, checksum;
	struct pk_x86_header_address address;	/* a.out kludge only */
	uint32_t entry_addr;
};

/* The header's fields are little-endian whatever the host. */
static uint32_t mb1_le32(const uint8_t *p)
{
	return pk_load_uint(p, 4, false);
}

/* A header field read from the file's bytes at `header`. */
#define MB1_FIELD(header, field) \
	mb1_le32((header) + offsetof(struct pk_multiboot_header, field))

/*
 * The first header with a valid checksum; failing that, the first magic
 * (checksum_ok false), so that a broken header is refused by name rather
 * than taken for a file without one.  GRUB and kexec-tools search the
 * same way: 4-byte aligned, in the first 8192 bytes.
 */
static bool mb1_find_header(const struct pk_file *file,
			    struct mb1_header *hdr)
{
	size_t limit = file->size < PK_MULTIBOOT_SEARCH ? file->size :
							  PK_MULTIBOOT_SEARCH;
	bool found = false;

	for (size_t off = 0; off + PK_MULTIBOOT_HEADER_MIN_SIZE <= limit;
	     off += PK_MULTIBOOT_HEADER_ALIGN) {
		const uint8_t *p = file->data + off;
		uint32_t magic = MB1_FIELD(p, magic);
		uint32_t flags = MB1_FIELD(p, flags);
		uint32_t checksum = MB1_FIELD(p, checksum);
		bool ok = magic + flags + checksum == 0;

		if (magic != PK_MULTIBOOT_HEADER_MAGIC || (found && !ok))
			continue;
		memset(hdr, 0, sizeof(*hdr));
		found = true;
		hdr->offset = off;
		hdr->checksum_ok = ok;
		hdr->flags = flags;
		hdr->checksum = checksum;
		if (!ok)
			continue;
		hdr->address.header_offset = off;
		if ((flags & PK_MULTIBOOT_AOUT_KLUDGE) &&
		    off + PK_MULTIBOOT_HEADER_AOUT_SIZE <= file->size) {
			hdr->address.header_addr = MB1_FIELD(p, header_addr);
			hdr->address.load_addr = MB1_FIELD(p, load_addr);
			hdr->address.load_end_addr = MB1_FIELD(p, load_end_addr);
			hdr->address.bss_end_addr = MB1_FIELD(p, bss_end_addr);
			hdr->entry_addr = MB1_FIELD(p, entry_addr);
		}
		return true;
	}
	return found;
}

/*
 * A magic with a bad checksum still claims the file: loading it as a
 * plain ELF instead would hide a broken kernel; build() refuses it and
 * says how to load it anyway (--type=elf).
 */
static int mb1_detect(const struct pk_file *file, const struct pk_arch *arch)
{
	struct mb1_header hdr;

	return mb1_find_header(file, &hdr) ? 30 : 0;
}


/* The header's required flags we cannot honour are refused by name. */
static int mb1_check_flags(const struct pk_file *file,
			   const struct mb1_header *hdr)
{
	uint32_t known = PK_MULTIBOOT_PAGE_ALIGN | PK_MULTIBOOT_MEMORY_INFO |
			 PK_MULTIBOOT_VIDEO_MODE;
	uint32_t unknown = hdr->flags & PK_MULTIBOOT_REQUIRED_MASK & ~known;

	if (hdr->flags & PK_MULTIBOOT_VIDEO_MODE)
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
	struct pk_x86_loaded loaded;

	if (hdr->offset + PK_MULTIBOOT_HEADER_AOUT_SIZE > file->size)
		return pk_error("%s: multiboot header at 0x%zx is truncated "
				"(a.out kludge needs %d bytes)", file->path,
				hdr->offset, PK_MULTIBOOT_HEADER_AOUT_SIZE);
	loaded.first_segment = plan->segment_count;
	if (pk_x86_load_header_address(plan, file, &hdr->address, "multiboot",
				       "a.out kludge image", &loaded.start,
				       &loaded.end) ||
	    pk_x86_check_entry(plan, file, &loaded, hdr->entry_addr,
			       "multiboot entry_addr"))
		return -1;
	*entry = hdr->entry_addr;
	return 0;
}

/*
 * The information structure (specification section 3.3): memory sizes,
 * command line, modules, the memory map and our name.  Fields are
 * written in the target's byte order through pk_put32/pk_put64.
 */
static int mb1_fill_info(struct pk_plan *plan, struct pk_x86_info *info,
			 const char *cmdline)
{
	const struct pk_arch *arch = plan->arch;
	uint32_t flags = PK_MULTIBOOT_INFO_MEMORY | PK_MULTIBOOT_INFO_CMDLINE |
			 PK_MULTIBOOT_INFO_MEM_MAP |
			 PK_MULTIBOOT_INFO_LOADER_NAME;
	struct pk_multiboot_info *mbi;
	struct pk_multiboot_mmap_entry *mmap;
	uint32_t lower, upper;

	mbi = pk_x86_info_reserve(info, sizeof(*mbi), 8);
	if (!mbi)
		return -1;
	pk_x86_mem_lower_upper(plan, &lower, &upper);
	pk_put32(arch, &mbi->mem_lower, lower);
	pk_put32(arch, &mbi->mem_upper, upper);
	pk_put32(arch, &mbi->cmdline, pk_x86_info_string(info, cmdline));
	if (info->module_count) {
		struct pk_multiboot_module *mods;

		mods = pk_x86_info_reserve(info, sizeof(*mods) *
					   info->module_count, 8);
		if (!mods)
			return -1;
		for (size_t i = 0; i < info->module_count; i++) {
			const struct pk_x86_module *m = &info->modules[i];

			pk_put32(arch, &mods[i].mod_start, m->start);
			pk_put32(arch, &mods[i].mod_end, m->end);
			pk_put32(arch, &mods[i].cmdline,
				 pk_x86_info_string(info, m->string));
		}
		flags |= PK_MULTIBOOT_INFO_MODS;
		pk_put32(arch, &mbi->mods_count, info->module_count);
		pk_put32(arch, &mbi->mods_addr, pk_x86_info_address(info, mods));
	}
	mmap = pk_x86_info_reserve(info, sizeof(*mmap) * plan->memmap.count, 8);
	if (!mmap)
		return -1;
	for (size_t i = 0; i < plan->memmap.count; i++) {
		const struct pk_mem_range *r = &plan->memmap.ranges[i];

		pk_put32(arch, &mmap[i].size,
			 PK_MULTIBOOT_MMAP_ENTRY_SIZE_FIELD);
		pk_put64(arch, &mmap[i].addr, r->start);
		pk_put64(arch, &mmap[i].len, r->end - r->start);
		pk_put32(arch, &mmap[i].type, pk_x86_e820_type(r->type));
	}
	pk_put32(arch, &mbi->mmap_length, sizeof(*mmap) * plan->memmap.count);
	pk_put32(arch, &mbi->mmap_addr, pk_x86_info_address(info, mmap));
	pk_put32(arch, &mbi->boot_loader_name,
		 pk_x86_info_string(info, PK_X86_LOADER_NAME));
	pk_put32(arch, &mbi->flags, flags);
	return info->overflowed ? -1 : 0;
}

static int mb1_build(struct pk_plan *plan)
{
	const struct pk_file *file = &plan->payload;
	struct mb1_header hdr;
	uint64_t entry = 0, info_address;
	char *cmdline;
	int ret;

	if (pk_multiboot_check_image_name(plan, "multiboot"))
		return -1;
	if (!mb1_find_header(file, &hdr))
		return pk_error("%s: no Multiboot 1 header (magic 0x1BADB002, "
				"4-byte aligned) in the first %d bytes",
				file->path, PK_MULTIBOOT_SEARCH);
	if (!hdr.checksum_ok)
		return pk_error("%s: the Multiboot 1 header at file offset "
				"0x%zx has a bad checksum 0x%x (0x%x makes "
				"magic + flags + checksum 0); --type=elf loads "
				"the file as a plain ELF", file->path,
				hdr.offset, hdr.checksum,
				-(PK_MULTIBOOT_HEADER_MAGIC + hdr.flags));
	pk_debug("multiboot header at file offset 0x%zx, flags 0x%x",
		 hdr.offset, hdr.flags);
	if (mb1_check_flags(file, &hdr))
		return -1;
	if (hdr.flags & PK_MULTIBOOT_AOUT_KLUDGE) {
		if (mb1_load_aout(plan, file, &hdr, &entry))
			return -1;
	} else {
		struct pk_x86_loaded loaded;

		if (pk_x86_load_elf_kernel(plan, file, "a multiboot kernel "
					   "without the a.out kludge (flag "
					   "bit 16)", &loaded) ||
		    pk_x86_check_entry(plan, file, &loaded, loaded.elf_entry,
				       "multiboot ELF entry e_entry"))
			return -1;
		entry = loaded.elf_entry;
	}
	if (entry >= PK_X86_4G)
		return pk_error("%s: entry 0x%llx is above 4 GiB, out of reach "
				"of 32-bit protected mode", file->path,
				HEX(entry));

	/* The structure and one entry per module; strings come on top. */
	cmdline = pk_multiboot_command_line(plan);
	ret = pk_x86_build_boot_info(plan, sizeof(struct pk_multiboot_info),
				     sizeof(struct pk_multiboot_module),
				     mb1_fill_info, cmdline,
				     "multiboot information", &info_address);
	free(cmdline);
	if (ret)
		return -1;

	if (pk_plan_use_trampoline(plan, "multiboot", 1 << 20, PK_X86_4G) ||
	    PK_PLAN_PATCH_INT(plan, pk_multiboot_entry, entry) ||
	    PK_PLAN_PATCH_INT(plan, pk_multiboot_info, info_address))
		return -1;
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "32-bit protected mode, EAX=0x%x EBX=0x%llx",
		 PK_MULTIBOOT_BOOTLOADER_MAGIC, HEX(info_address));
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
