/* SPDX-License-Identifier: MIT */
/*
 * The crash path (-p, --load-panic): a capture kernel that the running
 * kernel starts when it panics, through the same trampoline, so that it
 * can save the dead kernel's memory from /proc/vmcore.
 *
 * What the capture kernel needs, and where it comes from:
 *
 *   - memory of its own: the crash reservation the running kernel made at
 *     boot (crashkernel=), its "Crash kernel" ranges in /proc/iomem (or
 *     "crash-kernel START END" lines of a --memmap file).  kexec_load with
 *     KEXEC_ON_CRASH copies every segment there at load time and refuses
 *     a segment outside crashk_res, so while the plan is built its memory
 *     map (plan->memmap) is that one range; the map that was read is kept
 *     in crash->system.
 *   - an ELF core header (elfcorehdr=ADDRESS on its command line), from
 *     which its /proc/vmcore is made: one PT_NOTE per CPU for the notes
 *     the crashing kernel fills in (registers: NT_PRSTATUS), one for
 *     VMCOREINFO (the symbols a dump tool reads), and one PT_LOAD per
 *     range of the old kernel's RAM outside the reservation.  As the
 *     kernel's own vmcore reader (fs/proc/vmcore.c) requires, each
 *     header's p_offset is the physical address of its bytes.  p_vaddr is
 *     what a debugger reads the dump by: on x86_64 the direct map's base
 *     (randomized under KASLR) plus the physical address, and one more
 *     PT_LOAD maps the kernel image at its _text (both from /proc/kcore,
 *     as kexec-tools reads them), on ppc64 PAGE_OFFSET plus the physical
 *     address (the image lies in that map); 0 when they are not known (an
 *     x86_64 --memmap file without "direct-map"/"kernel-image" lines, no
 *     /proc/kcore), where dump tools take what they need from VMCOREINFO.
 *   - x86_64: an e820 map that holds only its own memory as RAM
 *     (crash_x86_64_capture_memmap, loader/x86_64/crash.c).
 *   - ppc64: the reservation is read from the device tree
 *     (/proc/device-tree/chosen/linux,crashkernel-base and -size), and a
 *     backup region of PK_PPC64_CRASH_BACKUP_SIZE bytes is set aside in
 *     it: the capture kernel copies its exception vectors to real address
 *     0, so the trampoline copies the old kernel's first bytes there
 *     first, and the header's PT_LOAD for them has the backup's address
 *     as p_offset.  The device tree that confines the capture kernel is
 *     written by the "linux" type (loader/ppc64/linux.c).
 *
 * The ELF core header is a segment like any other: hashed, and checked by
 * the trampoline before the capture kernel starts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/arch/ppc64/lowmem.h>

#include "loader.h"
#include "ppc64/ppc64.h"
#include "x86_64/x86_64.h"

#define PK_ELF_HEADER_SIZE 64
#define PK_ELF_PHDR_SIZE 56
#define PK_EM_X86_64 62
#define PK_EM_PPC64 21
#define PK_PT_LOAD 1
#define PK_PT_NOTE 4
#define PK_ET_CORE 4

/* Book3S and Book3E 64-bit: the linear map of all memory starts here. */
#define PK_PPC64_PAGE_OFFSET 0xc000000000000000ull

/* An upper bound on the CPUs read from sysfs (the kernel's NR_CPUS is at
 * most 8192 on the architectures purgkit serves). */
#define PK_CRASH_MAX_CPUS 8192

const struct pk_memmap *pk_plan_boot_memmap(const struct pk_plan *plan)
{
	return plan->crash ? &plan->crash->capture : &plan->memmap;
}

const struct pk_memmap *pk_plan_system_memmap(const struct pk_plan *plan)
{
	return plan->crash ? &plan->crash->system : &plan->memmap;
}

/* The device tree's crash reservation (big-endian cells). */
#define PK_PPC64_CRASH_BASE "/proc/device-tree/chosen/linux,crashkernel-base"
#define PK_PPC64_CRASH_SIZE "/proc/device-tree/chosen/linux,crashkernel-size"

static bool crash_is_ppc64(const struct pk_plan *plan)
{
	return plan->arch->machine != PK_RELOC_X86_64;
}

static int crash_add_reservation(struct pk_crash *crash, uint64_t start,
				 uint64_t end, const char *where)
{
	size_t n = crash->reservation_count;

	if (n == PK_CRASH_MAX_RESERVATIONS)
		return pk_error("%s: more than %d crash kernel ranges", where,
				PK_CRASH_MAX_RESERVATIONS);
	if (end <= start)
		return pk_error("%s: crash kernel range 0x%llx-0x%llx is empty",
				where, HEX(start), HEX(end - 1));
	for (size_t i = 0; i < n; i++)
		if (start < crash->reservations[i].end &&
		    crash->reservations[i].start < end)
			return pk_error("%s: crash kernel ranges 0x%llx-0x%llx "
					"and 0x%llx-0x%llx overlap", where,
					HEX(start), HEX(end - 1),
					HEX(crash->reservations[i].start),
					HEX(crash->reservations[i].end - 1));
	crash->reservations[n] = (struct pk_mem_range){ start, end,
							PK_MEM_RAM };
	crash->reservation_count++;
	return 0;
}

/*
 * /proc/iomem's "Crash kernel" lines ("  START-END : Crash kernel", hex,
 * nested under System RAM).  Without CAP_SYS_ADMIN the kernel prints
 * every address as 0.
 */
static int crash_read_iomem(struct pk_crash *crash, const char *path)
{
	char line[256];
	FILE *f = fopen(path, "re");

	if (!f)
		return pk_error("%s: %s (the crash reservation is read there)",
				path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		char name[64];

		if (sscanf(line, " %llx-%llx : %63[^\n]", &start, &end,
			   name) != 3 || strcmp(name, "Crash kernel"))
			continue;
		if (!start && !end) {
			fclose(f);
			return pk_error("%s shows the crash reservation at 0: "
					"its addresses are hidden from this "
					"process (run as root)", path);
		}
		if (crash_add_reservation(crash, start, end + 1, path)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	snprintf(crash->reservation_source, sizeof(crash->reservation_source),
		 "%s", path);
	return 0;
}

/* One 4- or 8-byte big-endian device-tree number; 1 when absent. */
static int crash_read_dt_number(const char *path, uint64_t *value)
{
	uint8_t cells[8];
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return 1;
	n = fread(cells, 1, sizeof(cells), f);
	fclose(f);
	if (n != 4 && n != 8)
		return pk_error("%s: %zu bytes, not a 4- or 8-byte number",
				path, n);
	*value = 0;
	for (size_t i = 0; i < n; i++)
		*value = (*value << 8) | cells[i];
	return 0;
}

/* ppc64: the reservation the running kernel wrote into its tree. */
static int crash_read_dt(struct pk_crash *crash)
{
	uint64_t base, size;
	int rc = crash_read_dt_number(PK_PPC64_CRASH_BASE, &base);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		rc = crash_read_dt_number(PK_PPC64_CRASH_SIZE, &size);
		if (rc > 0)
			return pk_error("%s: missing, while %s is there",
					PK_PPC64_CRASH_SIZE,
					PK_PPC64_CRASH_BASE);
		if (rc < 0 || (size && crash_add_reservation(crash, base,
							      base + size,
							      PK_PPC64_CRASH_BASE)))
			return -1;
	}
	snprintf(crash->reservation_source, sizeof(crash->reservation_source),
		 "%s", PK_PPC64_CRASH_BASE);
	return 0;
}

static int crash_read_memmap_lines(struct pk_crash *crash,
				   const struct pk_memmap *map)
{
	for (size_t i = 0; i < map->directive_count; i++) {
		const struct pk_memmap_directive *d = &map->directives[i];
		uint64_t n[3];
		const char *why;

		if (!strcmp(d->key, "crash-kernel")) {
			/* memmap.c checked the fields when it read them. */
			pk_memmap_directive_numbers(d->value, n, 2, &why);
			if (crash_add_reservation(crash, n[0], n[1] + 1,
						  map->source))
				return -1;
		} else if (!strcmp(d->key, "crash-notes")) {
			pk_memmap_directive_numbers(d->value, n, 3, &why);
			crash->notes = pk_xrealloc(crash->notes,
						   (crash->note_count + 1) *
							   sizeof(*crash->notes));
			crash->notes[crash->note_count++] =
				(struct pk_crash_note){ n[0], n[1], n[2] };
		} else if (!strcmp(d->key, "vmcoreinfo")) {
			pk_memmap_directive_numbers(d->value, n, 2, &why);
			crash->vmcoreinfo_address = n[0];
			crash->vmcoreinfo_size = n[1];
		} else if (!strcmp(d->key, "direct-map")) {
			pk_memmap_directive_numbers(d->value, n, 1, &why);
			crash->direct_map = n[0];
			snprintf(crash->vaddr_source,
				 sizeof(crash->vaddr_source), "%s",
				 map->source);
		} else if (!strcmp(d->key, "kernel-image")) {
			pk_memmap_directive_numbers(d->value, n, 3, &why);
			crash->kernel_vaddr = n[0];
			crash->kernel_paddr = n[1];
			crash->kernel_size = n[2];
			snprintf(crash->vaddr_source,
				 sizeof(crash->vaddr_source), "%s",
				 map->source);
		}
	}
	snprintf(crash->reservation_source, sizeof(crash->reservation_source),
		 "%s", map->source);
	return 0;
}

/* A sysfs file's one hex (base 16) or decimal (base 10) number. */
static int crash_read_sysfs_number(const char *path, int base,
				   uint64_t *value)
{
	char text[64], *end;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(text, sizeof(text), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	errno = 0;
	*value = strtoull(text, &end, base);
	if (errno || end == text || (*end && *end != '\n'))
		return pk_error("%s: '%.40s' is not a number", path, text);
	return 0;
}

static int crash_note_compare(const void *a, const void *b)
{
	const struct pk_crash_note *x = a, *y = b;

	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

/*
 * Every CPU's crash notes buffer: its physical address in cpuN/crash_notes
 * (hex), its size in cpuN/crash_notes_size (decimal), as the kernel's
 * drivers/base/cpu.c prints them.
 */
static int crash_read_sysfs_notes(struct pk_crash *crash, const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return pk_error("%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		char path[512];
		unsigned int cpu;
		char tail;
		uint64_t address, size;

		if (sscanf(de->d_name, "cpu%u%c", &cpu, &tail) != 1 ||
		    cpu >= PK_CRASH_MAX_CPUS)
			continue;
		snprintf(path, sizeof(path), "%s/%s/crash_notes", dir,
			 de->d_name);
		if (crash_read_sysfs_number(path, 16, &address)) {
			if (pk_error_message())
				break;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s/crash_notes_size", dir,
			 de->d_name);
		if (crash_read_sysfs_number(path, 10, &size)) {
			if (pk_error_message())
				break;
			pk_error("%s: missing, so the size of CPU %u's crash "
				 "notes is not known", path, cpu);
			break;
		}
		crash->notes = pk_xrealloc(crash->notes,
					   (crash->note_count + 1) *
						   sizeof(*crash->notes));
		crash->notes[crash->note_count++] =
			(struct pk_crash_note){ cpu, address, size };
	}
	closedir(d);
	return pk_error_message() ? -1 : 0;
}

/* /sys/kernel/vmcoreinfo: "ADDRESS SIZE", both hex. */
static void crash_read_sysfs_vmcoreinfo(struct pk_crash *crash,
					const char *path)
{
	unsigned long long address, size;
	FILE *f = fopen(path, "re");

	if (!f)
		return;
	if (fscanf(f, "%llx %llx", &address, &size) == 2 && address && size) {
		crash->vmcoreinfo_address = address;
		crash->vmcoreinfo_size = size;
	}
	fclose(f);
}

/* The reservations and notes from the --memmap file or the system. */
static int crash_read_inputs(struct pk_plan *plan, struct pk_crash *crash)
{
	const struct pk_memmap *map = &plan->memmap;
	const char *hint = !strcmp(plan->arch->name, "x86_64") ? "256M" :
							       "512M";

	if (plan->opts->memmap_file) {
		if (crash_read_memmap_lines(crash, map))
			return -1;
		if (!crash->reservation_count)
			return pk_error("no crash reservation: memory map %s "
					"has no 'crash-kernel START END' line "
					"(a running kernel makes one when "
					"booted with crashkernel=%s)",
					map->source, hint);
		if (!crash->note_count)
			return pk_error("no crash notes exported: memory map "
					"%s has no 'crash-notes CPU ADDRESS "
					"SIZE' line", map->source);
	} else if (crash_is_ppc64(plan)) {
		if (crash_read_dt(crash))
			return -1;
		if (!crash->reservation_count)
			return pk_error("no crash reservation: the device tree "
					"has no %s; boot this kernel with "
					"crashkernel=%s on its command line",
					PK_PPC64_CRASH_BASE, hint);
	} else {
		if (crash_read_iomem(crash, "/proc/iomem"))
			return -1;
		if (!crash->reservation_count)
			return pk_error("no crash reservation: /proc/iomem has "
					"no 'Crash kernel' range; boot this "
					"kernel with crashkernel=%s on its "
					"command line", hint);
	}
	if (!plan->opts->memmap_file) {
		if (crash_read_sysfs_notes(crash, "/sys/devices/system/cpu"))
			return -1;
		if (!crash->note_count)
			return pk_error("no crash notes exported: no "
					"/sys/devices/system/cpu/cpu*/"
					"crash_notes (this kernel was built "
					"without CONFIG_CRASH_DUMP)");
		crash_read_sysfs_vmcoreinfo(crash, "/sys/kernel/vmcoreinfo");
		if (!crash_is_ppc64(plan))
			pk_x86_64_crash_read_kcore(plan, crash, "/proc/kcore");
	}
	/* ppc64's direct map is not randomized: PAGE_OFFSET, where the
	 * kernel's image lies too (the kernel's own header has no PT_LOAD
	 * for the image there). */
	if (crash_is_ppc64(plan) && !crash->direct_map) {
		crash->direct_map = PK_PPC64_PAGE_OFFSET;
		snprintf(crash->vaddr_source, sizeof(crash->vaddr_source),
			 "ppc64's PAGE_OFFSET");
	}
	qsort(crash->notes, crash->note_count, sizeof(*crash->notes),
	      crash_note_compare);
	for (size_t i = 0; i + 1 < crash->note_count; i++)
		if (crash->notes[i].cpu == crash->notes[i + 1].cpu)
			return pk_error("%s: CPU %u has two crash notes "
					"buffers", map->source,
					crash->notes[i].cpu);
	for (size_t i = 0; i < crash->note_count; i++)
		if (!crash->notes[i].size || !crash->notes[i].address)
			return pk_error("%s: CPU %u's crash notes are at "
					"0x%llx, 0x%llx bytes: not a buffer",
					map->source, crash->notes[i].cpu,
					HEX(crash->notes[i].address),
					HEX(crash->notes[i].size));
	return 0;
}

/*
 * Segments go in crashk_res, the range crashkernel=SIZE[,high] made: the
 * highest "Crash kernel" range (a crashkernel=...,low range, for the
 * capture kernel's DMA buffers, lies below it).
 */
static void crash_choose_placement(struct pk_crash *crash)
{
	size_t best = 0;

	for (size_t i = 1; i < crash->reservation_count; i++)
		if (crash->reservations[i].start >
		    crash->reservations[best].start)
			best = i;
	crash->placement = best;
}

static void crash_add_load(struct pk_crash *crash, uint64_t start,
			   uint64_t end)
{
	crash->loads = pk_xrealloc(crash->loads, (crash->load_count + 1) *
							 sizeof(*crash->loads));
	crash->loads[crash->load_count++] =
		(struct pk_mem_range){ start, end, PK_MEM_RAM };
}

/*
 * The system's RAM outside every reservation: the dump's PT_LOADs.  With
 * a backup (ppc64), [0, backup_size) is a PT_LOAD of its own, read from
 * the backup.  On ppc64 the map's reserved ranges (RTAS, the flattened
 * tree's reserve map: the old kernel's image, its initrd) are RAM of the
 * memory nodes, and belong in the dump as much as the rest (all_memory);
 * on x86_64 they are firmware's, not RAM.  Adjacent ranges are joined.
 */
static void crash_collect_loads(struct pk_crash *crash, bool all_memory)
{
	const struct pk_memmap *map = &crash->system;

	for (size_t i = 0; i < map->count; i++) {
		uint64_t start = map->ranges[i].start;
		uint64_t end = map->ranges[i].end;

		if (!all_memory && map->ranges[i].type != PK_MEM_RAM)
			continue;
		/* Map ranges are sorted and disjoint: join the touching. */
		while (i + 1 < map->count && map->ranges[i + 1].start == end &&
		       (all_memory || map->ranges[i + 1].type == PK_MEM_RAM))
			end = map->ranges[++i].end;
		/* Cut each reservation out, left to right (they are few). */
		while (start < end) {
			uint64_t cut_start = end, cut_end = end;

			for (size_t r = 0; r < crash->reservation_count; r++) {
				const struct pk_mem_range *c =
					&crash->reservations[r];

				if (c->end > start && c->start < cut_start) {
					cut_start = c->start > start ?
							    c->start : start;
					cut_end = c->end;
				}
			}
			if (cut_start > end)
				cut_start = end;
			if (cut_start > start && start < crash->backup_size &&
			    cut_start > crash->backup_size) {
				crash_add_load(crash, start,
					       crash->backup_size);
				crash_add_load(crash, crash->backup_size,
					       cut_start);
			} else if (cut_start > start) {
				crash_add_load(crash, start, cut_start);
			}
			start = cut_end;
		}
	}
}

/* Is [start, end) inside one of the dump's RAM PT_LOADs? */
static bool crash_in_dump(const struct pk_crash *crash, uint64_t start,
			  uint64_t end)
{
	for (size_t i = 0; i < crash->load_count; i++)
		if (crash->loads[i].start <= start &&
		    end <= crash->loads[i].end)
			return true;
	return false;
}

static void crash_put_phdr(const struct pk_arch *arch, uint8_t *p,
			   uint32_t type, uint64_t offset, uint64_t vaddr,
			   uint64_t address, uint64_t size)
{
	pk_put32(arch, p + 0, type);		/* p_type */
	pk_put32(arch, p + 4, 0);		/* p_flags */
	pk_put64(arch, p + 8, offset);		/* p_offset: physical */
	pk_put64(arch, p + 16, vaddr);		/* p_vaddr */
	pk_put64(arch, p + 24, address);	/* p_paddr */
	pk_put64(arch, p + 32, size);		/* p_filesz */
	pk_put64(arch, p + 40, size);		/* p_memsz */
	pk_put64(arch, p + 48, 0);		/* p_align */
	if (type == PK_PT_LOAD)
		pk_put32(arch, p + 4, 7);	/* RWX, as the kernel's own */
}

static size_t crash_phnum(const struct pk_crash *crash)
{
	return crash->note_count + (crash->vmcoreinfo_size ? 1 : 0) +
	       (crash->kernel_size ? 1 : 0) + crash->load_count;
}

/* The ELF64 core header: notes first (CPU order, then VMCOREINFO). */
static void crash_write_header(const struct pk_plan *plan,
			       const struct pk_crash *crash, uint8_t *buf)
{
	const struct pk_arch *arch = plan->arch;
	size_t phnum = crash_phnum(crash);
	uint8_t *ph = buf + PK_ELF_HEADER_SIZE;

	memcpy(buf, "\177ELF", 4);
	buf[4] = 2;				/* ELFCLASS64 */
	buf[5] = arch->big_endian ? 2 : 1;	/* ELFDATA2MSB / LSB */
	buf[6] = 1;				/* EV_CURRENT */
	pk_put16(arch, buf + 16, PK_ET_CORE);
	pk_put16(arch, buf + 18, arch->machine == PK_RELOC_X86_64 ?
					 PK_EM_X86_64 : PK_EM_PPC64);
	pk_put32(arch, buf + 20, 1);		/* e_version */
	pk_put64(arch, buf + 32, PK_ELF_HEADER_SIZE);	/* e_phoff */
	pk_put16(arch, buf + 52, PK_ELF_HEADER_SIZE);	/* e_ehsize */
	pk_put16(arch, buf + 54, PK_ELF_PHDR_SIZE);	/* e_phentsize */
	pk_put16(arch, buf + 56, phnum);		/* e_phnum */
	for (size_t i = 0; i < crash->note_count; i++, ph += PK_ELF_PHDR_SIZE)
		crash_put_phdr(arch, ph, PK_PT_NOTE, crash->notes[i].address, 0,
			       crash->notes[i].address, crash->notes[i].size);
	if (crash->vmcoreinfo_size) {
		crash_put_phdr(arch, ph, PK_PT_NOTE, crash->vmcoreinfo_address,
			       0, crash->vmcoreinfo_address,
			       crash->vmcoreinfo_size);
		ph += PK_ELF_PHDR_SIZE;
	}
	/* The image's mapping first, as the kernel's own header has it: a
	 * second view of RAM that a RAM PT_LOAD below holds too. */
	if (crash->kernel_size) {
		crash_put_phdr(arch, ph, PK_PT_LOAD, crash->kernel_paddr,
			       crash->kernel_vaddr, crash->kernel_paddr,
			       crash->kernel_size);
		ph += PK_ELF_PHDR_SIZE;
	}
	for (size_t i = 0; i < crash->load_count; i++, ph += PK_ELF_PHDR_SIZE)
		/* The backed-up bytes are read from the backup. */
		crash_put_phdr(arch, ph, PK_PT_LOAD,
			       crash->backup_size && !crash->loads[i].start ?
				       crash->backup_address :
				       crash->loads[i].start,
			       crash->direct_map ? crash->direct_map +
							   crash->loads[i].start :
						   0,
			       crash->loads[i].start,
			       crash->loads[i].end - crash->loads[i].start);
}

/* Is [start, end) System RAM of map (or of any type when any_type),
 * adjacent ranges joined? */
static bool crash_in_map(const struct pk_memmap *map, uint64_t start,
			 uint64_t end, bool any_type)
{
	for (size_t i = 0; i < map->count && start < end; i++) {
		const struct pk_mem_range *r = &map->ranges[i];

		if ((any_type || r->type == PK_MEM_RAM) && r->start <= start &&
		    start < r->end)
			start = r->end;
	}
	return start >= end;
}

static bool crash_in_ram(const struct pk_memmap *map, uint64_t start,
			 uint64_t end)
{
	return crash_in_map(map, start, end, false);
}

/* Keep the old map, and make the plan's map the placement reservation. */
static int crash_confine(struct pk_plan *plan, struct pk_crash *crash)
{
	const struct pk_mem_range *r = &crash->reservations[crash->placement];
	struct pk_memmap confined = { 0 };

	crash->system = plan->memmap;
	snprintf(confined.source, sizeof(confined.source),
		 "crash reservation 0x%llx-0x%llx", HEX(r->start),
		 HEX(r->end - 1));
	confined.page_size = crash->system.page_size;
	confined.arch_name = crash->system.arch_name;
	plan->memmap = confined;
	if (r->start % plan->page_size || r->end % plan->page_size)
		return pk_error("crash reservation 0x%llx-0x%llx (%s) is not "
				"aligned to the 0x%llx-byte page",
				HEX(r->start), HEX(r->end - 1),
				crash->reservation_source,
				HEX(plan->page_size));
	/* The reservation as the system's map has it: on ppc64 the
	 * firmware's RTAS may lie inside it, and segments must avoid it. */
	for (size_t i = 0; i < crash->system.count; i++) {
		const struct pk_mem_range *m = &crash->system.ranges[i];
		uint64_t start = m->start > r->start ? m->start : r->start;
		uint64_t end = m->end < r->end ? m->end : r->end;

		if (start < end &&
		    pk_memmap_add(&plan->memmap, start, end, m->type))
			return -1;
	}
	return 0;
}

/*
 * ppc64: the trampoline and the capture kernel start with translation
 * off, so the reservation must lie in the real-mode area (the running
 * kernel puts it there unless told crashkernel=SIZE@BASE elsewhere).
 */
static int crash_check_real_mode(const struct pk_plan *plan,
				 const struct pk_crash *crash)
{
	const struct pk_mem_range *r = &crash->reservations[crash->placement];
	uint64_t limit = pk_ppc64_rma_top(plan);	/* the system's map */

	if (!limit || r->end <= limit)
		return 0;
	return pk_error("crash reservation 0x%llx-0x%llx (%s) ends above the "
			"real-mode limit 0x%llx, where the trampoline and the "
			"capture kernel start with translation off",
			HEX(r->start), HEX(r->end - 1),
			crash->reservation_source, HEX(limit));
}

int pk_crash_prepare(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	struct pk_crash *crash;
	struct pk_segment *segment;
	const char *append;
	size_t phnum;
	uint8_t *buf;

	if (strcmp(plan->type->name, "linux"))
		return pk_error("-p/--load-panic loads a capture kernel: "
				"payload type %s is not linux (elfcorehdr= "
				"means nothing to it)", plan->type->name);
	if (opts->mode == 16)
		return pk_error("-p/--load-panic: the 16-bit entry needs the "
				"setup code below 640 KiB, outside any crash "
				"reservation; use the 64- or 32-bit entry");
	crash = pk_xzalloc(sizeof(*crash));
	plan->crash = crash;
	if (crash_read_inputs(plan, crash))
		return -1;
	crash_choose_placement(crash);
	/* ppc64's may hold RTAS, which the kernel placed first. */
	for (size_t i = 0; i < crash->reservation_count; i++)
		if (!crash_in_map(&plan->memmap, crash->reservations[i].start,
				  crash->reservations[i].end,
				  crash_is_ppc64(plan)))
			return pk_error("crash reservation 0x%llx-0x%llx (%s) "
					"is not System RAM in %s",
					HEX(crash->reservations[i].start),
					HEX(crash->reservations[i].end - 1),
					crash->reservation_source,
					plan->memmap.source);
	/* The x86_64 runtime runs below 4 GiB (its 32- and 16-bit hand-offs
	 * run with paging off), and kexec_load puts nothing outside
	 * crashk_res: a reservation wholly above 4 GiB cannot hold it. */
	if (plan->arch->machine == PK_RELOC_X86_64 &&
	    crash->reservations[crash->placement].start >= (1ull << 32))
		return pk_error("crash reservation 0x%llx-0x%llx (%s) lies above "
				"4 GiB (crashkernel=...,high); the trampoline "
				"runs below 4 GiB: reserve with crashkernel="
				"SIZE, which the kernel places below 4 GiB",
				HEX(crash->reservations[crash->placement].start),
				HEX(crash->reservations[crash->placement].end -
				    1), crash->reservation_source);
	if (crash_is_ppc64(plan) && crash_check_real_mode(plan, crash))
		return -1;
	if (crash_confine(plan, crash))
		return -1;
	if (crash_is_ppc64(plan)) {
		/* At the top, out of the kernel's way, like the header. */
		segment = pk_plan_alloc_segment(plan, NULL, 0,
						PK_PPC64_CRASH_BACKUP_SIZE, 0,
						0, 0, true,
						"backup of the first 64 KiB");
		if (!segment)
			return -1;
		segment->verify = false;	/* written at the panic */
		crash->backup_address = segment->dest;
		crash->backup_size = PK_PPC64_CRASH_BACKUP_SIZE;
		if (!crash_in_ram(&crash->system, 0, crash->backup_size))
			return pk_error("%s: the first 0x%llx bytes are not "
					"System RAM, so the capture kernel's "
					"vectors have nowhere to go",
					crash->system.source,
					HEX(crash->backup_size));
	}
	crash_collect_loads(crash, crash_is_ppc64(plan));
	if (!crash->load_count)
		return pk_error("%s: no RAM outside the crash reservation: "
				"nothing to dump", crash->system.source);

	if (crash->kernel_size &&
	    !crash_in_dump(crash, crash->kernel_paddr,
			   crash->kernel_paddr + crash->kernel_size))
		return pk_error("%s: the kernel image 0x%llx-0x%llx is not RAM "
				"the dump holds (outside the crash "
				"reservation)", crash->vaddr_source,
				HEX(crash->kernel_paddr),
				HEX(crash->kernel_paddr + crash->kernel_size -
				    1));
	if (!crash->direct_map && !crash->kernel_size)
		pk_debug("crash: the running kernel's direct map and image "
			 "mapping are not known: the dump's PT_LOADs have "
			 "p_vaddr 0");
	else if (!crash->kernel_size)
		pk_debug("crash: from %s: direct map at 0x%llx, no PT_LOAD "
			 "of the kernel image", crash->vaddr_source,
			 HEX(crash->direct_map));
	else
		pk_debug("crash: from %s: direct map at 0x%llx, kernel image "
			 "0x%llx bytes at 0x%llx (physical 0x%llx)",
			 crash->vaddr_source, HEX(crash->direct_map),
			 HEX(crash->kernel_size), HEX(crash->kernel_vaddr),
			 HEX(crash->kernel_paddr));
	phnum = crash_phnum(crash);
	if (phnum > 0xfffe)
		return pk_error("the ELF core header would need %zu program "
				"headers; ELF's e_phnum holds at most 65534",
				phnum);
	crash->header_size = PK_ELF_HEADER_SIZE + phnum * PK_ELF_PHDR_SIZE;
	buf = pk_xzalloc(crash->header_size);
	crash_write_header(plan, crash, buf);
	/* At the reservation's top, out of the way of the kernel, which
	 * wants to sit low and aligned. */
	segment = pk_plan_alloc_segment(plan, buf, crash->header_size,
					crash->header_size, 0, 0, 0, true,
					"ELF core header (elfcorehdr)");
	if (!segment)
		return -1;
	crash->header_address = segment->dest;

	/* The capture kernel's command line: the user's, then elfcorehdr=. */
	append = opts->command_line ? opts->command_line : "";
	crash->command_line = pk_xzalloc(strlen(append) + 40);
	sprintf(crash->command_line, "%s%selfcorehdr=0x%llx", append,
		*append ? " " : "", HEX(crash->header_address));
	crash->opts = *opts;
	crash->opts.command_line = crash->command_line;
	plan->opts = &crash->opts;

	if (plan->arch->machine == PK_RELOC_X86_64)
		return pk_x86_64_crash_capture_memmap(plan);
	return 0;
}

void pk_crash_free(struct pk_crash *crash)
{
	if (!crash)
		return;
	pk_memmap_free(&crash->system);
	pk_memmap_free(&crash->capture);
	free(crash->notes);
	free(crash->loads);
	free(crash->command_line);
	free(crash);
}
