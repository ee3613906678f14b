/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "linux": a bzImage through the Linux boot protocol
 * (Documentation/arch/x86/boot.rst), protocol 2.02 or newer, entered in
 * one of its three ways:
 *
 *   64-bit  when the kernel has that entry (2.12+, XLF_KERNEL_64): RSI =
 *           boot_params, at the protected-mode kernel + 0x200;
 *   32-bit  otherwise, or with --mode=32: flat protected mode, paging off,
 *           ESI = boot_params, at code32_start (the protected-mode
 *           kernel's load address);
 *   16-bit  with --real-mode (--mode=16): the real-mode setup code in a
 *           64 KiB segment below 640 KiB, heap and command line where the
 *           protocol puts them, entered at that segment + 0x20 : 0.
 *
 * The setup header is checked against the file before anything is
 * placed: a header that disagrees with the file it came in (a cut kernel,
 * a wrong setup_sects or syssize, a payload outside the kernel, an
 * init_size smaller than the kernel) is refused, never turned into a plan.
 * The boot-protocol structures are typed (purgkit/proto/linux_x86.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/proto/linux_x86.h>
#include <purgkit/trampolines.h>

#include "x86_64/x86_64.h"

#define PROTOCOL(v) (v) >> 8, (v) & 0xff	/* for "%u.%02u" */

/* The end of a setup-header field, as an offset into the file. */
#define HDR_FIELD_END(field)                                                  \
	(PK_LINUX_SETUP_HEADER_OFFSET +                                       \
	 offsetof(struct pk_linux_setup_header, field) +                      \
	 sizeof(((struct pk_linux_setup_header *)0)->field))

/* A field of the file's setup header: little-endian whatever the host
 * (LE for fields of at most 32 bits, LE64 for pref_address). */
#define LE(field) ((uint32_t)pk_load_uint(&(field), sizeof(field), false))
#define LE64(field) pk_load_uint(&(field), sizeof(field), false)

/* What the loader needs from the setup header, in host order. */
struct linux_image {
	const struct pk_linux_setup_header *hdr;	/* in the file */
	uint16_t version;
	uint32_t setup_size;		/* boot sector + setup code */
	uint64_t kernel_size;		/* the protected-mode kernel's bytes */
	uint32_t initrd_addr_max, cmdline_size, kernel_alignment, init_size;
	uint16_t xloadflags;
	uint64_t pref_address;		/* where it runs (and decompresses) */
	bool relocatable;
	size_t header_end;		/* end of the setup header in the file */

	int mode;			/* the entry: 64, 32 or 16 */
	char why[96];			/* why that entry */
};

static int linux_detect(const struct pk_file *file,
			const struct pk_arch *arch)
{
	const struct pk_linux_setup_header *hdr;

	if (file->size < HDR_FIELD_END(version))
		return 0;
	hdr = (const void *)(file->data + PK_LINUX_SETUP_HEADER_OFFSET);
	if (LE(hdr->boot_flag) != PK_LINUX_BOOT_FLAG ||
	    memcmp(&hdr->header, PK_LINUX_HEADER_MAGIC, 4))
		return 0;
	return 50;
}

/* Where the fields a protocol version defines end (boot.rst's table). */
static size_t linux_header_needs(uint16_t version)
{
	if (version >= 0x020f)
		return HDR_FIELD_END(kernel_info_offset);
	if (version >= 0x020b)
		return HDR_FIELD_END(handover_offset);
	if (version >= 0x020a)
		return HDR_FIELD_END(init_size);
	if (version >= 0x0209)
		return HDR_FIELD_END(setup_data);
	if (version >= 0x0208)
		return HDR_FIELD_END(payload_length);
	if (version >= 0x0207)
		return HDR_FIELD_END(hardware_subarch_data);
	if (version >= 0x0206)
		return HDR_FIELD_END(cmdline_size);
	if (version >= 0x0205)
		return HDR_FIELD_END(relocatable_kernel);
	if (version >= 0x0203)
		return HDR_FIELD_END(initrd_addr_max);
	return HDR_FIELD_END(cmd_line_ptr);
}

/*
 * The payload's first bytes: one of the formats boot.rst lists for it
 * (gzip, bzip2, LZMA, XZ, LZ4, ZSTD, or an uncompressed ELF).  A payload
 * that starts with anything else was found at the wrong place.
 */
static bool linux_payload_magic(const uint8_t *p, uint64_t size)
{
	static const struct {
		uint8_t bytes[4];
		uint8_t size;
	} magic[] = {
		{ { 0x1f, 0x8b }, 2 }, { { 0x1f, 0x9e }, 2 },	/* gzip */
		{ { 0x42, 0x5a }, 2 },				/* bzip2 */
		{ { 0x5d, 0x00 }, 2 },				/* LZMA */
		{ { 0xfd, 0x37 }, 2 },				/* XZ */
		{ { 0x02, 0x21 }, 2 },				/* LZ4 */
		{ { 0x28, 0xb5 }, 2 },				/* ZSTD */
		{ { 0x7f, 'E', 'L', 'F' }, 4 },			/* ELF */
	};

	for (size_t i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if (size >= magic[i].size &&
		    !memcmp(p, magic[i].bytes, magic[i].size))
			return true;
	return false;
}

/*
 * A compressed payload ends with its decompressed size (gzip's ISIZE; the
 * kernel's build appends it for the other formats), and the kernel
 * decompresses within init_size: Linux's init_size is at least that size
 * by construction.  A smaller one would let the kernel write past its
 * segment, over the initrd or boot_params.
 */
static int linux_check_decompressed_size(const struct pk_file *file,
					 const struct linux_image *img)
{
	const struct pk_linux_setup_header *hdr = img->hdr;
	const uint8_t *payload;
	uint32_t length, decompressed;

	if (img->version < 0x020a || LE(hdr->payload_length) < 8)
		return 0;
	length = LE(hdr->payload_length);
	payload = file->data + img->setup_size + LE(hdr->payload_offset);
	if (!memcmp(payload, "\x7f" "ELF", 4))
		return 0;	/* uncompressed */
	decompressed = (uint32_t)pk_load_uint(payload + length - 4, 4, false);
	if (img->init_size < decompressed)
		return pk_error("%s: init_size 0x%x is smaller than the 0x%x "
				"bytes its payload decompresses to (the "
				"payload's last 4 bytes)", file->path,
				img->init_size, decompressed);
	return 0;
}

/*
 * Check the header against the file: the setup code, the protected-mode
 * kernel (syssize), the compressed payload inside it, and the memory the
 * kernel says it needs (init_size).
 */
static int linux_check_sizes(const struct pk_file *file,
			     struct linux_image *img)
{
	const struct pk_linux_setup_header *hdr = img->hdr;
	uint32_t syssize = LE(hdr->syssize);
	uint64_t declared = (uint64_t)syssize * 16;

	/* syssize is 32 bits wide, and so trustworthy, from 2.04. */
	if (img->version >= 0x0204) {
		if (syssize == 0)
			return pk_error("%s: syssize 0: the header declares no "
					"protected-mode kernel", file->path);
		if (declared > ((img->kernel_size + 15) & ~15ull))
			return pk_error("%s: truncated or corrupt: syssize 0x%x "
					"declares 0x%llx bytes of protected-mode "
					"kernel, the file holds 0x%llx after its "
					"0x%x bytes of setup (setup_sects %u)",
					file->path, syssize, HEX(declared),
					HEX(img->kernel_size), img->setup_size,
					hdr->setup_sects);
	}
	if (img->version >= 0x0208 && LE(hdr->payload_length)) {
		uint64_t offset = LE(hdr->payload_offset);
		uint64_t end = offset + LE(hdr->payload_length);
		uint64_t limit = img->kernel_size;

		if (img->version >= 0x0204 && declared < limit)
			limit = declared;
		/* A magic and the 4-byte decompressed size, at the least. */
		if (LE(hdr->payload_length) < 8)
			return pk_error("%s: corrupt: payload_length 0x%x "
					"is too short for a compressed kernel "
					"(its magic and its 4-byte size need "
					"8)", file->path,
					LE(hdr->payload_length));
		if (end > limit)
			return pk_error("%s: truncated or corrupt: payload_offset "
					"0x%llx + payload_length 0x%x ends at "
					"0x%llx, past the 0x%llx bytes of "
					"protected-mode kernel", file->path,
					HEX(offset), LE(hdr->payload_length),
					HEX(end), HEX(limit));
		if (!linux_payload_magic(file->data + img->setup_size + offset,
					 end - offset))
			return pk_error("%s: corrupt: the payload at payload_offset "
					"0x%llx (file offset 0x%llx) starts with no "
					"compressed-kernel or ELF magic; is "
					"setup_sects %u wrong?", file->path,
					HEX(offset), HEX(img->setup_size + offset),
					hdr->setup_sects);
	}
	if (img->version >= 0x020a && img->init_size < img->kernel_size)
		return pk_error("%s: init_size 0x%x is smaller than the 0x%llx "
				"bytes the protected-mode kernel occupies",
				file->path, img->init_size,
				HEX(img->kernel_size));
	return linux_check_decompressed_size(file, img);
}

static int linux_parse(const struct pk_file *file, struct linux_image *img)
{
	const struct pk_linux_setup_header *hdr;
	uint32_t sects;
	size_t needs;

	if (!linux_detect(file, NULL))
		return pk_error("%s: not a bzImage (no boot flag 0xaa55 and "
				"\"HdrS\" setup header)", file->path);
	/* Every field below is read from the file: all of them first. */
	if (file->size < HDR_FIELD_END(kernel_info_offset))
		return pk_error("%s: truncated: the setup header runs to "
				"0x%zx, the file ends at 0x%zx", file->path,
				(size_t)HDR_FIELD_END(kernel_info_offset),
				file->size);
	hdr = img->hdr = (const void *)(file->data +
					PK_LINUX_SETUP_HEADER_OFFSET);
	img->version = LE(hdr->version);
	if (img->version < 0x0202)
		return pk_error("%s: boot protocol %u.%02u is older than 2.02, "
				"the oldest purgkit loads", file->path,
				PROTOCOL(img->version));
	if (!(hdr->loadflags & PK_LINUX_LOADED_HIGH))
		return pk_error("%s: a zImage (loadflags 0x%02x: LOADED_HIGH "
				"clear) cannot be loaded this way", file->path,
				hdr->loadflags);
	sects = hdr->setup_sects ? hdr->setup_sects :
				   PK_LINUX_DEFAULT_SETUP_SECTS;
	img->setup_size = (sects + 1) * PK_LINUX_SECTOR;
	if (img->setup_size >= file->size)
		return pk_error("%s: truncated or corrupt: setup_sects %u puts "
				"the protected-mode kernel at 0x%x, but the file "
				"ends at 0x%zx", file->path, hdr->setup_sects,
				img->setup_size, file->size);
	img->kernel_size = file->size - img->setup_size;
	img->header_end = offsetof(struct pk_linux_setup_header, header) +
			  PK_LINUX_SETUP_HEADER_OFFSET +
			  ((const uint8_t *)&hdr->jump)[1];
	needs = linux_header_needs(img->version);
	if (img->header_end < needs || img->header_end > img->setup_size)
		return pk_error("%s: corrupt setup header: it ends at 0x%zx "
				"(jump 0x%04x), but protocol %u.%02u's fields "
				"end at 0x%zx and the setup code at 0x%x",
				file->path, img->header_end, LE(hdr->jump),
				PROTOCOL(img->version), needs, img->setup_size);

	img->initrd_addr_max = img->version >= 0x0203 ?
				       LE(hdr->initrd_addr_max) :
				       PK_LINUX_OLD_INITRD_ADDR_MAX;
	img->cmdline_size = img->version >= 0x0206 ?
				    LE(hdr->cmdline_size) :
				    PK_LINUX_OLD_CMDLINE_SIZE;
	img->relocatable = img->version >= 0x0205 && hdr->relocatable_kernel;
	img->kernel_alignment = img->relocatable ? LE(hdr->kernel_alignment) :
						   0;
	img->pref_address = img->version >= 0x020a ?
				    LE64(hdr->pref_address) : 0;
	if (!img->pref_address)
		img->pref_address = PK_LINUX_BZIMAGE_ADDRESS;
	img->init_size = img->version >= 0x020a ? LE(hdr->init_size) : 0;
	img->xloadflags = img->version >= 0x020c ? LE(hdr->xloadflags) : 0;
	if (img->relocatable && (img->kernel_alignment == 0 ||
				 (img->kernel_alignment &
				  (img->kernel_alignment - 1))))
		return pk_error("%s: corrupt setup header: kernel_alignment "
				"0x%x is not a power of two", file->path,
				img->kernel_alignment);
	return linux_check_sizes(file, img);
}

/*
 * Which entry: the 64-bit one when the kernel has it, else the 32-bit one;
 * --mode (or --real-mode) asks for one, refused if the kernel lacks it.
 */
static int linux_choose_entry(const struct pk_plan *plan,
			      const struct pk_file *file,
			      struct linux_image *img)
{
	int asked = plan->opts->mode;
	bool has64 = img->xloadflags & PK_LINUX_XLF_KERNEL_64;
	char no64[64];

	if (img->version < 0x020c)
		snprintf(no64, sizeof(no64), "boot protocol %u.%02u predates "
			 "it (2.12)", PROTOCOL(img->version));
	else
		snprintf(no64, sizeof(no64), "xloadflags 0x%x: XLF_KERNEL_64 "
			 "clear", img->xloadflags);
	switch (asked) {
	case 0:
		img->mode = has64 ? 64 : 32;
		if (has64)
			snprintf(img->why, sizeof(img->why),
				 "xloadflags XLF_KERNEL_64 set");
		else
			snprintf(img->why, sizeof(img->why),
				 "no 64-bit entry: %s", no64);
		return 0;
	case 64:
		if (!has64)
			return pk_error("%s: --mode=64: the kernel has no 64-bit "
					"entry (%s)", file->path, no64);
		break;
	case 16:
		if (img->setup_size > PK_LINUX_REAL_HEAP_END - 0x200)
			return pk_error("%s: --real-mode: setup_sects %u makes "
					"0x%x bytes of setup code, more than the "
					"real-mode segment holds below its heap "
					"(0x%x)", file->path,
					img->hdr->setup_sects, img->setup_size,
					PK_LINUX_REAL_HEAP_END - 0x200);
		break;
	}
	img->mode = asked;
	snprintf(img->why, sizeof(img->why), "%s",
		 asked == 16 ? "--real-mode" : asked == 32 ? "--mode=32" :
							       "--mode=64");
	return 0;
}

/*
 * Put the protected-mode kernel where the setup header allows: below
 * 4 GiB unless it is entered in 64-bit mode and says it may go higher.
 */
static int linux_place_kernel(struct pk_plan *plan, const struct pk_file *file,
			      const struct linux_image *img, uint64_t *load)
{
	uint64_t size = img->kernel_size;
	uint64_t memsz = img->init_size > size ? img->init_size : size;
	uint64_t limit = img->mode == 64 && (img->xloadflags &
					     PK_LINUX_XLF_CAN_BE_LOADED_ABOVE_4G) ?
				 0 : PK_X86_4G;
	uint64_t pref = img->pref_address;

	memsz = pk_page_up(plan, memsz);
	/*
	 * The first two searches are quiet (no `what`): when they fail the
	 * next one is tried, and only the last one's failure is the user's
	 * error.  The preferred address must also respect the 4 GiB limit.
	 */
	if ((!limit || (pref < limit && memsz <= limit - pref)) &&
	    pk_plan_range_usable(plan, pref, pref + memsz) &&
	    !pk_plan_find_free(plan, memsz, 0, pref, pref + memsz, false,
			       load, NULL)) {
		pk_debug("kernel at its preferred address 0x%llx", HEX(pref));
	} else if (!img->relocatable && plan->crash) {
		return pk_error("%s: the capture kernel is not relocatable "
				"(setup header relocatable_kernel 0), so it "
				"cannot run in the crash reservation (%s); "
				"build it with CONFIG_RELOCATABLE", file->path,
				plan->memmap.source);
	} else if (!img->relocatable) {
		return pk_error("%s: the kernel is not relocatable and its "
				"0x%llx bytes at 0x%llx are not free usable RAM",
				file->path, HEX(memsz), HEX(pref));
	} else if (pk_plan_find_free(plan, memsz, img->kernel_alignment,
				     pref, limit, false, load, NULL) &&
		   pk_plan_find_free(plan, memsz, img->kernel_alignment,
				     1 << 20, limit, false, load,
				     "the kernel")) {
		return -1;
	}
	return pk_plan_add_data(plan, file->data + img->setup_size, size,
				*load, memsz, "kernel %s (init_size 0x%x)",
				file->path, img->init_size) ? 0 : -1;
}

static int linux_load_initrd(struct pk_plan *plan,
			     const struct linux_image *img, uint64_t *start,
			     uint64_t *size)
{
	struct pk_segment *segment;
	struct pk_file file;
	uint64_t max = (uint64_t)img->initrd_addr_max + 1;
	char what[160];

	*start = *size = 0;
	if (pk_plan_read_initrd(plan, &file))
		return -1;
	if (!file.data)
		return 0;
	if (img->mode == 64 &&
	    (img->xloadflags & PK_LINUX_XLF_CAN_BE_LOADED_ABOVE_4G))
		max = 0;
	else if (max > PK_X86_4G)
		max = PK_X86_4G;
	snprintf(what, sizeof(what), "initrd %s", file.path);
	*size = file.size;
	segment = pk_plan_alloc_segment(plan, file.data, file.size, file.size,
					0, 1 << 20, max, true, what);
	if (!segment)
		return -1;
	*start = segment->dest;
	return 0;
}

/* Bytes of the SETUP_E820_EXT setup_data entry the memory map needs. */
static size_t linux_e820_ext_size(const struct pk_plan *plan)
{
	const struct pk_memmap *map = pk_plan_boot_memmap(plan);

	if (map->count <= PK_LINUX_E820_MAX)
		return 0;
	return sizeof(struct pk_linux_setup_data) +
	       (map->count - PK_LINUX_E820_MAX) *
		       sizeof(struct pk_linux_e820_entry);
}

static void linux_put_e820(const struct pk_plan *plan,
			   struct pk_linux_e820_entry *e,
			   const struct pk_mem_range *r)
{
	pk_put64(plan->arch, &e->addr, r->start);
	pk_put64(plan->arch, &e->size, r->end - r->start);
	pk_put32(plan->arch, &e->type, pk_x86_e820_type(r->type));
}

/*
 * The memory map as e820: the first 128 ranges in boot_params, the rest in
 * a SETUP_E820_EXT setup_data entry at ext (ext_address in the guest),
 * chained from the setup header, as the kernel's parse_setup_data reads it.
 * Under -p it is the capture kernel's map (loader/x86_64/crash.c).
 */
static void linux_fill_e820(struct pk_plan *plan,
			    struct pk_linux_boot_params *bp,
			    struct pk_linux_setup_data *ext,
			    uint64_t ext_address)
{
	const struct pk_memmap *map = pk_plan_boot_memmap(plan);
	struct pk_linux_e820_entry *more = (void *)(ext + 1);
	size_t count = map->count, i;

	for (i = 0; i < count && i < PK_LINUX_E820_MAX; i++)
		linux_put_e820(plan, &bp->e820_table[i], &map->ranges[i]);
	bp->e820_entries = i;
	if (count <= PK_LINUX_E820_MAX)
		return;
	pk_put64(plan->arch, &ext->next, 0);
	pk_put32(plan->arch, &ext->type, PK_LINUX_SETUP_E820_EXT);
	pk_put32(plan->arch, &ext->len, (count - PK_LINUX_E820_MAX) *
					       sizeof(*more));
	for (; i < count; i++)
		linux_put_e820(plan, &more[i - PK_LINUX_E820_MAX],
			       &map->ranges[i]);
	pk_put64(plan->arch, &bp->hdr.setup_data, ext_address);
	pk_debug("%zu memory ranges: %d in boot_params, %zu in a "
		 "SETUP_E820_EXT entry at 0x%llx", count, PK_LINUX_E820_MAX,
		 count - PK_LINUX_E820_MAX, HEX(ext_address));
}

/*
 * A relocatable kernel loaded below its preferred address does not run
 * there: the decompressor (arch/x86/boot/compressed/head_64.S) writes the
 * kernel to LOAD_PHYSICAL_ADDR, the preferred address, whatever lies
 * there.  So when the kernel had to go lower, that range must be usable
 * RAM holding none of our other segments, or the new kernel would
 * overwrite its own initrd or boot_params while it starts.
 */
static int linux_check_decompression_range(struct pk_plan *plan,
					   const struct linux_image *img,
					   uint64_t load, uint64_t memsz)
{
	uint64_t pref = img->pref_address;

	if (load >= pref)
		return 0;
	if (pref + memsz < pref)
		return pk_error("the kernel had to be loaded at 0x%llx, below "
				"its preferred 0x%llx, but 0x%llx bytes from "
				"there wrap around the address space",
				HEX(load), HEX(pref), HEX(memsz));
	if (!pk_plan_range_usable(plan, pref, pref + memsz))
		return pk_error("the kernel had to be loaded at 0x%llx, below "
				"its preferred 0x%llx, but it decompresses to "
				"0x%llx..0x%llx, which is not usable RAM",
				HEX(load), HEX(pref), HEX(pref),
				HEX(pref + memsz));
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *seg = &plan->segments[i];

		if (seg->dest < pref + memsz && pref < seg->dest + seg->memsz &&
		    seg->dest != load)
			return pk_error("the kernel had to be loaded at 0x%llx, "
					"below its preferred 0x%llx, and it "
					"decompresses to 0x%llx..0x%llx, where "
					"the %s lies", HEX(load), HEX(pref),
					HEX(pref), HEX(pref + memsz),
					seg->what);
	}
	pk_debug("kernel at 0x%llx decompresses to 0x%llx, which is free",
		 HEX(load), HEX(pref));
	return 0;
}

/*
 * The setup header as a boot loader writes it, the same for every entry
 * ("read/modify/write the setup header as that of 16-bit boot protocol",
 * boot.rst): the file's header with type_of_loader, the heap (2.01+),
 * the command line (2.02+), the 32-bit entry and the initrd filled in.
 * setup_data is cleared: a stray value from the file must not send the
 * kernel reading garbage; linux_fill_e820 chains the one we add.
 */
static void linux_fill_header(struct pk_plan *plan,
			      struct pk_linux_setup_header *hdr,
			      uint64_t load, uint64_t cmdline, uint64_t initrd,
			      uint64_t initrd_size, uint16_t version)
{
	hdr->type_of_loader = PK_LINUX_LOADER_UNDEFINED;
	hdr->loadflags |= PK_LINUX_CAN_USE_HEAP;
	pk_put16(plan->arch, &hdr->heap_end_ptr,
		 PK_LINUX_REAL_HEAP_END - 0x200);
	pk_put32(plan->arch, &hdr->cmd_line_ptr, cmdline);
	pk_put32(plan->arch, &hdr->code32_start, load);
	pk_put32(plan->arch, &hdr->ramdisk_image, initrd);
	pk_put32(plan->arch, &hdr->ramdisk_size, initrd_size);
	if (version >= 0x0209)
		pk_put64(plan->arch, &hdr->setup_data, 0);
}

/* --real-mode: the setup code, its heap and the command line, 64 KiB. */
static int linux_build_real_mode(struct pk_plan *plan,
				 const struct linux_image *img, uint64_t load,
				 uint64_t initrd, uint64_t initrd_size,
				 const char *cmdline, uint64_t *base,
				 uint64_t *stub)
{
	const struct pk_file *file = &plan->payload;
	size_t cmdline_len = strlen(cmdline);
	struct pk_linux_boot_params *setup;
	struct pk_segment *segment;
	uint8_t *buf;

	if (cmdline_len + 1 > PK_LINUX_REAL_SEGMENT_SIZE -
				      PK_LINUX_REAL_HEAP_END)
		return pk_error("--real-mode: the command line is %zu bytes; "
				"the real-mode segment holds at most %u",
				cmdline_len, PK_LINUX_REAL_SEGMENT_SIZE -
						     PK_LINUX_REAL_HEAP_END - 1);
	buf = pk_xzalloc(PK_LINUX_REAL_SEGMENT_SIZE);
	memcpy(buf, file->data, img->setup_size);
	memcpy(buf + PK_LINUX_REAL_HEAP_END, cmdline, cmdline_len + 1);
	/* Below 640 KiB and above the first page (the IVT and BIOS data). */
	segment = pk_plan_alloc_segment(plan, buf, PK_LINUX_REAL_SEGMENT_SIZE,
					PK_LINUX_REAL_SEGMENT_SIZE, 0, 0x1000,
					PK_LINUX_REAL_LIMIT, true,
					"real-mode setup, heap and command "
					"line");
	if (!segment)
		return -1;
	*base = segment->dest;
	setup = (void *)segment->buf;
	linux_fill_header(plan, &setup->hdr, load,
			  *base + PK_LINUX_REAL_HEAP_END, initrd, initrd_size,
			  img->version);
	/* The real-mode switch runs from its own page below 1 MiB. */
	segment = pk_plan_alloc_segment(plan, NULL, 0, 4096, 0, 0x1000,
					PK_LINUX_REAL_LIMIT, true,
					"real-mode switch page");
	if (!segment)
		return -1;
	*stub = segment->dest;
	plan->payload_entry = *base + PK_LINUX_REAL_ENTRY_SEGMENT * 16;
	return 0;
}

/* The 64- and 32-bit entries: boot_params, the command line and e820. */
static int linux_build_boot_params(struct pk_plan *plan,
				   const struct linux_image *img,
				   uint64_t load, uint64_t initrd,
				   uint64_t initrd_size, const char *cmdline,
				   uint64_t *bp_address)
{
	const struct pk_file *file = &plan->payload;
	size_t cmdline_len = strlen(cmdline);
	size_t ext_offset, ext_size, size;
	struct pk_linux_boot_params *bp;
	struct pk_segment *segment;
	uint64_t cmdline_address;

	ext_size = linux_e820_ext_size(plan);
	if (ext_size && img->version < 0x0209)
		return pk_error("%s: the memory map has %zu ranges; boot "
				"protocol %u.%02u takes at most %d (setup_data "
				"needs 2.09)", file->path,
				pk_plan_boot_memmap(plan)->count,
				PROTOCOL(img->version), PK_LINUX_E820_MAX);
	/*
	 * One segment: boot_params, the command line right after it, then
	 * (8-byte aligned) the e820 entries boot_params has no room for.
	 */
	ext_offset = (sizeof(*bp) + cmdline_len + 1 + 7) & ~(size_t)7;
	size = ext_size ? ext_offset + ext_size : sizeof(*bp) + cmdline_len + 1;
	bp = pk_xzalloc(size);
	memcpy(&bp->hdr, img->hdr,
	       img->header_end - PK_LINUX_SETUP_HEADER_OFFSET);
	memcpy(bp + 1, cmdline, cmdline_len + 1);
	segment = pk_plan_alloc_segment(plan, bp, size, 0, 0, 1 << 20,
					PK_X86_4G, true,
					ext_size ? "boot_params, command line "
						   "and e820 extension" :
						   "boot_params and command line");
	if (!segment)
		return -1;
	bp = (void *)segment->buf;
	*bp_address = segment->dest;
	cmdline_address = *bp_address + sizeof(*bp);
	linux_fill_header(plan, &bp->hdr, load, cmdline_address, initrd,
			  initrd_size, img->version);
	pk_put32(plan->arch, &bp->ext_cmd_line_ptr, cmdline_address >> 32);
	pk_put32(plan->arch, &bp->ext_ramdisk_image, initrd >> 32);
	pk_put32(plan->arch, &bp->ext_ramdisk_size, initrd_size >> 32);
	linux_fill_e820(plan, bp, (void *)((uint8_t *)bp + ext_offset),
			*bp_address + ext_offset);
	plan->payload_entry = img->mode == 64 ? load + 0x200 : load;
	return 0;
}

static int linux_build(struct pk_plan *plan)
{
	const struct pk_file *file = &plan->payload;
	uint64_t load, initrd, initrd_size, bp_address = 0, stub = 0;
	struct linux_image img = { 0 };
	char *cmdline;
	size_t cmdline_len;
	int ret;

	if (linux_parse(file, &img) || linux_choose_entry(plan, file, &img))
		return -1;
	pk_debug("%s: boot protocol %u.%02u, %d-bit entry: %s", file->path,
		 PROTOCOL(img.version), img.mode, img.why);
	if (linux_place_kernel(plan, file, &img, &load) ||
	    linux_load_initrd(plan, &img, &initrd, &initrd_size))
		return -1;

	cmdline = pk_options_command_line(plan->opts);
	cmdline_len = strlen(cmdline);
	if (cmdline_len > img.cmdline_size) {
		free(cmdline);
		return pk_error("the command line is %zu bytes; this kernel "
				"takes at most %u (cmdline_size)", cmdline_len,
				img.cmdline_size);
	}
	if (img.mode == 16)
		ret = linux_build_real_mode(plan, &img, load, initrd,
					    initrd_size, cmdline, &bp_address,
					    &stub);
	else
		ret = linux_build_boot_params(plan, &img, load, initrd,
					      initrd_size, cmdline,
					      &bp_address);
	free(cmdline);
	if (ret ||
	    pk_plan_use_trampoline(plan, "linux", 1 << 20, PK_X86_4G) ||
	    linux_check_decompression_range(plan, &img, load,
					    pk_page_up(plan, img.init_size)) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_entry_mode, img.mode) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_entry, plan->payload_entry) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_boot_params, bp_address) ||
	    (stub && PK_PLAN_PATCH_INT(plan, pk_real_mode_stub, stub)))
		return -1;
	if (img.mode == 16)
		snprintf(plan->payload_entry_what,
			 sizeof(plan->payload_entry_what),
			 "16-bit real-mode entry %04llx:0000 (%s)",
			 HEX(bp_address >> 4) + PK_LINUX_REAL_ENTRY_SEGMENT,
			 img.why);
	else
		snprintf(plan->payload_entry_what,
			 sizeof(plan->payload_entry_what),
			 "%d-bit boot protocol, %s=0x%llx (%s)", img.mode,
			 img.mode == 64 ? "RSI" : "ESI", HEX(bp_address),
			 img.why);
	return pk_x86_bios_irq(plan, img.mode);
}

static const struct pk_payload_type pk_x86_64_linux_type = {
	.name = "linux",
	.arches = "x86_64",
	.summary = "Linux bzImage (boot protocol 2.02+): 64-, 32- or "
		   "16-bit entry, --initrd",
	.detect = linux_detect,
	.build = linux_build,
	.options = "initrd append reuse-cmdline mode real-mode bios-irq",
};
PK_PAYLOAD_TYPE(pk_x86_64_linux_type);
