/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer targets for purgkit-load's parsers, one binary each, chosen at
 * build time with -DPK_FUZZ_TARGET=N (tests/loader/fuzz/fuzz.mk):
 *
 *   1 memmap   any bytes as a --memmap file
 *   2 elf      any bytes as an ELF payload: the one PT_LOAD walker
 *   3 plan     any bytes as a payload of each type in turn, a whole
 *              --dry-run plan against a recorded machine: x86_64 linux
 *              (the bzImage header), multiboot, multiboot2 (their
 *              headers), elf, raw, detection; ppc64le linux (vmlinux,
 *              gzip), elf; ppc64 detection
 *   4 devtree  any bytes as a ppc64 --dtb, read and prepared for a kernel,
 *              and confined for a capture kernel (-p: linux,usable-memory,
 *              the dynamic memory's linux,drconf-usable-memory)
 *   5 set      --set values: the integer grammar, and SYMBOL=VALUE against
 *              a built-in trampoline
 *   6 gzip     any bytes as a compressed payload (gzip, xz, lzma, lz4,
 *              zstd: seeds of each): pk_file_read, then
 *              pk_file_inflate (members, trailing data, bounds)
 *   7 crash    any bytes as the crash lines of a --memmap file, a whole
 *              -p (capture kernel) plan against a recorded machine
 *
 * Each must refuse or succeed; never crash, hang, leak or read or write
 * out of bounds (ASan, UBSan).  Input reaches the loader as it reaches
 * the tool: through a file and the one reader (pk_input_read), with no
 * NUL or trimming added -- a memory file (memfd) named /proc/self/fd/N,
 * so nothing is left on any disk whatever ends the run.  The loader's own
 * stderr lines are silenced with -close_fd_mask=2.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <purgkit/input.h>

#include "crash.h"
#include "elf_payload.h"
#include "memmap.h"
#include "plan.h"
#include "ppc64/ppc64.h"

/* The loader's main() is renamed away (fuzz.mk); libFuzzer owns main. */

/*
 * Put data in a memory file; its path, or NULL.  One file per name for the
 * process, rewritten each run (a path, as the tools take one).
 */
static const char *pk_fuzz_file_named(const char *name, int *fd,
				      char path[64], const uint8_t *data,
				      size_t size)
{
	if (*fd < 0) {
		*fd = memfd_create(name, MFD_CLOEXEC);
		if (*fd < 0)
			return NULL;
		snprintf(path, 64, "/proc/self/fd/%d", *fd);
	}
	if (ftruncate(*fd, 0) ||
	    (size && pwrite(*fd, data, size, 0) != (ssize_t)size))
		return NULL;
	return path;
}

static const char *pk_fuzz_file(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;

	return pk_fuzz_file_named("pk-fuzz-input", &fd, path, data, size);
}

#if PK_FUZZ_TARGET == 1
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = pk_fuzz_file(data, size);
	struct pk_memmap map = { 0 };

	if (!path)
		return 0;
	pk_error_reset();
	pk_memmap_read_file(&map, path);
	pk_memmap_free(&map);
	return 0;
}
#elif PK_FUZZ_TARGET == 2
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pk_file file = { "fuzz", (uint8_t *)data, size };
	struct pk_elf_info info;
	struct pk_elf_load *loads;
	size_t count;

	pk_error_reset();
	if (pk_elf_probe(&file, &info) &&
	    pk_elf_walk(&file, &info, &loads, &count) == 0) {
		/* What a caller does with them: every byte is readable. */
		volatile uint8_t sum = 0;

		for (size_t i = 0; i < count; i++)
			if (loads[i].filesz)
				sum += data[loads[i].offset +
					    loads[i].filesz - 1];
		free(loads);
	}
	return 0;
}
#elif PK_FUZZ_TARGET == 3
#if !defined(PK_FUZZ_MEMMAP) || !defined(PK_FUZZ_PPC_MEMMAP) || \
	!defined(PK_FUZZ_DTB)
#error "PK_FUZZ_MEMMAP, PK_FUZZ_PPC_MEMMAP, PK_FUZZ_DTB: recorded machines"
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char *arch, *type, *memmap, *dtb;
	} runs[] = {
		{ "x86_64", "linux", PK_FUZZ_MEMMAP, NULL },
		{ "x86_64", "multiboot", PK_FUZZ_MEMMAP, NULL },
		{ "x86_64", "multiboot2", PK_FUZZ_MEMMAP, NULL },
		{ "x86_64", "elf", PK_FUZZ_MEMMAP, NULL },
		{ "x86_64", "raw", PK_FUZZ_MEMMAP, NULL },
		{ "x86_64", NULL, PK_FUZZ_MEMMAP, NULL },
		{ "ppc64le", "linux", PK_FUZZ_PPC_MEMMAP, PK_FUZZ_DTB },
		{ "ppc64le", "elf", PK_FUZZ_PPC_MEMMAP, NULL },
		{ "ppc64", NULL, PK_FUZZ_PPC_MEMMAP, PK_FUZZ_DTB },
	};
	const char *path = pk_fuzz_file(data, size);
	struct pk_plan plan;

	if (!path)
		return 0;
	/* Each type in turn; a NULL type asks for detection. */
	for (size_t t = 0; t < sizeof(runs) / sizeof(runs[0]); t++) {
		bool is_linux = runs[t].type && !strcmp(runs[t].type, "linux");
		bool raw = runs[t].type && !strcmp(runs[t].type, "raw");
		struct pk_options opts = {
			.payload = path, .type = runs[t].type,
			.arch = runs[t].arch, .memmap_file = runs[t].memmap,
			.dtb = runs[t].dtb, .dry_run = true,
			.corrupt_segment = -1,
			.command_line = is_linux ? "console=ttyS0" : NULL,
			.have_address = raw, .address = 0x100000,
		};

		/*
		 * A raw payload is any bytes: its plan depends on the input's
		 * size only, and relocating its trampoline is most of a run's
		 * cost.  One input in eight takes that path, so the header
		 * parsers get the executions.
		 */
		if (raw && (size & 7))
			continue;
		pk_error_reset();
		pk_plan_build(&plan, &opts);
		pk_plan_free(&plan);
	}
	return 0;
}
#elif PK_FUZZ_TARGET == 4
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = pk_fuzz_file(data, size);
	struct pk_options opts = { .dtb = path, .corrupt_segment = -1 };
	struct pk_plan plan = { .opts = &opts };
	void *fdt = NULL;

	if (!path)
		return 0;
	pk_error_reset();
	if (pk_ppc64_dt_read(&plan, &fdt) == 0) {
		uint64_t base = 0, entry = 0;
		/* A 512 MiB reservation at 512 MiB in a map that holds any
		 * dynamic memory the tree may describe. */
		struct pk_crash crash = {
			.reservations = { { 0x20000000, 0x40000000,
					    PK_MEM_RAM } },
			.reservation_count = 1,
			.backup_address = 0x20000000, .backup_size = 0x10000,
			.header_address = 0x20010000, .header_size = 0x1000,
			.opts = { .dtb = path },
		};

		if (pk_memmap_add(&crash.system, 0, 1ull << 52, PK_MEM_RAM) == 0)
			pk_ppc64_dt_crash(fdt, &crash);
		pk_memmap_free(&crash.system);
		pk_memmap_free(&crash.capture);
		if (pk_ppc64_dt_prepare(fdt, "console=hvc0", 0x4000000,
					0x10000) == 0)
			pk_ppc64_dt_size(fdt);
		pk_ppc64_dt_opal(fdt, &base, &entry);
		free(fdt);
	}
	return 0;
}
#elif PK_FUZZ_TARGET == 5
#ifndef PK_FUZZ_TRAMPOLINE
#error "PK_FUZZ_TRAMPOLINE: a built trampoline (.ro) to patch"
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pk_reloc *r;
	struct pk_reloc_symbol sym;
	char *text = malloc(size + 1), *eq;
	uint64_t value;
	char err[512];

	memcpy(text, data, size);
	text[size] = '\0';
	pk_number_parse(text, &value);
	if (!r) {
		r = pk_reloc_open_file(PK_FUZZ_TRAMPOLINE, err, sizeof(err));
		if (!r || pk_reloc_place(r, 0x100000))
			abort();
	}
	/* SYMBOL=VALUE; @FILE values would read the fuzzer's own disk. */
	eq = strchr(text, '=');
	if (eq && eq[1] != '@') {
		*eq = '\0';
		pk_reloc_set_value(r, text, eq + 1);
	} else if (!eq && size &&
		   pk_reloc_patchable_at(r, data[0] %
					 (pk_reloc_patchable_count(r) + 1),
					 &sym) == 0 && text[1] != '@') {
		pk_reloc_set_value(r, sym.name, text + 1);
	}
	free(text);
	return 0;
}
#elif PK_FUZZ_TARGET == 6
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = pk_fuzz_file(data, size);
	struct pk_file file;

	if (!path)
		return 0;
	pk_error_reset();
	/* Small inputs may declare huge outputs: the bound is what counts. */
	pk_file_set_limit(64u << 20, "the fuzzer's 64 MiB");
	if (pk_file_read(path, "payload", &file) == 0 &&
	    pk_file_inflate(&file, "payload") == 0) {
		volatile uint8_t last = file.data[file.size - 1];

		(void)last;
		pk_file_free(&file);
	}
	return 0;
}
#elif PK_FUZZ_TARGET == 7
#if !defined(PK_FUZZ_MEMMAP) || !defined(PK_FUZZ_PAYLOAD)
#error "PK_FUZZ_MEMMAP, PK_FUZZ_PAYLOAD: a recorded machine and a payload"
#endif
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *base;
	static size_t base_size;
	static char path[64];
	static int fd = -1;
	struct pk_options opts = {
		.payload = PK_FUZZ_PAYLOAD, .type = "linux", .arch = "x86_64",
		.dry_run = true, .load_panic = true, .corrupt_segment = -1,
		.command_line = "console=ttyS0",
	};
	struct pk_plan plan;
	uint8_t *text;

	/* The recorded machine's map, then the input's lines after it. */
	if (!base) {
		char err[512];

		if (pk_input_read(PK_FUZZ_MEMMAP, "memory map", 1 << 20,
				  "1 MiB", 0, &base, &base_size, err,
				  sizeof(err)))
			abort();
	}
	text = malloc(base_size + size + 1);
	memcpy(text, base, base_size);
	text[base_size] = '\n';
	if (size)
		memcpy(text + base_size + 1, data, size);
	opts.memmap_file = pk_fuzz_file_named("pk-fuzz-memmap", &fd, path,
					      text, base_size + size + 1);
	free(text);
	if (!opts.memmap_file)
		return 0;
	pk_error_reset();
	pk_plan_build(&plan, &opts);
	pk_plan_free(&plan);
	return 0;
}
#else
#error "PK_FUZZ_TARGET must be 1 to 7"
#endif
