/* SPDX-License-Identifier: MIT */
/*
 * aarch64 "linux": the arm64 Image protocol
 * (Documentation/arch/arm64/booting.rst; docs/contract-aarch64.md,
 * section 4) through the linux trampoline (trampolines/aarch64/linux.c).
 *
 * The Image (a gzip one is inflated first, as Debian ships vmlinuz) is
 * read by its 64-byte header: magic "ARM\x64" at 56, text_offset,
 * image_size and flags, little-endian.  The kernel goes at a 2 MiB-
 * aligned base plus text_offset, as low as RAM allows (flags bit 3 clear:
 * memory below the kernel is lost to its linear map) or anywhere (bit 3
 * set), with image_size bytes free from its start.  The initrd goes
 * above it, inside the 1 GiB-aligned 32 GiB window that covers the
 * kernel; the device tree (--dtb, else /sys/firmware/fdt, as kexec-tools
 * reads it) gets /chosen bootargs, linux,initrd-start/end and fresh
 * kaslr-seed and rng-seed, keeps its memory reservations, and goes above
 * both.  Under -p everything goes in the crash reservation, and /chosen
 * also gets linux,elfcorehdr (the ELF core header crash.c wrote) and
 * linux,usable-memory-range (every reservation, the placement one first),
 * in the root's #address-cells and #size-cells, as kexec-tools writes
 * them.  Without --console, the runtime writes to the UART the tree's
 * /chosen/stdout-path names (a PL011 or an 8250).
 */
#include <elf.h>
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "crash.h"
#include "aarch64/aarch64.h"

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
#define DTB_MAX			(2ull << 20)
#define DTB_SLACK		4096
#define RNG_SEED_SIZE		64
#define PK_SYS_FDT		"/sys/firmware/fdt"

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
	return file->size >= IMAGE_HEADER_SIZE &&
	       pk_load_uint(file->data + IMAGE_MAGIC_OFFSET, 4, 0) ==
		       IMAGE_MAGIC ? 50 : 0;
}

/* The device tree to start from, opened with room for our properties. */
static int dtb_read(const struct pk_options *opts, void **out)
{
	const char *path = opts->dtb ? opts->dtb : PK_SYS_FDT;
	struct pk_file file;
	size_t size;
	void *fdt;
	int err;

	if (pk_file_read(path, "device tree", &file))
		return opts->dtb ? -1 :
			pk_error("no --dtb given, and the running kernel's "
				 "tree (%s) cannot be read: give one with "
				 "--dtb=FILE", PK_SYS_FDT);
	if (file.size < sizeof(struct fdt_header) ||
	    fdt_check_header(file.data) ||
	    fdt_totalsize(file.data) > file.size) {
		free(file.data);
		return pk_error("%s: not a flattened device tree", path);
	}
	size = fdt_totalsize(file.data) + DTB_SLACK + RNG_SEED_SIZE +
	       (opts->command_line ? strlen(opts->command_line) : 0) + 4096;
	fdt = pk_xzalloc(size);
	err = fdt_open_into(file.data, fdt, (int)size);
	free(file.data);
	if (err) {
		free(fdt);
		return pk_error("%s: %s", path, fdt_strerror(err));
	}
	*out = fdt;
	return 0;
}

/* /chosen: command line, initrd, fresh seeds (the old kernel wiped its
 * own, and a reused seed would repeat its layout). */
static int dtb_prepare(void *fdt, const char *cmdline, uint64_t initrd,
		       uint64_t initrd_size)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint8_t seed[RNG_SEED_SIZE];
	uint64_t kaslr;
	int err;

	if (chosen < 0)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return pk_error("device tree: /chosen: %s",
				fdt_strerror(chosen));
	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed) ||
	    getrandom(&kaslr, sizeof(kaslr), 0) != (ssize_t)sizeof(kaslr))
		return pk_error("getrandom: %s (kaslr-seed, rng-seed)",
				strerror(errno));
	err = fdt_setprop_string(fdt, chosen, "bootargs", cmdline);
	fdt_delprop(fdt, chosen, "linux,initrd-start");
	fdt_delprop(fdt, chosen, "linux,initrd-end");
	if (!err && initrd_size) {
		err = fdt_setprop_u64(fdt, chosen, "linux,initrd-start",
				      initrd);
		if (!err)
			err = fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
					      initrd + initrd_size);
	}
	if (!err)
		err = fdt_setprop_u64(fdt, chosen, "kaslr-seed", kaslr);
	if (!err)
		err = fdt_setprop(fdt, chosen, "rng-seed", seed, sizeof(seed));
	if (err)
		return pk_error("device tree: /chosen: %s", fdt_strerror(err));
	return 0;
}

/*
 * The console the tree names (/chosen/stdout-path, "path[:options]" or an
 * alias), when it is a UART the runtime drives: a PL011, or an 8250 with
 * its reg-shift.  Its address is the first of its reg in its parent's
 * cells (not translated through bus ranges: QEMU and most SoCs put the
 * UART where the CPU sees it).  Nothing found is no error: the runtime
 * then writes to no UART, as without --console.
 */
static void dtb_find_console(const void *fdt, struct pk_plan *plan)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len = 0, node, ac;
	const char *path = chosen < 0 ? NULL :
		fdt_getprop(fdt, chosen, "stdout-path", &len);
	const fdt32_t *reg, *shift;
	char name[256];
	uint64_t base = 0;

	if (!path || len <= 1 || (size_t)len > sizeof(name))
		return;
	memcpy(name, path, (size_t)len);
	name[len - 1] = '\0';
	name[strcspn(name, ":")] = '\0';
	node = fdt_path_offset(fdt, name);	/* aliases resolve here too */
	if (node < 0)
		return;
	ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || len < 4 * ac)
		return;
	for (int i = 0; i < ac; i++)
		base = base << 32 | fdt32_ld(&reg[i]);
	if (!fdt_node_check_compatible(fdt, node, "arm,pl011")) {
		plan->found_console = PK_CONSOLE_PL011;
	} else if (!fdt_node_check_compatible(fdt, node, "ns16550a") ||
		   !fdt_node_check_compatible(fdt, node, "ns16550") ||
		   !fdt_node_check_compatible(fdt, node, "snps,dw-apb-uart")) {
		shift = fdt_getprop(fdt, node, "reg-shift", &len);
		plan->found_console = PK_CONSOLE_UART8250;
		plan->found_uart_reg_shift =
			shift && len == 4 && fdt32_ld(shift) == 2 ? 2 : 0;
	} else {
		return;
	}
	plan->found_uart_base = base;
}

static int image_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_file *file = &plan->payload;
	struct image_header h = { 0, 0, 0 };
	struct pk_segment *seg;
	uint64_t base, kernel, kernel_end, initrd = 0, initrd_size = 0;
	uint64_t window_end, dtb;
	void *fdt = NULL, *copy;
	char *cmdline;
	int err;

	if (image_read_header(file, &h))
		return -1;
	if (pk_plan_find_free(plan, h.text_offset + h.image_size,
			      KERNEL_ALIGN, 0, 0,
			      (h.flags & IMAGE_FLAG_PLACE_ANY) != 0, &base,
			      "kernel"))
		return -1;
	kernel = base + h.text_offset;
	copy = pk_xzalloc(file->size);
	memcpy(copy, file->data, file->size);
	seg = pk_plan_add_segment(plan, copy, file->size, kernel, h.image_size,
				  "kernel %s (Image, %s pages)", file->path,
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

	if (opts->initrd) {
		struct pk_file rd;

		if (pk_file_read(opts->initrd, "initrd", &rd))
			return -1;
		initrd_size = rd.size;
		seg = pk_plan_alloc_segment(plan, rd.data, rd.size, rd.size, 0,
					    kernel_end, window_end, false,
					    "initrd");
		if (!seg)
			return -1;
		seg->verify = true;
		snprintf(seg->what, sizeof(seg->what), "initrd %s",
			 opts->initrd);
		initrd = seg->dest;
	}

	cmdline = pk_options_command_line(opts);
	err = dtb_read(opts, &fdt) ||
	      dtb_prepare(fdt, cmdline, initrd, initrd_size) ||
	      (plan->crash && pk_crash_tree_chosen(fdt, plan->crash)) ||
	      (fdt_pack(fdt) && pk_error("device tree: cannot pack it"));
	if (!err)
		dtb_find_console(fdt, plan);
	free(cmdline);
	if (err) {
		free(fdt);
		return -1;
	}
	if (fdt_totalsize(fdt) > DTB_MAX) {
		uint32_t size = fdt_totalsize(fdt);

		free(fdt);
		return pk_error("device tree: 0x%x bytes; the Image protocol "
				"allows 2 MiB", size);
	}
	seg = pk_plan_alloc_segment(plan, fdt, fdt_totalsize(fdt),
				    fdt_totalsize(fdt), 0, kernel_end, 0, false,
				    "device tree");
	if (!seg)
		return -1;
	seg->verify = true;
	dtb = seg->dest;

	if (pk_plan_use_trampoline(plan, "linux", kernel_end, 0) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_entry, kernel) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_dtb, dtb))
		return -1;
	return 0;
}

static const struct pk_payload_type pk_aarch64_linux_type = {
	.name = "linux",
	.arches = "aarch64",
	.summary = "arm64 Image (or its gzip), device tree, initrd",
	.detect = image_detect,
	.build = image_build,
	.options = "initrd append reuse-cmdline dtb",
};
PK_PAYLOAD_TYPE(pk_aarch64_linux_type);
