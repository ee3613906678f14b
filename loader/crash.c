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
 *     what a debugger reads the dump by: the direct map's base plus the
 *     physical address, and one more PT_LOAD maps the kernel image at its
 *     _text when the architecture can tell where that is; 0 when they are
 *     not known, where dump tools take what they need from VMCOREINFO.
 *   - a memory map that holds only its own memory as RAM, and perhaps a
 *     backup of the first bytes of memory the capture kernel overwrites.
 *
 * This file is the generic part, in three steps: the inputs (reservations,
 * notes, VMCOREINFO, where memory is mapped), the dump's layout (its
 * PT_LOADs, the reservation the plan is confined to) and the ELF core
 * header, written as typed Elf64_Ehdr/Elf64_Phdr structures through the
 * one byte-order family.  What differs between architectures -- where the
 * reservation is read, what the trampoline can run in, a backup region,
 * the capture kernel's memory map, the direct map -- is the row's struct
 * pk_crash_arch (arch.h), in loader/<arch>/crash.c.
 *
 * The ELF core header is a segment like any other: hashed, and checked by
 * the trampoline before the capture kernel starts.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"

/* An upper bound on the CPUs read from sysfs (the kernel's NR_CPUS is at
 * most 8192 on the architectures purgkit serves). */
#define PK_CRASH_MAX_CPUS 8192
/*
 * A CPU's crash notes (the kernel's note_buf_t) and VMCOREINFO (one page)
 * are a few KiB; the capture kernel reads that many bytes at that
 * address, so a larger size is a mistake, not a buffer.
 */
#define PK_CRASH_MAX_NOTE_SIZE (1u << 20)

int pk_crash_add_reservation(struct pk_crash *crash, uint64_t start,
			     uint64_t end, const char *where)
{
	size_t n = crash->reservation_count;

	if (n == PK_CRASH_MAX_RESERVATIONS)
		return pk_error("%s: more than %d crash kernel ranges", where,
				PK_CRASH_MAX_RESERVATIONS);
	if (end <= start)
		return pk_error("%s: crash kernel range at 0x%llx is empty or "
				"wraps (end 0x%llx, exclusive)", where,
				HEX(start), HEX(end));
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
		if (pk_crash_add_reservation(crash, start, end + 1, path)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	snprintf(crash->reservation_source, sizeof(crash->reservation_source),
		 "%s", path);
	return 0;
}

int pk_crash_read_iomem(struct pk_crash *crash, const char *hint)
{
	if (crash_read_iomem(crash, "/proc/iomem"))
		return -1;
	if (!crash->reservation_count)
		return pk_error("no crash reservation: /proc/iomem has "
				"no 'Crash kernel' range; boot this "
				"kernel with crashkernel=%s on its "
				"command line", hint);
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
			if (pk_crash_add_reservation(crash, n[0], n[1] + 1,
						  map->source))
				return -1;
		} else if (!strcmp(d->key, "crash-notes")) {
			pk_memmap_directive_numbers(d->value, n, 3, &why);
			if (n[0] >= PK_CRASH_MAX_CPUS)
				return pk_error("%s:%u: crash-notes CPU %llu "
						"is not below %u, the most "
						"CPUs a kernel has (NR_CPUS)",
						map->source, d->line,
						HEX(n[0]), PK_CRASH_MAX_CPUS);
			crash->notes = pk_xgrow(crash->notes, crash->note_count,
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

/* /proc/kcore has a few headers per RAM range and a handful more. */
#define PK_KCORE_MAX_PHDRS 4096

/*
 * The running kernel's direct map and image mapping from /proc/kcore, the
 * running kernel's memory as an ELF core file (fs/proc/kcore.c): one
 * PT_LOAD per RAM range at its direct-map address, p_paddr its physical
 * address; one for the image, _text to _end, at its kernel-map address,
 * p_paddr __pa_symbol(_text); others (vmalloc, modules, vmemmap,
 * vsyscall) with p_paddr -1.  Every RAM header shares one offset
 * (vaddr - paddr), the image's differs; on x86_64 and arm64 the direct map
 * lies below the image (x86_64: __START_KERNEL_map; arm64: the linear map
 * below PAGE_END, the image above it), so the lowest header is RAM and
 * the lowest with another offset is the image.  kexec-tools reads the same
 * headers for the same facts.  Missing or unreadable (not root, lockdown,
 * no CONFIG_PROC_KCORE) or not that shape: nothing is set, and the dump
 * keeps p_vaddr 0 (said under -d when the header is written).
 */
void pk_crash_read_kcore(const struct pk_plan *plan, struct pk_crash *crash)
{
	static const char path[] = "/proc/kcore";
	const struct pk_arch *arch = plan->arch;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint64_t phoff, low = ~0ull, direct_map = 0, text = ~0ull;
	uint64_t text_paddr = 0, text_size = 0;
	unsigned int phnum;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		pk_debug("crash: %s: %s", path, strerror(errno));
		return;
	}
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    pk_get(arch, &eh.e_phentsize) != sizeof(ph)) {
		pk_debug("crash: %s: not a 64-bit ELF core file", path);
		close(fd);
		return;
	}
	phoff = pk_get(arch, &eh.e_phoff);
	phnum = pk_get(arch, &eh.e_phnum);
	/* First pass: the lowest mapping of memory is the direct map. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < phnum && i < PK_KCORE_MAX_PHDRS;
		     i++) {
			uint64_t vaddr, paddr;

			if (pread(fd, &ph, sizeof(ph),
				  phoff + i * sizeof(ph)) != sizeof(ph))
				break;
			vaddr = pk_get(arch, &ph.p_vaddr);
			paddr = pk_get(arch, &ph.p_paddr);
			/* Kernel half only, and a real physical address. */
			if (pk_get(arch, &ph.p_type) != PT_LOAD ||
			    paddr == ~0ull || !(vaddr >> 63) || vaddr < paddr)
				continue;
			if (pass == 0) {
				if (vaddr < low) {
					low = vaddr;
					direct_map = vaddr - paddr;
				}
			} else if (vaddr - paddr != direct_map && vaddr < text) {
				text = vaddr;
				text_paddr = paddr;
				text_size = pk_get(arch, &ph.p_memsz);
			}
		}
	}
	close(fd);
	if (!direct_map || !text_size) {
		pk_debug("crash: %s has no %s PT_LOAD", path,
			 direct_map ? "kernel image" : "direct-map");
		return;
	}
	crash->direct_map = direct_map;
	crash->kernel_vaddr = text;
	crash->kernel_paddr = text_paddr;
	crash->kernel_size = text_size;
	snprintf(crash->vaddr_source, sizeof(crash->vaddr_source), "%s",
		 path);
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
		crash->notes = pk_xgrow(crash->notes, crash->note_count,
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
	const struct pk_crash_arch *arch = plan->arch->crash;
	const struct pk_memmap *map = &plan->memmap;
	const char *hint = arch->reservation_hint;

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
	} else if (!arch->read_reservation) {
		return pk_error("-p/--load-panic: reading this system's crash "
				"reservation is not supported on %s; use "
				"--memmap=FILE", plan->arch->name);
	} else if (arch->read_reservation(crash, hint)) {
		return -1;
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
		if (arch->read_vaddrs)
			arch->read_vaddrs(plan, crash);
	}
	/* A direct map that is not randomized: the row knows its base. */
	if (arch->direct_map && !crash->direct_map) {
		crash->direct_map = arch->direct_map;
		snprintf(crash->vaddr_source, sizeof(crash->vaddr_source),
			 "%s", arch->direct_map_source);
	}
	qsort(crash->notes, crash->note_count, sizeof(*crash->notes),
	      crash_note_compare);
	for (size_t i = 0; i + 1 < crash->note_count; i++)
		if (crash->notes[i].cpu == crash->notes[i + 1].cpu)
			return pk_error("%s: CPU %u has two crash notes "
					"buffers", map->source,
					crash->notes[i].cpu);
	for (size_t i = 0; i < crash->note_count; i++) {
		const struct pk_crash_note *note = &crash->notes[i];

		if (!note->size || !note->address ||
		    note->size > PK_CRASH_MAX_NOTE_SIZE ||
		    note->address + note->size < note->address)
			return pk_error("%s: CPU %u's crash notes are at "
					"0x%llx, 0x%llx bytes: not a buffer "
					"(at most 0x%x bytes, inside the "
					"address space)", map->source,
					note->cpu, HEX(note->address),
					HEX(note->size),
					PK_CRASH_MAX_NOTE_SIZE);
	}
	if (crash->vmcoreinfo_size &&
	    (crash->vmcoreinfo_size > PK_CRASH_MAX_NOTE_SIZE ||
	     crash->vmcoreinfo_address + crash->vmcoreinfo_size <
		     crash->vmcoreinfo_address))
		return pk_error("%s: VMCOREINFO at 0x%llx, 0x%llx bytes: not "
				"a buffer (at most 0x%x bytes, inside the "
				"address space)", map->source,
				HEX(crash->vmcoreinfo_address),
				HEX(crash->vmcoreinfo_size),
				PK_CRASH_MAX_NOTE_SIZE);
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
	crash->loads = pk_xgrow(crash->loads, crash->load_count,
				sizeof(*crash->loads));
	crash->loads[crash->load_count++] =
		(struct pk_mem_range){ start, end, PK_MEM_RAM };
}

/*
 * The system's RAM outside every reservation: the dump's PT_LOADs.  With
 * a backup, [0, backup_size) is a PT_LOAD of its own, read from the
 * backup.  all_memory (struct pk_crash_arch's reserved_is_ram): the map's
 * reserved ranges are RAM of the memory nodes (ppc64: RTAS, the flattened
 * tree's reserve map), and belong in the dump as much as the rest; else
 * they are firmware's, not RAM.  Adjacent ranges are joined.
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

/* The ELF core header's program headers, written in order. */
struct crash_header_writer {
	const struct pk_arch *arch;
	uint8_t *next;
};

static void crash_put_phdr(struct crash_header_writer *w, uint32_t type,
			   uint64_t offset, uint64_t vaddr, uint64_t address,
			   uint64_t size)
{
	const struct pk_arch *arch = w->arch;
	Elf64_Phdr ph = { 0 };

	pk_put32(arch, &ph.p_type, type);
	/* RWX for memory, as the kernel's own header has it. */
	pk_put32(arch, &ph.p_flags, type == PT_LOAD ? PF_R | PF_W | PF_X : 0);
	pk_put64(arch, &ph.p_offset, offset);		/* physical */
	pk_put64(arch, &ph.p_vaddr, vaddr);
	pk_put64(arch, &ph.p_paddr, address);
	pk_put64(arch, &ph.p_filesz, size);
	pk_put64(arch, &ph.p_memsz, size);
	memcpy(w->next, &ph, sizeof(ph));
	w->next += sizeof(ph);
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
	struct crash_header_writer w = { arch, buf + sizeof(Elf64_Ehdr) };
	Elf64_Ehdr eh = { 0 };

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = arch->big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	pk_put16(arch, &eh.e_type, ET_CORE);
	pk_put16(arch, &eh.e_machine, arch->elf_machine);
	pk_put32(arch, &eh.e_version, EV_CURRENT);
	pk_put64(arch, &eh.e_phoff, sizeof(Elf64_Ehdr));
	pk_put16(arch, &eh.e_ehsize, sizeof(Elf64_Ehdr));
	pk_put16(arch, &eh.e_phentsize, sizeof(Elf64_Phdr));
	pk_put16(arch, &eh.e_phnum, crash_phnum(crash));
	memcpy(buf, &eh, sizeof(eh));

	for (size_t i = 0; i < crash->note_count; i++)
		crash_put_phdr(&w, PT_NOTE, crash->notes[i].address, 0,
			       crash->notes[i].address, crash->notes[i].size);
	if (crash->vmcoreinfo_size)
		crash_put_phdr(&w, PT_NOTE, crash->vmcoreinfo_address, 0,
			       crash->vmcoreinfo_address,
			       crash->vmcoreinfo_size);
	/* The image's mapping first, as the kernel's own header has it: a
	 * second view of RAM that a RAM PT_LOAD below holds too. */
	if (crash->kernel_size)
		crash_put_phdr(&w, PT_LOAD, crash->kernel_paddr,
			       crash->kernel_vaddr, crash->kernel_paddr,
			       crash->kernel_size);
	for (size_t i = 0; i < crash->load_count; i++)
		/* The backed-up bytes are read from the backup. */
		crash_put_phdr(&w, PT_LOAD,
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
	/* The reservation as the system's map has it: firmware (ppc64's
	 * RTAS) may lie inside it, and segments must avoid it. */
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
 * The dump's layout: the placement reservation checked and made the plan's
 * memory map, the backup (when the architecture has one), and the old
 * kernel's RAM as the header's PT_LOADs.
 */
static int crash_lay_out(struct pk_plan *plan, struct pk_crash *crash)
{
	const struct pk_crash_arch *arch = plan->arch->crash;
	struct pk_segment *segment;

	crash_choose_placement(crash);
	/* It may hold firmware the kernel placed first (ppc64's RTAS). */
	for (size_t i = 0; i < crash->reservation_count; i++)
		if (!crash_in_map(&plan->memmap, crash->reservations[i].start,
				  crash->reservations[i].end,
				  arch->reserved_is_ram))
			return pk_error("crash reservation 0x%llx-0x%llx (%s) "
					"is not System RAM in %s",
					HEX(crash->reservations[i].start),
					HEX(crash->reservations[i].end - 1),
					crash->reservation_source,
					plan->memmap.source);
	if (arch->check_reservation && arch->check_reservation(plan, crash))
		return -1;
	if (crash_confine(plan, crash))
		return -1;
	if (arch->backup_size) {
		char what[64];

		/* At the top, out of the kernel's way, like the header. */
		snprintf(what, sizeof(what), "backup of the first %llu KiB",
			 HEX(arch->backup_size / 1024));
		segment = pk_plan_alloc_segment(plan, NULL, 0,
						arch->backup_size, 0, 0, 0,
						true, what);
		if (!segment)
			return -1;
		segment->verify = false;	/* written at the panic */
		crash->backup_address = segment->dest;
		crash->backup_size = arch->backup_size;
		if (!crash_in_ram(&crash->system, 0, crash->backup_size))
			return pk_error("%s: the first 0x%llx bytes are not "
					"System RAM, so the capture kernel's "
					"vectors have nowhere to go",
					crash->system.source,
					HEX(crash->backup_size));
	}
	crash_collect_loads(crash, arch->reserved_is_ram);
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
	return 0;
}

/* Write the ELF core header and place it as a segment. */
static int crash_add_header(struct pk_plan *plan, struct pk_crash *crash)
{
	struct pk_segment *segment;
	size_t phnum = crash_phnum(crash);
	uint8_t *buf;

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
	if (phnum > 0xfffe)
		return pk_error("the ELF core header would need %zu program "
				"headers; ELF's e_phnum holds at most 65534",
				phnum);
	crash->header_size = sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
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
	return 0;
}

int pk_crash_prepare(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_crash_arch *arch = plan->arch->crash;
	struct pk_crash *crash;
	const char *append;

	if (strcmp(plan->type->name, "linux"))
		return pk_error("-p/--load-panic loads a capture kernel: "
				"payload type %s is not linux (elfcorehdr= "
				"means nothing to it)", plan->type->name);
	if (opts->mode == 16)
		return pk_error("-p/--load-panic: the 16-bit entry needs the "
				"setup code below 640 KiB, outside any crash "
				"reservation; use the 64- or 32-bit entry");
	if (!arch)
		return pk_error("the crash path (-p) is not supported on %s",
				plan->arch->name);
	crash = pk_xzalloc(sizeof(*crash));
	plan->crash = crash;
	if (crash_read_inputs(plan, crash) || crash_lay_out(plan, crash) ||
	    crash_add_header(plan, crash))
		return -1;

	/* The capture kernel's command line: the user's, then elfcorehdr=. */
	append = opts->command_line ? opts->command_line : "";
	crash->command_line = pk_xzalloc(strlen(append) + 40);
	sprintf(crash->command_line, "%s%selfcorehdr=0x%llx", append,
		*append ? " " : "", HEX(crash->header_address));
	crash->opts = *opts;
	crash->opts.command_line = crash->command_line;
	plan->opts = &crash->opts;

	if (arch->capture_memmap)
		return arch->capture_memmap(plan);
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

int pk_crash_tree_put_range(uint8_t *prop, int *len, int ac, int sc,
			    uint64_t start, uint64_t size)
{
	if ((ac == 1 && start >> 32) || (sc == 1 && size >> 32))
		return pk_error("device tree: 0x%llx+0x%llx does not fit the "
				"root's #address-cells %d, #size-cells %d",
				HEX(start), HEX(size), ac, sc);
	for (int i = ac - 1; i >= 0; i--, *len += 4)
		pk_store_uint(prop + *len, 4, 1, start >> (32 * i));
	for (int i = sc - 1; i >= 0; i--, *len += 4)
		pk_store_uint(prop + *len, 4, 1, size >> (32 * i));
	return 0;
}

int pk_crash_tree_chosen(void *fdt, const struct pk_crash *crash)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	uint8_t prop[16 * (1 + PK_CRASH_MAX_RESERVATIONS)];
	int len = 0, err;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return pk_error("device tree: root #address-cells %d, "
				"#size-cells %d", ac, sc);
	if (pk_crash_tree_put_range(prop, &len, ac, sc,
				    crash->header_address, crash->header_size))
		return -1;
	err = fdt_setprop(fdt, chosen, "linux,elfcorehdr", prop, len);
	len = 0;
	if (!err && pk_crash_tree_put_range(prop, &len, ac, sc,
			      crash->reservations[crash->placement].start,
			      crash->reservations[crash->placement].end -
			      crash->reservations[crash->placement].start))
		return -1;
	for (size_t i = 0; !err && i < crash->reservation_count; i++)
		if (i != crash->placement &&
		    pk_crash_tree_put_range(prop, &len, ac, sc,
					    crash->reservations[i].start,
					    crash->reservations[i].end -
					    crash->reservations[i].start))
			return -1;
	if (!err)
		err = fdt_setprop(fdt, chosen, "linux,usable-memory-range",
				  prop, len);
	if (err)
		return pk_error("device tree: /chosen: %s", fdt_strerror(err));
	return 0;
}
