/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "linux": a bzImage through the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst).  The protected-mode kernel goes where
 * its setup header allows, boot_params (the "zero page") carries the
 * setup header, an e820 table, the command line and the initrd, and the
 * trampoline "linux" jumps to load + 0x200 with RSI = boot_params.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/trampolines.h>

#include "loader.h"
#include "x86_64/x86_64.h"

#define HEX(x) ((unsigned long long)(x))

/* Setup header fields, as offsets into the file and into boot_params. */
#define SETUP_SECTS		0x1f1
#define BOOT_FLAG		0x1fe
#define HEADER_JUMP		0x200
#define HEADER_MAGIC		0x202
#define HEADER_VERSION		0x206
#define TYPE_OF_LOADER		0x210
#define LOADFLAGS		0x211
#define CODE32_START		0x214
#define RAMDISK_IMAGE		0x218
#define RAMDISK_SIZE		0x21c
#define CMD_LINE_PTR		0x228
#define INITRD_ADDR_MAX		0x22c
#define KERNEL_ALIGNMENT	0x230
#define RELOCATABLE_KERNEL	0x234
#define XLOADFLAGS		0x236
#define CMDLINE_SIZE		0x238
#define SETUP_DATA		0x250	/* u64: first struct setup_data */
#define PREF_ADDRESS		0x258
#define INIT_SIZE		0x260
/* boot_params fields outside the setup header. */
#define EXT_RAMDISK_IMAGE	0x0c0
#define EXT_RAMDISK_SIZE	0x0c4
#define EXT_CMD_LINE_PTR	0x0c8
#define E820_ENTRIES		0x1e8
#define E820_TABLE		0x2d0
#define E820_MAX		128	/* entries boot_params holds */
#define E820_ENTRY_SIZE		20	/* struct boot_e820_entry, packed */
#define SETUP_E820_EXT		1	/* setup_data type: more e820 entries */
#define SETUP_DATA_HEADER	16	/* u64 next, u32 type, u32 len */

#define LOADED_HIGH		(1u << 0)
#define XLF_KERNEL_64		(1u << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)

#define BOOT_PARAMS_SIZE	4096

static uint32_t le(const uint8_t *p, int bytes)
{
	uint32_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t le64(const uint8_t *p)
{
	return le(p, 4) | (uint64_t)le(p + 4, 4) << 32;
}

static int linux_detect(const struct pk_file *file,
			const struct pk_arch *arch)
{
	if (file->size < 0x300 || le(file->data + BOOT_FLAG, 2) != 0xaa55 ||
	    memcmp(file->data + HEADER_MAGIC, "HdrS", 4))
		return 0;
	return 50;
}

struct linux_image {
	uint32_t version, setup_size, kernel_alignment, init_size;
	uint32_t initrd_addr_max, cmdline_size;
	uint16_t xloadflags;
	uint64_t pref_address;
	bool relocatable;
	size_t header_end;	/* end of the setup header in the file */
};

static int linux_parse(const struct pk_file *file, struct linux_image *img)
{
	const uint8_t *d = file->data;
	uint32_t sects;

	if (!linux_detect(file, NULL))
		return pk_error("%s: not a bzImage (no boot flag 0xaa55 and "
				"\"HdrS\" setup header)", file->path);
	img->version = le(d + HEADER_VERSION, 2);
	if (img->version < 0x020c)
		return pk_error("%s: boot protocol %u.%02u is too old: the "
				"64-bit entry needs 2.12 or newer", file->path,
				img->version >> 8, img->version & 0xff);
	img->xloadflags = le(d + XLOADFLAGS, 2);
	if (!(img->xloadflags & XLF_KERNEL_64))
		return pk_error("%s: the kernel has no 64-bit entry "
				"(xloadflags XLF_KERNEL_64 clear)", file->path);
	if (!(d[LOADFLAGS] & LOADED_HIGH))
		return pk_error("%s: a zImage (not LOADED_HIGH) cannot be "
				"loaded this way", file->path);
	sects = d[SETUP_SECTS] ? d[SETUP_SECTS] : 4;
	img->setup_size = (sects + 1) * 512;
	if (img->setup_size >= file->size)
		return pk_error("%s: truncated: %u bytes of setup code and no "
				"kernel after them", file->path,
				img->setup_size);
	img->header_end = HEADER_MAGIC + d[HEADER_JUMP + 1];
	if (img->header_end > img->setup_size || img->header_end < 0x264)
		return pk_error("%s: corrupt setup header (length %zu)",
				file->path, img->header_end);
	img->kernel_alignment = le(d + KERNEL_ALIGNMENT, 4);
	img->relocatable = d[RELOCATABLE_KERNEL];
	img->pref_address = le64(d + PREF_ADDRESS);
	img->init_size = le(d + INIT_SIZE, 4);
	img->initrd_addr_max = le(d + INITRD_ADDR_MAX, 4);
	img->cmdline_size = le(d + CMDLINE_SIZE, 4);
	if (img->kernel_alignment == 0 ||
	    (img->kernel_alignment & (img->kernel_alignment - 1)))
		return pk_error("%s: corrupt setup header: kernel_alignment "
				"0x%x is not a power of two", file->path,
				img->kernel_alignment);
	return 0;
}

/* Put the protected-mode kernel where the setup header allows. */
static int linux_place_kernel(struct pk_plan *plan, const struct pk_file *file,
			      const struct linux_image *img, uint64_t *load)
{
	uint64_t size = file->size - img->setup_size;
	uint64_t memsz = img->init_size > size ? img->init_size : size;
	uint64_t limit = img->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G ?
				 0 : PK_X86_4G;
	uint64_t pref = img->pref_address ? img->pref_address : 0x100000;

	memsz = pk_page_up(plan, memsz);
	/*
	 * The first two searches are quiet (no `what`): when they fail the
	 * next one is tried, and only the last one's failure is the user's
	 * error.  The preferred address must also respect the 4 GiB limit
	 * of a kernel without XLF_CAN_BE_LOADED_ABOVE_4G.
	 */
	if ((!limit || (pref < limit && memsz <= limit - pref)) &&
	    pk_plan_range_usable(plan, pref, pref + memsz) &&
	    !pk_plan_find_free(plan, memsz, 0, pref, pref + memsz, false,
			       load, NULL)) {
		pk_debug("kernel at its preferred address 0x%llx", HEX(pref));
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
	if (!plan->opts->initrd)
		return 0;
	if (pk_file_read(plan->opts->initrd, "initrd", &file))
		return -1;
	if (img->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G)
		max = 0;
	snprintf(what, sizeof(what), "initrd %s", plan->opts->initrd);
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
	if (plan->memmap.count <= E820_MAX)
		return 0;
	return SETUP_DATA_HEADER +
	       (plan->memmap.count - E820_MAX) * E820_ENTRY_SIZE;
}

static void linux_put_e820(const struct pk_plan *plan, uint8_t *e,
			   const struct pk_mem_range *r)
{
	pk_put64(plan->arch, e, r->start);
	pk_put64(plan->arch, e + 8, r->end - r->start);
	pk_put32(plan->arch, e + 16, pk_x86_e820_type(r->type));
}

/*
 * The memory map as e820: the first 128 ranges in boot_params, the rest in
 * a SETUP_E820_EXT setup_data entry at ext (ext_address in the guest),
 * chained from the setup header, as the kernel's parse_setup_data reads it.
 */
static void linux_fill_e820(struct pk_plan *plan, uint8_t *bp, uint8_t *ext,
			    uint64_t ext_address)
{
	size_t count = plan->memmap.count, i;

	for (i = 0; i < count && i < E820_MAX; i++)
		linux_put_e820(plan, bp + E820_TABLE + E820_ENTRY_SIZE * i,
			       &plan->memmap.ranges[i]);
	bp[E820_ENTRIES] = i;
	/* The only setup_data we chain; a stray value from the file must not
	 * send the kernel reading garbage. */
	pk_put64(plan->arch, bp + SETUP_DATA, 0);
	if (count <= E820_MAX)
		return;
	pk_put64(plan->arch, ext, 0);			/* next: none */
	pk_put32(plan->arch, ext + 8, SETUP_E820_EXT);
	pk_put32(plan->arch, ext + 12, (count - E820_MAX) * E820_ENTRY_SIZE);
	for (; i < count; i++)
		linux_put_e820(plan, ext + SETUP_DATA_HEADER +
				     E820_ENTRY_SIZE * (i - E820_MAX),
			       &plan->memmap.ranges[i]);
	pk_put64(plan->arch, bp + SETUP_DATA, ext_address);
	pk_debug("%zu memory ranges: %d in boot_params, %zu in a "
		 "SETUP_E820_EXT entry at 0x%llx", count, E820_MAX,
		 count - E820_MAX, HEX(ext_address));
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
	uint64_t pref = img->pref_address ? img->pref_address : 0x100000;

	if (load >= pref)
		return 0;
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

static int linux_build(struct pk_plan *plan)
{
	const struct pk_file *file = &plan->payload;
	uint64_t load, initrd_start, initrd_size, bp_address, cmdline_address;
	struct linux_image img = { 0 };
	struct pk_segment *segment;
	char *cmdline;
	uint8_t *bp;
	size_t cmdline_len, ext_offset, ext_size, size;

	if (linux_parse(file, &img) ||
	    linux_place_kernel(plan, file, &img, &load) ||
	    linux_load_initrd(plan, &img, &initrd_start, &initrd_size))
		return -1;

	cmdline = pk_options_command_line(plan->opts);
	cmdline_len = strlen(cmdline);
	if (img.cmdline_size && cmdline_len > img.cmdline_size) {
		free(cmdline);
		return pk_error("the command line is %zu bytes; this kernel "
				"takes at most %u", cmdline_len,
				img.cmdline_size);
	}
	/*
	 * One segment: boot_params, the command line right after it, then
	 * (8-byte aligned) the e820 entries boot_params has no room for.
	 */
	ext_offset = (BOOT_PARAMS_SIZE + cmdline_len + 1 + 7) & ~(size_t)7;
	ext_size = linux_e820_ext_size(plan);
	size = ext_size ? ext_offset + ext_size : BOOT_PARAMS_SIZE +
						    cmdline_len + 1;
	bp = pk_xzalloc(size);
	memcpy(bp + SETUP_SECTS, file->data + SETUP_SECTS,
	       img.header_end - SETUP_SECTS);
	memcpy(bp + BOOT_PARAMS_SIZE, cmdline, cmdline_len + 1);
	free(cmdline);
	segment = pk_plan_alloc_segment(plan, bp, size, 0, 0, 1 << 20,
					PK_X86_4G, true,
					ext_size ? "boot_params, command line "
						   "and e820 extension" :
						   "boot_params and command line");
	if (!segment)
		return -1;
	bp = segment->buf;
	bp_address = segment->dest;
	cmdline_address = bp_address + BOOT_PARAMS_SIZE;

	bp[TYPE_OF_LOADER] = 0xff;	/* "undefined": no registered ID */
	pk_put32(plan->arch, bp + CODE32_START, load);
	pk_put32(plan->arch, bp + CMD_LINE_PTR, cmdline_address);
	pk_put32(plan->arch, bp + EXT_CMD_LINE_PTR, cmdline_address >> 32);
	pk_put32(plan->arch, bp + RAMDISK_IMAGE, initrd_start);
	pk_put32(plan->arch, bp + EXT_RAMDISK_IMAGE, initrd_start >> 32);
	pk_put32(plan->arch, bp + RAMDISK_SIZE, initrd_size);
	pk_put32(plan->arch, bp + EXT_RAMDISK_SIZE, initrd_size >> 32);
	linux_fill_e820(plan, bp, bp + ext_offset, bp_address + ext_offset);

	if (pk_plan_use_trampoline(plan, "linux", 1 << 20, PK_X86_4G) ||
	    linux_check_decompression_range(plan, &img, load,
					    pk_page_up(plan, img.init_size)) ||
	    pk_plan_patch_int(plan, PK_SYM_LINUX_ENTRY, load + 0x200) ||
	    pk_plan_patch_int(plan, PK_SYM_LINUX_BOOT_PARAMS, bp_address))
		return -1;
	plan->payload_entry = load + 0x200;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "64-bit boot protocol, RSI=0x%llx", HEX(bp_address));
	return 0;
}

static const struct pk_payload_type pk_x86_64_linux_type = {
	.name = "linux",
	.arches = "x86_64",
	.summary = "Linux bzImage, 64-bit boot protocol, --initrd",
	.detect = linux_detect,
	.build = linux_build,
	.options = "initrd append reuse-cmdline",
};
PK_PAYLOAD_TYPE(pk_x86_64_linux_type);
