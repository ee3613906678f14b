/* SPDX-License-Identifier: MIT */
/*
 * riscv64 "linux": a RISC-V Linux Image (Documentation/arch/riscv/boot.rst
 * and boot-image-header.rst), through the "linux" trampoline
 * (trampolines/riscv64/linux.c), which enters it with a0 = the hart id,
 * a1 = the device tree, satp = 0.
 *
 * The Image header (64 bytes, little-endian): code0/code1, text_offset
 * (u64 at 8), image_size (u64 at 16, the bytes the kernel occupies, bss
 * included), flags (u64 at 24: bit 0 set = big-endian), version (u32 at
 * 32), the deprecated magic "RISCV\0\0\0" at 48 and magic2 "RSC\x05" at
 * 56.  Debian's Image is also a PE (EFI stub): its first bytes are "MZ"
 * and the header is the same.  A compressed file (gzip, zstd...) is
 * decompressed first (pk_unwrap), and an EFI zboot one is taken out of its
 * PE wrapper (../zboot.c).
 *
 * Placement: the kernel at a 2 MiB boundary ("placed at a PMD
 * boundary"), its segment image_size long; the initrd and the trampoline
 * where RAM is free; the device tree below everything else that could
 * look like one (devtree.c), with /chosen edited: bootargs,
 * linux,initrd-start/end, and the old kernel's crash properties dropped.
 * Under -p everything goes in the crash reservation (loader/crash.c),
 * and /chosen gets linux,elfcorehdr and linux,usable-memory-range
 * (pk_crash_tree_chosen), which the capture kernel's drivers/of/fdt.c
 * reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "crash.h"
#include "riscv64/riscv64.h"
#include "tree.h"
#include "zboot.h"

#define IMAGE_HEADER_SIZE 64
#define IMAGE_MAGIC2 "RSC\x05"
#define IMAGE_FLAG_BIG_ENDIAN 1u
#define KERNEL_ALIGN 0x200000u		/* PMD size on rv64 */

/* A copy the plan will own (segments take malloc'd buffers). */
static void *copy_of(const void *data, size_t size)
{
	void *copy = pk_xzalloc(size ? size : 1);

	memcpy(copy, data, size);
	return copy;
}

struct riscv64_image {
	uint64_t text_offset, image_size, flags;
	uint32_t version;
};

static uint64_t le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

static bool image_header(const struct pk_file *file,
			 struct riscv64_image *out)
{
	const uint8_t *p = file->data;

	if (file->size < IMAGE_HEADER_SIZE || memcmp(p + 56, IMAGE_MAGIC2, 4))
		return false;
	out->text_offset = le(p + 8, 8);
	out->image_size = le(p + 16, 8);
	out->flags = le(p + 24, 8);
	out->version = (uint32_t)le(p + 32, 4);
	return true;
}

static int riscv64_linux_detect(const struct pk_file *file,
				const struct pk_arch *arch)
{
	struct riscv64_image image;

	return pk_zboot_is(file) || image_header(file, &image) ? 50 : 0;
}

/* /chosen as the new kernel reads it, with no crash properties left
 * from the running kernel's own capture tree. */
static int edit_chosen(void *fdt, const char *cmdline, uint64_t initrd,
		       uint64_t initrd_size)
{
	int chosen = pk_tree_chosen_boot(fdt, cmdline, initrd, initrd_size);

	if (chosen < 0)
		return chosen;
	fdt_delprop(fdt, chosen, "linux,elfcorehdr");
	fdt_delprop(fdt, chosen, "linux,usable-memory-range");
	return 0;
}

struct riscv64_linux_state {
	uint64_t tree;
};

static int riscv64_linux_place(struct pk_plan *plan,
			       const struct pk_file *file, const char *comp);

static int riscv64_linux_build(struct pk_plan *plan)
{
	const struct pk_file *file = &plan->payload;
	struct pk_file unwrapped = { 0 };
	char comp[40] = "";
	int err;

	if (pk_zboot_is(file)) {
		if (pk_zboot_unwrap(file, &unwrapped, comp, sizeof(comp)))
			return -1;
		file = &unwrapped;
	}
	err = riscv64_linux_place(plan, file, comp);
	pk_file_free(&unwrapped);
	return err;
}

/* The Image in file (zboot's payload when comp names its compression). */
static int riscv64_linux_place(struct pk_plan *plan,
			       const struct pk_file *file, const char *comp)
{
	const struct pk_options *opts = plan->opts;
	struct riscv64_linux_state *state;
	struct riscv64_image image;
	struct pk_file tree = { 0 }, rd;
	struct pk_segment *seg;
	uint64_t kernel, initrd = 0, initrd_size = 0, tree_at, size;
	char *cmdline;
	void *fdt;
	int err;

	if (!image_header(file, &image))
		return pk_error("%s: not a RISC-V Image (no \"RSC\\x05\" at "
				"offset 56%s)", file->path,
				*comp ? " of the EFI zboot payload" : "");
	if (image.flags & IMAGE_FLAG_BIG_ENDIAN)
		return pk_error("%s: a big-endian RISC-V Image; riscv64 is "
				"little-endian", file->path);
	if (image.image_size < file->size)
		return pk_error("%s: its header says image_size 0x%llx, less "
				"than the file's 0x%zx bytes", file->path,
				HEX(image.image_size), file->size);
	if (pk_plan_find_free(plan, image.image_size, KERNEL_ALIGN, 0, 0,
			      false, &kernel, "the kernel"))
		return -1;
	seg = pk_plan_add_segment(plan, copy_of(file->data, file->size),
				  file->size, kernel,
				  pk_page_up(plan, image.image_size),
				  "kernel %s%s%s%s", file->path,
				  *comp ? " (EFI zboot, " : "", comp,
				  *comp ? ")" : "");
	if (!seg)
		return -1;
	seg->verify = true;
	if (pk_plan_read_initrd(plan, &rd))
		return -1;
	if (rd.data) {
		initrd_size = rd.size;
		seg = pk_plan_alloc_segment(plan, copy_of(rd.data, rd.size),
					    rd.size, pk_page_up(plan, rd.size),
					    plan->page_size, 0, 0, true,
					    "initrd");
		pk_file_free(&rd);
		if (!seg)
			return -1;
		seg->verify = true;
		snprintf(seg->what, sizeof(seg->what), "initrd %s",
			 rd.path);
		initrd = seg->dest;
	}
	if (pk_riscv64_read_tree(plan, &tree))
		return -1;
	cmdline = pk_options_command_line(opts);
	size = tree.size + (cmdline ? strlen(cmdline) : 0) + 4096;
	fdt = pk_xzalloc(size);
	err = fdt_open_into(tree.data, fdt, (int)size);
	if (!err)
		err = edit_chosen(fdt, cmdline, initrd, initrd_size);
	free(cmdline);
	if (!err && plan->crash && pk_crash_tree_chosen(fdt, plan->crash)) {
		free(fdt);
		pk_file_free(&tree);
		return -1;
	}
	if (!err)
		err = fdt_pack(fdt);
	if (err) {
		pk_error("%s: cannot edit /chosen: %s", tree.path,
			 fdt_strerror(err));
		free(fdt);
		pk_file_free(&tree);
		return -1;
	}
	err = pk_riscv64_place_tree(plan, fdt, fdt_totalsize(fdt), tree.path,
				    &tree_at);
	free(fdt);
	pk_file_free(&tree);
	if (err)
		return -1;
	state = pk_xzalloc(sizeof(*state));
	state->tree = tree_at;
	plan->type_state = state;
	plan->payload_entry = kernel;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "RISC-V Image (header version %u.%u), a0 = hart id, a1 = "
		 "the device tree", image.version >> 16,
		 image.version & 0xffff);
	if (pk_plan_use_trampoline(plan, "linux", 0, 0) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_entry, kernel) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_dtb, tree_at))
		return -1;
	return 0;
}

static int riscv64_linux_finish(struct pk_plan *plan)
{
	const struct riscv64_linux_state *state = plan->type_state;

	return pk_riscv64_check_tree_first(plan, state->tree);
}

static const struct pk_payload_type pk_riscv64_linux_type = {
	.name = "linux",
	.arches = "riscv64",
	.summary = "RISC-V Linux Image (also the EFI-stub one, compressed "
		   "or EFI zboot), device tree with bootargs and initrd",
	.detect = riscv64_linux_detect,
	.build = riscv64_linux_build,
	.finish = riscv64_linux_finish,
	.options = "initrd append reuse-cmdline dtb",
};
PK_PAYLOAD_TYPE(pk_riscv64_linux_type);
