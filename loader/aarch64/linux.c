/* SPDX-License-Identifier: MIT */
/*
 * aarch64 "linux": the arm64 Image protocol
 * (Documentation/arch/arm64/booting.rst; docs/contract-aarch64.md,
 * section 4) through the linux trampoline (trampolines/aarch64/linux.c).
 *
 * The Image (Debian 12's arm64 vmlinuz is one; a compressed one, gzip,
 * zstd and the rest, is decompressed first by pk_unwrap; an EFI zboot one
 * is taken out of its PE wrapper by ../zboot.c) is
 * read by its 64-byte header: magic "ARM\x64" at 56, text_offset,
 * image_size and flags, little-endian.  The kernel goes at a 2 MiB-
 * aligned base plus text_offset, as low as RAM allows (flags bit 3 clear:
 * memory below the kernel is lost to its linear map) or anywhere (bit 3
 * set), with image_size bytes free from its start.  The initrd goes
 * above it, inside the 1 GiB-aligned 32 GiB window that covers the
 * kernel; the device tree (dtb.c: --dtb, else the running kernel's, with
 * /chosen's bootargs, initrd and fresh seeds; under -p the crash
 * properties; with --module, the modules' nodes) goes above both.  Under
 * -p everything goes in the crash reservation.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash.h"
#include "aarch64/aarch64.h"
#include "zboot.h"

#define IMAGE_HEADER_SIZE	64
#define IMAGE_MAGIC_OFFSET	56
#define IMAGE_MAGIC		0x644d5241u	/* "ARM\x64" */
#define IMAGE_FLAG_BE		(1u << 0)
#define IMAGE_FLAG_PAGE_SHIFT	1
#define IMAGE_FLAG_PLACE_ANY	(1u << 3)
/* Before 3.17 image_size is 0 and text_offset 0x80000; kexec-tools then
 * assumes 16 MiB for the kernel, this loader twice that. */
#define IMAGE_OLD_TEXT_OFFSET	0x80000
#define IMAGE_OLD_SIZE		(32ull << 20)
#define KERNEL_ALIGN		(2ull << 20)
#define INITRD_WINDOW_ALIGN	(1ull << 30)
#define INITRD_WINDOW		(32ull << 30)

static const char *const page_sizes[4] = {
	"unspecified", "4 KiB", "16 KiB", "64 KiB"
};

struct image_header {
	uint64_t text_offset, image_size, flags;
};

static int image_read_header(const struct pk_file *file,
			     struct image_header *h)
{
	if (file->size < IMAGE_HEADER_SIZE ||
	    pk_load_uint(file->data + IMAGE_MAGIC_OFFSET, 4, 0) != IMAGE_MAGIC)
		return pk_error("%s: not an arm64 Image (no \"ARM\\x64\" magic "
				"at offset 0x%x)", file->path,
				IMAGE_MAGIC_OFFSET);
	h->text_offset = pk_load_uint(file->data + 8, 8, 0);
	h->image_size = pk_load_uint(file->data + 16, 8, 0);
	h->flags = pk_load_uint(file->data + 24, 8, 0);
	if (!h->image_size) {
		h->text_offset = IMAGE_OLD_TEXT_OFFSET;
		h->image_size = file->size + IMAGE_OLD_SIZE;
	}
	if (h->flags & IMAGE_FLAG_BE)
		return pk_error("%s: a big-endian kernel (Image flags bit 0); "
				"the aarch64 target is little-endian",
				file->path);
	if (h->text_offset >= KERNEL_ALIGN || (h->text_offset & 4095))
		return pk_error("%s: text_offset 0x%llx is not a page offset "
				"inside 2 MiB", file->path,
				HEX(h->text_offset));
	if (h->image_size < file->size)
		return pk_error("%s: image_size 0x%llx is smaller than the "
				"file (0x%zx bytes)", file->path,
				HEX(h->image_size), file->size);
	return 0;
}

static int image_detect(const struct pk_file *file,
			const struct pk_arch *arch)
{
	if (pk_zboot_is(file))
		return 50;
	return file->size >= IMAGE_HEADER_SIZE &&
	       pk_load_uint(file->data + IMAGE_MAGIC_OFFSET, 4, 0) ==
		       IMAGE_MAGIC ? 50 : 0;
}

static int image_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct pk_file unwrapped = { 0 };
	char comp[40] = "", wrapper[64] = "";
	struct image_header h = { 0, 0, 0 };
	struct pk_segment *seg;
	struct pk_file rd;
	uint64_t base, kernel, kernel_end, initrd = 0, initrd_size = 0;
	uint64_t window_end, dtb;
	struct pk_aarch64_tree tree = { 0 };
	struct pk_aarch64_module *modules;
	void *fdt = NULL, *copy;
	char *cmdline;
	int err;

	if (pk_zboot_is(file)) {
		if (pk_zboot_unwrap(file, &unwrapped, comp, sizeof(comp)))
			return -1;
		snprintf(wrapper, sizeof(wrapper), "EFI zboot, %s, ", comp);
		file = &unwrapped;
	}
	err = image_read_header(file, &h);
	if (!err)
		err = pk_plan_find_free(plan, h.text_offset + h.image_size,
					KERNEL_ALIGN, 0, 0,
					(h.flags & IMAGE_FLAG_PLACE_ANY) != 0,
					&base, "kernel");
	if (err) {
		pk_file_free(&unwrapped);
		return -1;
	}
	kernel = base + h.text_offset;
	if (unwrapped.data) {
		copy = unwrapped.data;		/* the plan takes it */
	} else {
		copy = pk_xzalloc(file->size);
		memcpy(copy, file->data, file->size);
	}
	seg = pk_plan_add_segment(plan, copy, file->size, kernel, h.image_size,
				  "kernel %s (%sImage, %s pages)", file->path,
				  wrapper,
				  page_sizes[(h.flags >> IMAGE_FLAG_PAGE_SHIFT) &
					     3]);
	if (!seg)
		return -1;
	seg->verify = true;
	kernel_end = kernel + pk_page_up(plan, h.image_size);
	plan->payload_entry = kernel;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "arm64 Image, text_offset 0x%llx, MMU off",
		 HEX(h.text_offset));
	window_end = (kernel & ~(INITRD_WINDOW_ALIGN - 1)) + INITRD_WINDOW;

	if (pk_plan_read_initrd(plan, &rd))
		return -1;
	if (rd.data) {
		initrd_size = rd.size;
		seg = pk_plan_alloc_segment(plan, rd.data, rd.size, rd.size, 0,
					    kernel_end, window_end, false,
					    "initrd");
		if (!seg)
			return -1;
		seg->verify = true;
		snprintf(seg->what, sizeof(seg->what), "initrd %s",
			 rd.path);
		initrd = seg->dest;
	}

	/* With modules the Image is a hypervisor, and the initrd the
	 * ramdisk module of its first domain. */
	modules = pk_xzalloc((opts->module_count + 1) * sizeof(*modules));
	if (pk_aarch64_load_modules(plan, kernel_end, modules)) {
		free(modules);
		return -1;
	}
	tree.modules = modules;
	tree.module_count = opts->module_count;
	if (opts->module_count && initrd_size) {
		modules[tree.module_count++] = (struct pk_aarch64_module){
			initrd, initrd_size, "", true };
		initrd_size = 0;
	}
	cmdline = pk_options_command_line(opts);
	tree.cmdline = cmdline;
	tree.initrd = initrd;
	tree.initrd_size = initrd_size;
	err = pk_aarch64_dtb_build(plan, &tree, &fdt);
	free(cmdline);
	free(modules);
	if (err || pk_aarch64_dtb_place(plan, fdt, kernel_end, &dtb))
		return -1;

	if (pk_plan_use_trampoline(plan, "linux", kernel_end, 0) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_entry, kernel) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_dtb, dtb))
		return -1;
	return 0;
}

static const struct pk_payload_type pk_aarch64_linux_type = {
	.name = "linux",
	.arches = "aarch64",
	.summary = "arm64 Image (also compressed, or EFI zboot), device tree, "
		   "initrd, Multiboot-on-ARM modules",
	.detect = image_detect,
	.build = image_build,
	.options = "initrd append reuse-cmdline dtb module",
};
PK_PAYLOAD_TYPE(pk_aarch64_linux_type);
