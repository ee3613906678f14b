/* SPDX-License-Identifier: MIT */
/*
 * ppc64 "linux": a vmlinux ELF (or a compressed one) with a
 * flattened device tree and an optional initrd, through the "linux"
 * trampoline (trampolines/ppc64/linux.c).
 *
 * Placement, all inside the real-mode area (the trampoline runs with
 * translation off) and above both the running kernel's end and the new
 * kernel's own size (the new kernel copies itself down to 0 before it
 * looks at anything else, unless its __run_at_load word says otherwise):
 *   kernel      lowest free 64 KiB-aligned address (bottom-up);
 *   initrd      top-down; device tree and trampoline top-down.
 * After the trampoline's bytes are final (finish), the kernel's first
 * 0x100 bytes but the first PK_PPC64_ENTRY_KEEP are copied over the
 * trampoline's, so kexec's copy to physical 0 holds the kernel's own
 * secondary hold loop at 0x60 (docs/contract-ppc64.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gelf.h>
#include <libelf.h>

#include <purgkit/arch/ppc64/lowmem.h>
#include <purgkit/trampolines.h>

#include "crash.h"
#include "elf_payload.h"
#include "ppc64/ppc64.h"

#define PK_KERNEL_ALIGN 0x10000
/* The first word of every kernel since FIXUP_ENDIAN: tdi 0,0,0x48. */
#define PK_FIXUP_ENDIAN_WORD 0x08000048u
/*
 * __run_at_load, a 32-bit word at a fixed offset of a relocatable kernel
 * (arch/powerpc/kernel/head_64.S): "run0" (relocate to 0, the default),
 * or 1 (run where loaded, copying only the exception vectors to 0), which
 * is how a capture kernel must run: everything but the reservation is
 * the dump.  A kernel without "run0" there is not relocatable.
 */
#define PK_RUN_AT_LOAD_OFFSET 0x5c
#define PK_RUN_AT_LOAD_DEFAULT 0x72756e30u
#define PK_RUN_AT_LOAD_HERE 1u
/* Largest vmlinux we inflate. */
#define PK_MAX_VMLINUX (512u << 20)

struct pk_vmlinux {
	uint8_t *image;		/* from the lowest PT_LOAD's paddr */
	uint64_t filesz;	/* bytes with contents */
	uint64_t memsz;		/* zero-fill included */
	uint64_t entry_offset;
	bool little_endian;
};


/*
 * Lay the PT_LOADs out as one image from the lowest physical address.
 * The program headers are checked by the loader's one walker (elf.c).
 */
static int pk_vmlinux_read(const struct pk_file *file, struct pk_vmlinux *k)
{
	struct pk_elf_load *loads;
	struct pk_elf_info info;
	uint64_t low, filehigh;
	size_t count;

	memset(k, 0, sizeof(*k));
	if (!pk_elf_probe(file, &info) || info.elf_class != ELFCLASS64 ||
	    info.machine != EM_PPC64)
		return pk_error("%s: not a 64-bit PowerPC ELF", file->path);
	if (pk_elf_walk(file, &info, &loads, &count))
		return -1;
	low = info.lowest;
	if (info.highest - low > PK_MAX_VMLINUX) {
		free(loads);
		return pk_error("%s: its PT_LOADs span 0x%llx bytes, more than "
				"the %u MiB a kernel may", file->path,
				(unsigned long long)(info.highest - low),
				PK_MAX_VMLINUX >> 20);
	}
	if (!info.entry_loaded) {
		free(loads);
		return pk_error("%s: e_entry 0x%llx lies in no PT_LOAD program "
				"header", file->path,
				(unsigned long long)info.entry);
	}
	filehigh = low;
	for (size_t i = 0; i < count; i++)
		if (loads[i].paddr + loads[i].filesz > filehigh)
			filehigh = loads[i].paddr + loads[i].filesz;
	k->little_endian = !info.big_endian;
	k->memsz = info.highest - low;
	k->filesz = filehigh - low;
	k->image = pk_xzalloc(k->filesz < 0x100 ? 0x100 : k->filesz);
	for (size_t i = 0; i < count; i++)
		memcpy(k->image + (loads[i].paddr - low),
		       file->data + loads[i].offset, loads[i].filesz);
	k->entry_offset = info.entry - low;
	free(loads);
	return 0;
}

static int pk_linux_detect(const struct pk_file *file,
			   const struct pk_arch *arch)
{
	struct pk_vmlinux k;
	int score = 0;

	/* A compressed file was decompressed by the core (pk_unwrap). */
	if (file->size > 0x40 && !memcmp(file->data, ELFMAG, SELFMAG) &&
	    pk_vmlinux_read(file, &k) == 0) {
		/* A kernel starts with FIXUP_ENDIAN at its entry. */
		if (k.entry_offset + 4 <= k.filesz &&
		    pk_load_uint(k.image + k.entry_offset, 4, !k.little_endian) ==
			    PK_FIXUP_ENDIAN_WORD)
			score = 60;
		free(k.image);
	}
	return score;
}

/*
 * The kernel's segment: the lowest room in [min, max), at an odd multiple
 * of PK_KERNEL_ALIGN unless it runs where it is loaded (-p).  Any other
 * kernel first copies itself down to 0, and a copy whose source and
 * destination lie a large power of two apart puts both in the same set of
 * every set-indexed TLB and cache.  Under QEMU's TCG, whose software TLB
 * may be only 64 entries, each store then evicts the load's entry: a
 * Debian kernel loaded at 0x6040000 printed its first line 0.2 s later
 * than at 0x6050000 or 0x6060000.  An odd multiple of 64 KiB is as far
 * from such a stride as the alignment allows; on hardware it costs
 * nothing.
 */
static struct pk_segment *pk_linux_place_kernel(struct pk_plan *plan,
						struct pk_vmlinux *k,
						uint64_t min, uint64_t max)
{
	uint64_t at;

	if (!plan->crash &&
	    !pk_plan_find_free(plan, k->memsz + PK_KERNEL_ALIGN,
			       PK_KERNEL_ALIGN, min, max, false, &at, NULL)) {
		if (!(at & PK_KERNEL_ALIGN))
			at += PK_KERNEL_ALIGN;
		return pk_plan_add_segment(plan, k->image, k->filesz, at,
					   k->memsz, "kernel");
	}
	return pk_plan_alloc_segment(plan, k->image, k->filesz, k->memsz,
				     PK_KERNEL_ALIGN, min, max, false,
				     "kernel");
}

static int pk_linux_build(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	uint64_t rma = pk_ppc64_rma_top(plan), min, kernel, dtb;
	uint64_t initrd = 0, initrd_size = 0, opal_base, opal_entry;
	struct pk_segment *seg;
	struct pk_file rd;
	struct pk_vmlinux k;
	void *fdt = NULL;
	char *cmdline;
	int ret = -1;

	if (pk_vmlinux_read(&plan->payload, &k))
		return -1;
	if (k.filesz < PK_PPC64_LOW_SIZE ||
	    pk_load_uint(k.image, 4, !k.little_endian) != PK_FIXUP_ENDIAN_WORD) {
		pk_error("%s: the kernel does not start with FIXUP_ENDIAN "
			 "(tdi 0,0,0x48), so its first %d bytes may not be "
			 "code: the linux trampoline cannot share them",
			 plan->payload.path, PK_PPC64_ENTRY_KEEP);
		goto out_kernel;
	}

	if (plan->crash) {
		if (pk_load_uint(k.image + PK_RUN_AT_LOAD_OFFSET, 4,
				 !k.little_endian) != PK_RUN_AT_LOAD_DEFAULT) {
			pk_error("%s: not a relocatable kernel (no \"run0\" at "
				 "__run_at_load, offset 0x%x): a capture kernel "
				 "must run in the crash reservation",
				 plan->payload.path, PK_RUN_AT_LOAD_OFFSET);
			goto out_kernel;
		}
		pk_store_uint(k.image + PK_RUN_AT_LOAD_OFFSET, 4,
			      !k.little_endian, PK_RUN_AT_LOAD_HERE);
	}

	/* Above the old kernel, and above where the new one copies itself. */
	min = pk_page_up(plan, k.memsz);
	if (min < plan->memmap.kernel_end)
		min = plan->memmap.kernel_end;
	seg = pk_linux_place_kernel(plan, &k, min, rma);
	k.image = NULL;		/* the plan owns it now */
	if (!seg)
		goto out_kernel;
	seg->verify = true;
	snprintf(seg->what, sizeof(seg->what), "kernel %s (%s-endian)",
		 plan->payload.path, k.little_endian ? "little" : "big");
	kernel = seg->dest;
	plan->payload_entry = kernel + k.entry_offset;
	snprintf(plan->payload_entry_what, sizeof(plan->payload_entry_what),
		 "vmlinux, %s-endian, real mode",
		 k.little_endian ? "little" : "big");

	if (pk_plan_read_initrd(plan, &rd))
		goto out_kernel;
	if (rd.data) {
		initrd_size = rd.size;
		seg = pk_plan_alloc_segment(plan, rd.data, rd.size, rd.size, 0,
					    min, rma, true, "initrd");
		if (!seg)
			goto out_kernel;
		seg->verify = true;
		snprintf(seg->what, sizeof(seg->what), "initrd %s",
			 rd.path);
		initrd = seg->dest;
	}

	cmdline = pk_options_command_line(opts);
	if (pk_ppc64_dt_read(plan, &fdt) ||
	    (plan->crash && pk_ppc64_dt_crash(fdt, plan->crash)) ||
	    pk_ppc64_dt_prepare(fdt, cmdline, initrd, initrd_size)) {
		free(cmdline);
		goto out_kernel;
	}
	free(cmdline);
	pk_ppc64_dt_opal(fdt, &opal_base, &opal_entry);
	{
		uint64_t size = pk_ppc64_dt_size(fdt);
		void *copy = pk_xzalloc(size);

		memcpy(copy, fdt, size);
		seg = pk_plan_alloc_segment(plan, copy, size, size, 0, min,
					    rma, true, "device tree");
	}
	if (!seg)
		goto out_kernel;
	seg->verify = true;
	dtb = seg->dest;

	if (pk_plan_use_trampoline(plan, "linux", min, rma) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_entry, plan->payload_entry) ||
	    PK_PLAN_PATCH_INT(plan, pk_linux_dtb, dtb) ||
	    PK_PLAN_PATCH_INT(plan, pk_kernel_le, k.little_endian) ||
	    PK_PLAN_PATCH_INT(plan, pk_opal_base, opal_base) ||
	    PK_PLAN_PATCH_INT(plan, pk_opal_entry, opal_entry) ||
	    pk_ppc64_patch_timebase(plan, fdt))
		goto out_kernel;
	/* Only -p patches it, so a --purgatory written before the crash
	 * path still boots a normal kernel; under -p one without it would
	 * let the capture kernel's vectors destroy the dump's first bytes. */
	if (plan->crash) {
		if (!pk_plan_has_symbol(plan, PK_SYMBOL(pk_crash_backup))) {
			pk_error("-p: trampoline %s has no %s, so nothing would "
				 "copy the first 0x%x bytes of memory away "
				 "before the capture kernel overwrites them",
				 plan->trampoline_name,
				 PK_SYMBOL(pk_crash_backup),
				 PK_PPC64_CRASH_BACKUP_SIZE);
			goto out_kernel;
		}
		if (PK_PLAN_PATCH_INT(plan, pk_crash_backup,
				      plan->crash->backup_address))
			goto out_kernel;
	}
	ret = 0;
out_kernel:
	free(fdt);
	free(k.image);
	return ret;
}

/* The kernel's segment: the one that holds the payload entry.  Its bytes
 * start at the kernel's lowest PT_LOAD, which is where its low code is. */
static const struct pk_segment *pk_linux_kernel_segment(
	const struct pk_plan *plan)
{
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];

		if (!s->trampoline && s->dest <= plan->payload_entry &&
		    plan->payload_entry - s->dest < s->memsz)
			return s;
	}
	return NULL;
}

static int pk_linux_finish(struct pk_plan *plan)
{
	struct pk_segment *tramp = plan->trampoline_segment;
	const struct pk_segment *kernel = pk_linux_kernel_segment(plan);

	if (!tramp || plan->entry != tramp->dest ||
	    tramp->bufsz < PK_PPC64_LOW_SIZE)
		return pk_error("internal: the linux trampoline's entry is not "
				"at the start of its segment");
	if (!kernel || kernel->bufsz < PK_PPC64_LOW_SIZE)
		return pk_error("internal: no kernel segment holds the entry "
				"0x%llx", (unsigned long long)plan->payload_entry);
	/* kexec copies these to physical 0; the kernel's hold loop is in
	 * them.  The first bytes stay ours: the branch to our primary. */
	memcpy(tramp->buf + PK_PPC64_ENTRY_KEEP,
	       kernel->buf + PK_PPC64_ENTRY_KEEP,
	       PK_PPC64_LOW_SIZE - PK_PPC64_ENTRY_KEEP);
	return 0;
}

static const struct pk_payload_type pk_ppc64_linux_type = {
	.name = "linux",
	.arches = "ppc64le ppc64",
	.summary = "a Linux vmlinux (ELF, maybe compressed) with a device tree "
		   "from /proc/device-tree or --dtb",
	.detect = pk_linux_detect,
	.build = pk_linux_build,
	.finish = pk_linux_finish,
	.options = "initrd append reuse-cmdline dtb",
};

PK_PAYLOAD_TYPE(pk_ppc64_linux_type);
