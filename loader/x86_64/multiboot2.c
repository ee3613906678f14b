/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "multiboot2": Multiboot 2 payloads (specification 2.0).  The
 * trampoline "multiboot2" enters in 32-bit protected mode with
 * EAX = 0x36D76289 and EBX = the boot information built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/proto/multiboot2.h>
#include <purgkit/trampolines.h>

#include "x86_64/x86_64.h"


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

/* The header as found in the file, its fields in host order. */
struct mb2_header {
	size_t offset;			/* in the file */
	bool checksum_ok;
	uint32_t length, checksum;
	bool have_address, have_entry;
	struct pk_x86_header_address address;
	uint32_t entry_addr;
};

/* The header's fields are little-endian whatever the host. */
static uint32_t mb2_le32(const uint8_t *p)
{
	return pk_load_uint(p, 4, false);
}

static uint16_t mb2_le16(const uint8_t *p)
{
	return pk_load_uint(p, 2, false);
}

/* A field of a structure of proto/multiboot2.h read from the file. */
#define MB2_FIELD32(p, type, field) mb2_le32((p) + offsetof(type, field))

/*
 * The first header with a valid checksum; failing that, the first magic
 * (checksum_ok false), so that a broken header is refused by name.
 */
static bool mb2_find(const struct pk_file *file, struct mb2_header *hdr)
{
	size_t limit = file->size < PK_MULTIBOOT2_SEARCH ? file->size :
							   PK_MULTIBOOT2_SEARCH;
	const size_t size = sizeof(struct pk_multiboot2_header);
	bool found = false;

	for (size_t off = 0; off + size <= limit;
	     off += PK_MULTIBOOT2_HEADER_ALIGN) {
		const uint8_t *p = file->data + off;
		uint32_t sum = 0;

		if (mb2_le32(p) != PK_MULTIBOOT2_HEADER_MAGIC)
			continue;
		for (size_t i = 0; i < size; i += 4)
			sum += mb2_le32(p + i);
		if (found && sum != 0)
			continue;
		memset(hdr, 0, sizeof(*hdr));
		found = true;
		hdr->offset = off;
		hdr->checksum_ok = sum == 0;
		hdr->length = MB2_FIELD32(p, struct pk_multiboot2_header,
					  header_length);
		hdr->checksum = MB2_FIELD32(p, struct pk_multiboot2_header,
					    checksum);
		if (sum == 0)
			return true;
	}
	return found;
}

/* A bad checksum still claims the file (see mb1_detect). */
static int mb2_detect(const struct pk_file *file, const struct pk_arch *arch)
{
	struct mb2_header hdr;

	return mb2_find(file, &hdr) ? 40 : 0;
}

static bool mb2_info_supported(uint32_t type)
{
	return type == PK_MULTIBOOT2_TAG_CMDLINE ||
	       type == PK_MULTIBOOT2_TAG_BOOT_LOADER_NAME ||
	       type == PK_MULTIBOOT2_TAG_MODULE ||
	       type == PK_MULTIBOOT2_TAG_BASIC_MEMINFO ||
	       type == PK_MULTIBOOT2_TAG_MMAP;
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
	const size_t fixed = sizeof(struct pk_multiboot2_header);
	const size_t tag_size = sizeof(struct pk_multiboot2_header_tag);
	const uint8_t *base;
	uint32_t arch;
	size_t at;

	if (!mb2_find(file, hdr))
		return pk_error("%s: no Multiboot 2 header (magic 0xE85250D6, "
				"8-byte aligned) in the first %d bytes",
				file->path, PK_MULTIBOOT2_SEARCH);
	base = file->data + hdr->offset;
	arch = MB2_FIELD32(base, struct pk_multiboot2_header, architecture);
	if (!hdr->checksum_ok)
		return pk_error("%s: the Multiboot 2 header at file offset "
				"0x%zx has a bad checksum 0x%x (0x%x makes its "
				"four fields sum to 0); --type=elf loads the "
				"file as a plain ELF", file->path, hdr->offset,
				hdr->checksum,
				-(PK_MULTIBOOT2_HEADER_MAGIC + arch +
				  hdr->length));
	if (arch != PK_MULTIBOOT2_ARCH_I386)
		return pk_error("%s: the multiboot2 header is for architecture "
				"%u; x86 is 0 (i386)", file->path, arch);
	if (hdr->length < fixed + tag_size)
		return pk_error("%s: the multiboot2 header_length %u is too "
				"short for an end tag (at least %zu)",
				file->path, hdr->length, fixed + tag_size);
	if (hdr->length > file->size - hdr->offset)
		return pk_error("%s: the multiboot2 header_length %u runs past "
				"the end of the file (truncated?)", file->path,
				hdr->length);
	for (at = fixed; at + tag_size <= hdr->length;) {
		const uint8_t *tag = base + at;
		uint16_t type = mb2_le16(tag + offsetof(
			struct pk_multiboot2_header_tag, type));
		uint16_t flags = mb2_le16(tag + offsetof(
			struct pk_multiboot2_header_tag, flags));
		uint32_t size = MB2_FIELD32(tag, struct pk_multiboot2_header_tag,
					    size);
		bool optional = flags & PK_MULTIBOOT2_HEADER_TAG_OPTIONAL;

		if (size < tag_size || size > hdr->length - at)
			return pk_error("%s: multiboot2 header tag %u at offset "
					"0x%zx has a bad size %u", file->path,
					type, hdr->offset + at, size);
		pk_debug("multiboot2 header tag %u (%s), size %u%s", type,
			 mb2_header_name(type), size,
			 optional ? ", optional" : "");
		switch (type) {
		case PK_MULTIBOOT2_HEADER_TAG_END:
			return 0;
		case PK_MULTIBOOT2_HEADER_TAG_INFORMATION_REQUEST:
			for (uint32_t i = offsetof(
				struct pk_multiboot2_header_tag_information_request,
				requests); i + 4 <= size; i += 4) {
				uint32_t want = mb2_le32(tag + i);

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
		case PK_MULTIBOOT2_HEADER_TAG_ADDRESS:
			if (size < sizeof(struct pk_multiboot2_header_tag_address))
				return pk_error("%s: multiboot2 address tag is "
						"too short", file->path);
			hdr->have_address = true;
			hdr->address.header_offset = hdr->offset;
#define MB2_ADDRESS(field) MB2_FIELD32(tag, \
		struct pk_multiboot2_header_tag_address, field)
			hdr->address.header_addr = MB2_ADDRESS(header_addr);
			hdr->address.load_addr = MB2_ADDRESS(load_addr);
			hdr->address.load_end_addr = MB2_ADDRESS(load_end_addr);
			hdr->address.bss_end_addr = MB2_ADDRESS(bss_end_addr);
#undef MB2_ADDRESS
			/* Specification 3.1.5: load_addr -1 means the file
			 * is loaded from its first byte. */
			if (hdr->address.load_addr == UINT32_MAX &&
			    hdr->address.header_addr >= hdr->offset)
				hdr->address.load_addr =
					hdr->address.header_addr - hdr->offset;
			break;
		case PK_MULTIBOOT2_HEADER_TAG_ENTRY_ADDRESS:
			if (size < sizeof(
				    struct pk_multiboot2_header_tag_entry_address))
				return pk_error("%s: multiboot2 entry tag is "
						"too short", file->path);
			hdr->have_entry = true;
			hdr->entry_addr = MB2_FIELD32(tag,
				struct pk_multiboot2_header_tag_entry_address,
				entry_addr);
			break;
		case PK_MULTIBOOT2_HEADER_TAG_MODULE_ALIGN:
		case PK_MULTIBOOT2_HEADER_TAG_RELOCATABLE:
			/* Modules are page-aligned; the image is loaded at
			 * its own address, which a relocatable one allows. */
			break;
		case PK_MULTIBOOT2_HEADER_TAG_CONSOLE_FLAGS:
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
		at += ((size_t)size + PK_MULTIBOOT2_TAG_ALIGN - 1) &
		      ~(size_t)(PK_MULTIBOOT2_TAG_ALIGN - 1);
	}
	return pk_error("%s: the multiboot2 header has no end tag",
			file->path);
}

/* A zeroed tag of `size` bytes (8-byte aligned) with its type and size. */
static void *mb2_tag(struct pk_plan *plan, struct pk_x86_info *info,
		     uint32_t type, size_t size)
{
	struct pk_multiboot2_tag *tag;

	tag = pk_x86_info_reserve(info, size, PK_MULTIBOOT2_TAG_ALIGN);
	if (tag) {
		pk_put32(plan->arch, &tag->type, type);
		pk_put32(plan->arch, &tag->size, size);
	}
	return tag;
}

static int mb2_string_tag(struct pk_plan *plan, struct pk_x86_info *info,
			  uint32_t type, const char *text)
{
	struct pk_multiboot2_tag_string *tag;
	size_t len = strlen(text) + 1;

	tag = mb2_tag(plan, info, type, sizeof(*tag) + len);
	if (!tag)
		return -1;
	memcpy(tag->string, text, len);
	return 0;
}

static int mb2_fill_info(struct pk_plan *plan, struct pk_x86_info *info,
			 const char *cmdline)
{
	const struct pk_arch *arch = plan->arch;
	struct pk_multiboot2_info *start;
	struct pk_multiboot2_tag_basic_meminfo *meminfo;
	struct pk_multiboot2_tag_mmap *mmap;
	uint32_t lower, upper;

	start = pk_x86_info_reserve(info, sizeof(*start),
				    PK_MULTIBOOT2_TAG_ALIGN);
	if (!start ||
	    mb2_string_tag(plan, info, PK_MULTIBOOT2_TAG_CMDLINE, cmdline) ||
	    mb2_string_tag(plan, info, PK_MULTIBOOT2_TAG_BOOT_LOADER_NAME,
			   PK_X86_LOADER_NAME))
		return -1;
	for (size_t i = 0; i < info->module_count; i++) {
		const struct pk_x86_module *m = &info->modules[i];
		struct pk_multiboot2_tag_module *tag;
		size_t len = strlen(m->string) + 1;

		tag = mb2_tag(plan, info, PK_MULTIBOOT2_TAG_MODULE,
			      sizeof(*tag) + len);
		if (!tag)
			return -1;
		pk_put32(arch, &tag->mod_start, m->start);
		pk_put32(arch, &tag->mod_end, m->end);
		memcpy(tag->cmdline, m->string, len);
	}
	pk_x86_mem_lower_upper(plan, &lower, &upper);
	meminfo = mb2_tag(plan, info, PK_MULTIBOOT2_TAG_BASIC_MEMINFO,
			  sizeof(*meminfo));
	if (!meminfo)
		return -1;
	pk_put32(arch, &meminfo->mem_lower, lower);
	pk_put32(arch, &meminfo->mem_upper, upper);
	mmap = mb2_tag(plan, info, PK_MULTIBOOT2_TAG_MMAP, sizeof(*mmap) +
		       sizeof(mmap->entries[0]) * plan->memmap.count);
	if (!mmap)
		return -1;
	pk_put32(arch, &mmap->entry_size, sizeof(mmap->entries[0]));
	pk_put32(arch, &mmap->entry_version, 0);
	for (size_t i = 0; i < plan->memmap.count; i++) {
		const struct pk_mem_range *r = &plan->memmap.ranges[i];

		pk_put64(arch, &mmap->entries[i].addr, r->start);
		pk_put64(arch, &mmap->entries[i].len, r->end - r->start);
		pk_put32(arch, &mmap->entries[i].type,
			 pk_x86_e820_type(r->type));
	}
	if (!mb2_tag(plan, info, PK_MULTIBOOT2_TAG_END,
		     sizeof(struct pk_multiboot2_tag)))
		return -1;
	pk_put32(arch, &start->total_size, info->used);
	return 0;
}

/* Room for a tag of `size` bytes with its padding. */
#define MB2_TAG_ROOM(size) \
	(((size) + PK_MULTIBOOT2_TAG_ALIGN - 1) & \
	 ~(size_t)(PK_MULTIBOOT2_TAG_ALIGN - 1))

/*
 * The information's structures without their strings and memory map
 * (pk_x86_info_begin adds room for those): the fixed part, the command
 * line and loader name tag headers with padding, basic memory
 * information, the memory map tag's header, the end tag.
 */
#define MB2_INFO_FIXED_SIZE						\
	(sizeof(struct pk_multiboot2_info) +				\
	 2 * MB2_TAG_ROOM(sizeof(struct pk_multiboot2_tag_string)) +	\
	 2 * PK_MULTIBOOT2_TAG_ALIGN +					\
	 MB2_TAG_ROOM(sizeof(struct pk_multiboot2_tag_basic_meminfo)) +	\
	 MB2_TAG_ROOM(sizeof(struct pk_multiboot2_tag_mmap)) +		\
	 sizeof(struct pk_multiboot2_tag))
/* A module tag's header and its padding (its string comes on top). */
#define MB2_INFO_MODULE_SIZE						\
	(MB2_TAG_ROOM(sizeof(struct pk_multiboot2_tag_module)) +	\
	 PK_MULTIBOOT2_TAG_ALIGN)

static int mb2_build(struct pk_plan *plan)
{
	const struct pk_file *file = &plan->payload;
	struct mb2_header hdr;
	struct pk_x86_loaded loaded = { 0 };
	uint64_t entry, info_address;
	const char *what;
	char *cmdline;
	int ret;

	if (pk_multiboot_check_image_name(plan, "multiboot2") ||
	    mb2_parse(file, &hdr))
		return -1;
	if (hdr.have_address) {
		if (!hdr.have_entry)
			return pk_error("%s: a multiboot2 header with an "
					"address tag needs an entry address "
					"tag", file->path);
		loaded.first_segment = plan->segment_count;
		if (pk_x86_load_header_address(plan, file, &hdr.address,
					       "multiboot2",
					       "multiboot2 address tag",
					       &loaded.start, &loaded.end))
			return -1;
	} else if (pk_x86_load_elf_kernel(plan, file,
					  "a multiboot2 kernel without an "
					  "address tag", &loaded)) {
		return -1;
	}
	if (hdr.have_entry) {
		entry = hdr.entry_addr;
		what = "multiboot2 entry tag entry_addr";
	} else {
		entry = loaded.elf_entry;
		what = "multiboot2 ELF entry e_entry";
	}
	if (pk_x86_check_entry(plan, file, &loaded, entry, what))
		return -1;
	if (entry >= PK_X86_4G)
		return pk_error("%s: entry 0x%llx is above 4 GiB", file->path,
				HEX(entry));

	cmdline = pk_multiboot_command_line(plan);
	ret = pk_x86_build_boot_info(plan, MB2_INFO_FIXED_SIZE,
				     MB2_INFO_MODULE_SIZE, mb2_fill_info,
				     cmdline, "multiboot2 information",
				     &info_address);
	free(cmdline);
	if (ret)
		return -1;

	if (pk_plan_use_trampoline(plan, "multiboot2", 1 << 20, PK_X86_4G) ||
	    PK_PLAN_PATCH_INT(plan, pk_multiboot2_entry, entry) ||
	    PK_PLAN_PATCH_INT(plan, pk_multiboot2_info, info_address))
		return -1;
	plan->payload_entry = entry;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "32-bit protected mode, EAX=0x%x EBX=0x%llx",
		 PK_MULTIBOOT2_BOOTLOADER_MAGIC, HEX(info_address));
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
