/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "multiboot2": Multiboot 2 payloads (specification 2.0).  The
 * trampoline "multiboot2" enters in 32-bit protected mode with
 * EAX = 0x36D76289 and EBX = the boot information built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/trampolines.h>

#include "loader.h"
#include "x86_64/x86_64.h"

#define HEX(x) ((unsigned long long)(x))

#define MB2_MAGIC	0xE85250D6u
#define MB2_SEARCH	32768

#define MB2_TAG_OPTIONAL 1

/* Header tags. */
enum {
	MB2_HDR_END = 0, MB2_HDR_INFO_REQUEST, MB2_HDR_ADDRESS,
	MB2_HDR_ENTRY, MB2_HDR_CONSOLE_FLAGS, MB2_HDR_FRAMEBUFFER,
	MB2_HDR_MODULE_ALIGN, MB2_HDR_EFI_BS, MB2_HDR_ENTRY_EFI32,
	MB2_HDR_ENTRY_EFI64, MB2_HDR_RELOCATABLE,
};

/* Information tags. */
enum {
	MB2_INFO_END = 0, MB2_INFO_CMDLINE = 1, MB2_INFO_LOADER_NAME = 2,
	MB2_INFO_MODULE = 3, MB2_INFO_BASIC_MEMINFO = 4, MB2_INFO_MMAP = 6,
};

static const char *const mb2_info_names[] = {
	"end", "boot command line", "boot loader name", "modules",
	"basic memory information", "BIOS boot device", "memory map",
	"VBE info", "framebuffer info", "ELF symbols", "APM table",
	"EFI 32-bit system table", "EFI 64-bit system table", "SMBIOS tables",
	"ACPI old RSDP", "ACPI new RSDP", "networking information",
	"EFI memory map", "EFI boot services not terminated",
	"EFI 32-bit image handle", "EFI 64-bit image handle",
	"image load base physical address",
};

static const char *const mb2_header_names[] = {
	"end", "information request", "address", "entry address",
	"console flags", "framebuffer", "module alignment",
	"EFI boot services", "EFI i386 entry address",
	"EFI amd64 entry address", "relocatable header",
};

struct mb2_header {
	size_t offset;
	uint32_t length;
	bool have_address, have_entry;
	struct pk_x86_header_address address;
	uint32_t entry_addr;
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static bool mb2_find(const struct pk_file *file, size_t *offset)
{
	size_t limit = file->size < MB2_SEARCH ? file->size : MB2_SEARCH;

	for (size_t off = 0; off + 16 <= limit; off += 8) {
		const uint8_t *p = file->data + off;

		if (le32(p) == MB2_MAGIC &&
		    le32(p) + le32(p + 4) + le32(p + 8) + le32(p + 12) == 0) {
			*offset = off;
			return true;
		}
	}
	return false;
}

static int mb2_detect(const struct pk_file *file, const struct pk_arch *arch)
{
	size_t offset;

	return mb2_find(file, &offset) ? 40 : 0;
}

static bool mb2_info_supported(uint32_t type)
{
	return type == MB2_INFO_CMDLINE || type == MB2_INFO_LOADER_NAME ||
	       type == MB2_INFO_MODULE || type == MB2_INFO_BASIC_MEMINFO ||
	       type == MB2_INFO_MMAP;
}

static const char *mb2_header_name(uint32_t type)
{
	size_t count = sizeof(mb2_header_names) / sizeof(mb2_header_names[0]);

	return type < count ? mb2_header_names[type] : "unknown";
}

static const char *mb2_info_name(uint32_t type)
{
	size_t count = sizeof(mb2_info_names) / sizeof(mb2_info_names[0]);

	return type < count ? mb2_info_names[type] : "unknown";
}

/* Walk the tags; refuse required ones we cannot honour, by name. */
static int mb2_parse(const struct pk_file *file, struct mb2_header *hdr)
{
	const uint8_t *base;
	size_t at;

	memset(hdr, 0, sizeof(*hdr));
	if (!mb2_find(file, &hdr->offset))
		return pk_error("%s: no Multiboot 2 header (magic 0xE85250D6 "
				"with a valid checksum, 8-byte aligned) in the "
				"first 32768 bytes", file->path);
	base = file->data + hdr->offset;
	if (le32(base + 4) != 0)
		return pk_error("%s: the multiboot2 header is for architecture "
				"%u; x86 is 0 (i386)", file->path,
				le32(base + 4));
	hdr->length = le32(base + 8);
	if (hdr->length < 24 || hdr->length > file->size - hdr->offset)
		return pk_error("%s: the multiboot2 header length %u runs past "
				"the end of the file (truncated?)", file->path,
				hdr->length);
	for (at = 16; at + 8 <= hdr->length;) {
		const uint8_t *tag = base + at;
		uint16_t type = le16(tag), flags = le16(tag + 2);
		uint32_t size = le32(tag + 4);
		bool optional = flags & MB2_TAG_OPTIONAL;

		if (size < 8 || size > hdr->length - at)
			return pk_error("%s: multiboot2 header tag %u at offset "
					"0x%zx has a bad size %u", file->path,
					type, hdr->offset + at, size);
		pk_debug("multiboot2 header tag %u (%s), size %u%s", type,
			 mb2_header_name(type), size,
			 optional ? ", optional" : "");
		switch (type) {
		case MB2_HDR_END:
			return 0;
		case MB2_HDR_INFO_REQUEST:
			for (uint32_t i = 8; i + 4 <= size; i += 4) {
				uint32_t want = le32(tag + i);

				if (!mb2_info_supported(want) && !optional)
					return pk_error(
						"%s: the multiboot2 header "
						"requires information tag %u "
						"(%s), which purgkit-load does "
						"not provide", file->path,
						want,
						mb2_info_name(want));
			}
			break;
		case MB2_HDR_ADDRESS:
			if (size < 24)
				return pk_error("%s: multiboot2 address tag is "
						"too short", file->path);
			hdr->have_address = true;
			hdr->address.header_offset = hdr->offset;
			hdr->address.header_addr = le32(tag + 8);
			hdr->address.load_addr = le32(tag + 12);
			hdr->address.load_end_addr = le32(tag + 16);
			hdr->address.bss_end_addr = le32(tag + 20);
			/* Specification 3.1.5: load_addr -1 means the file
			 * is loaded from its first byte. */
			if (hdr->address.load_addr == UINT32_MAX &&
			    hdr->address.header_addr >= hdr->offset)
				hdr->address.load_addr =
					hdr->address.header_addr - hdr->offset;
			break;
		case MB2_HDR_ENTRY:
			if (size < 12)
				return pk_error("%s: multiboot2 entry tag is "
						"too short", file->path);
			hdr->have_entry = true;
			hdr->entry_addr = le32(tag + 8);
			break;
		case MB2_HDR_MODULE_ALIGN:
		case MB2_HDR_RELOCATABLE:
			/* Modules are page-aligned; the image is loaded at
			 * its own address, which a relocatable one allows. */
			break;
		case MB2_HDR_CONSOLE_FLAGS:
			/* Bit 0 asks for a console; a serial one is fine. */
			break;
		default:
			if (!optional)
				return pk_error("%s: the multiboot2 header "
						"requires tag %u (%s), which "
						"purgkit-load cannot honour",
						file->path, type,
						mb2_header_name(type));
		}
		at += ((size_t)size + 7) & ~(size_t)7;
	}
	return pk_error("%s: the multiboot2 header has no end tag",
			file->path);
}

static uint8_t *mb2_tag(struct pk_plan *plan, struct pk_x86_info *info,
			uint32_t type, size_t size)
{
	uint8_t *tag = pk_x86_info_reserve(info, size, 8);

	if (tag) {
		pk_put32(plan->arch, tag, type);
		pk_put32(plan->arch, tag + 4, size);
	}
	return tag;
}

static int mb2_string_tag(struct pk_plan *plan, struct pk_x86_info *info,
			  uint32_t type, const char *text)
{
	uint8_t *tag = mb2_tag(plan, info, type, 8 + strlen(text) + 1);

	if (!tag)
		return -1;
	memcpy(tag + 8, text, strlen(text) + 1);
	return 0;
}

static int mb2_fill_info(struct pk_plan *plan, struct pk_x86_info *info,
			 const char *cmdline)
{
	uint8_t *start = pk_x86_info_reserve(info, 8, 8);
	uint32_t lower, upper;
	uint8_t *tag;

	if (!start || mb2_string_tag(plan, info, MB2_INFO_CMDLINE, cmdline) ||
	    mb2_string_tag(plan, info, MB2_INFO_LOADER_NAME,
			   PK_X86_LOADER_NAME))
		return -1;
	for (size_t i = 0; i < info->module_count; i++) {
		const struct pk_x86_module *m = &info->modules[i];

		tag = mb2_tag(plan, info, MB2_INFO_MODULE,
			      16 + strlen(m->string) + 1);
		if (!tag)
			return -1;
		pk_put32(plan->arch, tag + 8, m->start);
		pk_put32(plan->arch, tag + 12, m->end);
		memcpy(tag + 16, m->string, strlen(m->string) + 1);
	}
	pk_x86_mem_lower_upper(plan, &lower, &upper);
	tag = mb2_tag(plan, info, MB2_INFO_BASIC_MEMINFO, 16);
	if (!tag)
		return -1;
	pk_put32(plan->arch, tag + 8, lower);
	pk_put32(plan->arch, tag + 12, upper);
	tag = mb2_tag(plan, info, MB2_INFO_MMAP, 16 + 24 * plan->memmap.count);
	if (!tag)
		return -1;
	pk_put32(plan->arch, tag + 8, 24);	/* entry_size */
	pk_put32(plan->arch, tag + 12, 0);	/* entry_version */
	for (size_t i = 0; i < plan->memmap.count; i++) {
		const struct pk_mem_range *r = &plan->memmap.ranges[i];
		uint8_t *e = tag + 16 + 24 * i;

		pk_put64(plan->arch, e, r->start);
		pk_put64(plan->arch, e + 8, r->end - r->start);
		pk_put32(plan->arch, e + 16, pk_x86_e820_type(r->type));
	}
	if (!mb2_tag(plan, info, MB2_INFO_END, 8))
		return -1;
	pk_put32(plan->arch, start, info->used);	/* total_size */
	return 0;
}

static int mb2_build(struct pk_plan *plan)
{
	const struct pk_file *file = &plan->payload;
	struct mb2_header hdr;
	uint64_t entry = 0, info_address;

	if (mb2_parse(file, &hdr))
		return -1;
	if (hdr.have_address) {
		uint64_t start, end;

		if (pk_x86_load_header_address(plan, file, &hdr.address,
					       "multiboot2", "multiboot2 address tag",
					       &start, &end))
			return -1;
	} else {
		struct pk_elf_info elf;

		if (!pk_elf_probe(file, &elf))
			return pk_error("%s: a multiboot2 kernel without an "
					"address tag must be ELF, and this is "
					"not", file->path);
		if (pk_elf_load(plan, file, PK_X86_4G, &elf))
			return -1;
		entry = elf.entry;
	}
	if (hdr.have_entry)
		entry = hdr.entry_addr;
	else if (hdr.have_address)
		return pk_error("%s: a multiboot2 header with an address tag "
				"needs an entry address tag", file->path);
	if (entry >= PK_X86_4G)
		return pk_error("%s: entry 0x%llx is above 4 GiB", file->path,
				HEX(entry));

	/*
	 * Tag headers and fixed fields: the fixed part, command line, loader
	 * name, basic memory information, memory map and end tags, padding
	 * for four of them; a 24-byte module tag (with padding) per module.
	 */
	if (pk_x86_build_boot_info(plan, 8 + 16 + 16 + 24 + 16 + 8 + 8 * 4, 24,
				   mb2_fill_info, "multiboot2 information",
				   &info_address))
		return -1;

	if (pk_plan_use_trampoline(plan, "multiboot2", 1 << 20, PK_X86_4G) ||
	    pk_plan_patch_int(plan, PK_SYM_MULTIBOOT2_ENTRY, entry) ||
	    pk_plan_patch_int(plan, PK_SYM_MULTIBOOT2_INFO, info_address))
		return -1;
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "32-bit protected mode, EAX=0x36d76289 EBX=0x%llx",
		 HEX(info_address));
	return 0;
}

static const struct pk_payload_type pk_x86_64_multiboot2_type = {
	.name = "multiboot2",
	.arches = "x86_64",
	.summary = "Multiboot 2 kernel (ELF or address tag), --module",
	.detect = mb2_detect,
	.build = mb2_build,
	.options = "module append reuse-cmdline",
};
PK_PAYLOAD_TYPE(pk_x86_64_multiboot2_type);
