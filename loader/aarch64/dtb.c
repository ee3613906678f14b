/* SPDX-License-Identifier: MIT */
/*
 * The device tree an aarch64 payload gets (docs/contract-aarch64.md,
 * sections 4 and 5): the "linux" type's, and the "raw" and "elf" types'
 * in x0, as the Image protocol has it.
 *
 * It starts from --dtb, else the running kernel's (/sys/firmware/fdt, as
 * kexec-tools reads it), keeps its memory reservations, and gets in
 * /chosen: bootargs, linux,initrd-start/end, fresh kaslr-seed and
 * rng-seed; under -p also linux,elfcorehdr (the ELF core header crash.c
 * wrote) and linux,usable-memory-range (every reservation, the placement
 * one first), in the root's #address-cells and #size-cells, as
 * kexec-tools writes them.  Without --console, the runtime writes to the
 * UART the tree's /chosen/stdout-path names (a PL011 or an 8250).
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "crash.h"
#include "tree.h"
#include "aarch64/aarch64.h"

/* The Image protocol's limit, which the other types keep too. */
#define DTB_MAX			(2ull << 20)
#define DTB_SLACK		4096
#define RNG_SEED_SIZE		64
#define PK_SYS_FDT		"/sys/firmware/fdt"

/* The device tree to start from, opened with room for our properties. */
static int dtb_read(const struct pk_plan *plan, const char *or_else,
		    size_t extra, void **out)
{
	const char *path = PK_SYS_FDT;
	struct pk_file file;
	size_t size;
	void *fdt;
	int err;

	/* --dtb's, or a UKI's .dtb, else the running kernel's. */
	if (pk_plan_read_dtb(plan, &file))
		return -1;
	if (file.data) {
		path = file.path;
	} else {
		if (access(PK_SYS_FDT, R_OK))
			return pk_error("no --dtb given, and the running "
					"kernel's tree (%s) cannot be read "
					"(%s): give one with --dtb=FILE%s%s",
					PK_SYS_FDT, strerror(errno),
					or_else ? ", " : "",
					or_else ? or_else : "");
		if (pk_file_read(path, "device tree", &file))
			return -1;
	}
	if (file.size < sizeof(struct fdt_header) ||
	    fdt_check_header(file.data) ||
	    fdt_totalsize(file.data) > file.size) {
		free(file.data);
		return pk_error("%s: not a flattened device tree", path);
	}
	size = fdt_totalsize(file.data) + DTB_SLACK + RNG_SEED_SIZE + extra +
	       4096;
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
	uint8_t seed[RNG_SEED_SIZE];
	uint64_t kaslr;
	int chosen, err = 0;

	if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed) ||
	    getrandom(&kaslr, sizeof(kaslr), 0) != (ssize_t)sizeof(kaslr))
		return pk_error("getrandom: %s (kaslr-seed, rng-seed)",
				strerror(errno));
	chosen = pk_tree_chosen_boot(fdt, cmdline, initrd, initrd_size);
	if (chosen < 0)
		err = chosen;
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

/* Is this /chosen child a boot module of the binding? */
static bool is_module_node(const void *fdt, int node)
{
	return !fdt_node_check_compatible(fdt, node, "multiboot,module") ||
	       !fdt_node_check_compatible(fdt, node, "xen,multiboot-module");
}

/*
 * The Multiboot-on-ARM binding (Xen's docs/misc/arm/device-tree/
 * booting.txt): a /chosen/module@ADDR node per module, in the order
 * given, the first "multiboot,kernel" (a hypervisor's dom0), an --initrd
 * beside them "multiboot,ramdisk", each "multiboot,module" too; reg in
 * /chosen's cells (2 and 2 when it has none); bootargs = the module's
 * ARGS.  /chosen's xen,xen-bootargs = bootargs = the command line: the
 * hypervisor's, while each module's bootargs, always written, takes
 * precedence for its kernel.  The old boot's module nodes (its modules'
 * memory is not kept) and xen,dom0-bootargs are removed first, modules
 * or not.
 */
static int dtb_modules(void *fdt, const struct pk_aarch64_tree *t)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), node, len, ac, sc;
	const fdt32_t *acp, *scp;
	int err = 0;

	for (node = fdt_first_subnode(fdt, chosen); node >= 0;) {
		if (is_module_node(fdt, node)) {
			err = fdt_del_node(fdt, node);
			if (err)
				break;
			node = fdt_first_subnode(fdt, chosen);
		} else {
			node = fdt_next_subnode(fdt, node);
		}
	}
	if (!t->module_count || err)
		return err ? pk_error("device tree: /chosen: %s",
				      fdt_strerror(err)) : 0;
	fdt_delprop(fdt, chosen, "xen,dom0-bootargs");
	acp = fdt_getprop(fdt, chosen, "#address-cells", &len);
	ac = acp && len == 4 ? (int)fdt32_ld(acp) : 0;
	scp = fdt_getprop(fdt, chosen, "#size-cells", &len);
	sc = scp && len == 4 ? (int)fdt32_ld(scp) : 0;
	if (!acp && !scp) {
		ac = sc = 2;
		err = fdt_setprop_u32(fdt, chosen, "#address-cells", 2) ||
		      fdt_setprop_u32(fdt, chosen, "#size-cells", 2);
	} else if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		return pk_error("device tree: /chosen #address-cells %d, "
				"#size-cells %d: module nodes need 1 or 2 "
				"of each", ac, sc);
	}
	if (!err)
		err = fdt_setprop_string(fdt, chosen, "xen,xen-bootargs",
					 t->cmdline);
	/* fdt_add_subnode puts a node first: add the last one first. */
	for (size_t i = t->module_count; !err && i-- > 0;) {
		const struct pk_aarch64_module *m = &t->modules[i];
		static const char kernel[] = "multiboot,kernel\0multiboot,module";
		static const char ramdisk[] =
			"multiboot,ramdisk\0multiboot,module";
		static const char module[] = "multiboot,module";
		uint8_t reg[16];
		char name[32];
		int reg_len = 0;

		snprintf(name, sizeof(name), "module@%llx", HEX(m->address));
		node = fdt_add_subnode(fdt, chosen, name);
		if (node < 0) {
			err = node;
			break;
		}
		if (pk_crash_tree_put_range(reg, &reg_len, ac, sc, m->address,
					    m->size))
			return -1;
		if (m->ramdisk)
			err = fdt_setprop(fdt, node, "compatible", ramdisk,
					  sizeof(ramdisk));
		else if (i == 0)
			err = fdt_setprop(fdt, node, "compatible", kernel,
					  sizeof(kernel));
		else
			err = fdt_setprop(fdt, node, "compatible", module,
					  sizeof(module));
		if (!err)
			err = fdt_setprop(fdt, node, "reg", reg, reg_len);
		if (!err && !m->ramdisk)
			err = fdt_setprop_string(fdt, node, "bootargs",
						 m->args);
	}
	if (err)
		return pk_error("device tree: /chosen module nodes: %s",
				fdt_strerror(err));
	return 0;
}

int pk_aarch64_load_modules(struct pk_plan *plan, uint64_t min,
			    struct pk_aarch64_module *out)
{
	const struct pk_options *opts = plan->opts;

	for (size_t i = 0; i < opts->module_count; i++) {
		const struct pk_module_option *m = &opts->modules[i];
		const char *args = m->string + strlen(m->path);
		struct pk_segment *seg;
		struct pk_file file;
		char what[160];

		if (pk_file_read(m->path, "module", &file) ||
		    pk_file_inflate(&file, "module"))
			return -1;
		snprintf(what, sizeof(what), "module %s", m->path);
		seg = pk_plan_alloc_segment(plan, file.data, file.size,
					    file.size, 0, min, 0, false, what);
		if (!seg)
			return -1;
		seg->verify = true;
		args += strspn(args, " \t");
		out[i] = (struct pk_aarch64_module){ seg->dest, file.size,
						     args, false };
	}
	return 0;
}

int pk_aarch64_dtb_build(struct pk_plan *plan,
			 const struct pk_aarch64_tree *t, void **out)
{
	size_t extra = 2 * strlen(t->cmdline);
	void *fdt = NULL;
	int err;

	for (size_t i = 0; i < t->module_count; i++)
		extra += strlen(t->modules[i].args) + 192;
	err = dtb_read(plan, t->or_else, extra, &fdt) ||
	      dtb_prepare(fdt, t->cmdline, t->initrd, t->initrd_size) ||
	      dtb_modules(fdt, t) ||
	      (plan->crash && pk_crash_tree_chosen(fdt, plan->crash)) ||
	      (fdt_pack(fdt) && pk_error("device tree: cannot pack it"));
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
	dtb_find_console(fdt, plan);
	*out = fdt;
	return 0;
}

int pk_aarch64_dtb_place(struct pk_plan *plan, void *fdt, uint64_t min,
			 uint64_t *address)
{
	struct pk_segment *seg;

	seg = pk_plan_alloc_segment(plan, fdt, fdt_totalsize(fdt),
				    fdt_totalsize(fdt), 0, min, 0, false,
				    "device tree");
	if (!seg)
		return -1;
	seg->verify = true;
	*address = seg->dest;
	return 0;
}
