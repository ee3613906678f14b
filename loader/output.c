/* SPDX-License-Identifier: MIT */
/*
 * Showing a plan: a table for people, JSON for programs, and the segment
 * bytes for tests that decode boot_params or multiboot information.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crash.h"
#include "output.h"

static void pk_hex(FILE *out, const uint8_t *bytes, uint64_t size)
{
	for (uint64_t i = 0; i < size; i++)
		fprintf(out, "%02x", bytes[i]);
}

/*
 * Length of the valid UTF-8 sequence at p (1-4), or 0 if the bytes there
 * are not one (overlong forms, surrogates and code points past U+10FFFF
 * included, as RFC 3629 says).
 */
static int pk_utf8_length(const unsigned char *p)
{
	int len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * A JSON string of any bytes: quotes, backslashes and control characters
 * escaped, valid UTF-8 copied, and each byte that is not part of valid
 * UTF-8 (a path or --append may hold any) written as U+FFFD, so the
 * output is always valid JSON in UTF-8 (docs/loader.md).
 */
static void pk_json_string(FILE *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	fputc('"', out);
	while (*p) {
		int len = pk_utf8_length(p);

		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else if (len)
			fwrite(p, 1, len, out);
		else
			fputs("\\ufffd", out);
		p += len ? len : 1;
	}
	fputc('"', out);
}

static void pk_json_ranges(FILE *out, const char *indent,
			   const struct pk_mem_range *ranges, size_t count,
			   bool typed)
{
	for (size_t i = 0; i < count; i++) {
		const struct pk_mem_range *r = &ranges[i];

		fprintf(out, "%s{\"start\": %llu, \"end\": %llu", indent,
			HEX(r->start), HEX(r->end));
		if (typed)
			fprintf(out, ", \"type\": \"%s\"",
				pk_mem_type_name(r->type));
		fprintf(out, "}%s\n", i + 1 < count ? "," : "");
	}
}

/*
 * "crash" (-p): the reservations (ends exclusive, as every range here),
 * the one segments went in, the ELF core header's contents, the
 * capture kernel's memory map and (ppc64) the backup of the first bytes.
 */
static void pk_plan_print_crash_json(const struct pk_plan *plan, FILE *out)
{
	const struct pk_crash *crash = plan->crash;

	fprintf(out, "  \"crash\": {\n    \"reservation_source\": ");
	pk_json_string(out, crash->reservation_source);
	fprintf(out, ",\n    \"reservations\": [\n");
	pk_json_ranges(out, "      ", crash->reservations,
		       crash->reservation_count, false);
	fprintf(out, "    ],\n    \"placement\": {\"start\": %llu, "
		"\"end\": %llu},\n",
		HEX(crash->reservations[crash->placement].start),
		HEX(crash->reservations[crash->placement].end));
	fprintf(out, "    \"elfcorehdr\": {\"address\": %llu, \"size\": "
		"%llu,\n      \"notes\": [\n", HEX(crash->header_address),
		HEX(crash->header_size));
	for (size_t i = 0; i < crash->note_count; i++)
		fprintf(out, "        {\"cpu\": %u, \"address\": %llu, "
			"\"size\": %llu}%s\n", crash->notes[i].cpu,
			HEX(crash->notes[i].address),
			HEX(crash->notes[i].size),
			i + 1 < crash->note_count ? "," : "");
	fprintf(out, "      ],\n      \"vmcoreinfo\": ");
	if (crash->vmcoreinfo_size)
		fprintf(out, "{\"address\": %llu, \"size\": %llu}",
			HEX(crash->vmcoreinfo_address),
			HEX(crash->vmcoreinfo_size));
	else
		fprintf(out, "null");
	/* p_vaddr: the RAM PT_LOADs' is direct_map + start (0: 0). */
	fprintf(out, ",\n      \"direct_map\": %llu,\n      "
		"\"kernel_image\": ", HEX(crash->direct_map));
	if (crash->kernel_size)
		fprintf(out, "{\"vaddr\": %llu, \"paddr\": %llu, "
			"\"size\": %llu}", HEX(crash->kernel_vaddr),
			HEX(crash->kernel_paddr), HEX(crash->kernel_size));
	else
		fprintf(out, "null");
	fprintf(out, ",\n      \"loads\": [\n");
	pk_json_ranges(out, "        ", crash->loads, crash->load_count, false);
	fprintf(out, "      ]\n    },\n    \"capture_memmap\": [\n");
	pk_json_ranges(out, "      ", crash->capture.ranges,
		       crash->capture.count, true);
	fprintf(out, "    ],\n    \"backup\": ");
	if (crash->backup_size)
		fprintf(out, "{\"address\": %llu, \"size\": %llu}",
			HEX(crash->backup_address), HEX(crash->backup_size));
	else
		fprintf(out, "null");
	fprintf(out, "\n  },\n");
}

char *pk_plan_gdb_command(const struct pk_plan *plan)
{
	size_t n = pk_reloc_section_count(plan->trampoline), used, cap = 256;
	char *text = pk_xzalloc(cap);

	used = snprintf(text, cap, "add-symbol-file %s%s",
			plan->opts->purgatory ? plan->opts->purgatory :
						plan->trampoline_name,
			plan->opts->purgatory ? "" : ".ro");
	for (size_t i = 0; i < n; i++) {
		struct pk_reloc_section s;
		int len;

		if (pk_reloc_section_at(plan->trampoline, i, &s) || !s.size)
			continue;
		len = snprintf(NULL, 0, " -s %s 0x%llx", s.name,
			       HEX(s.address));
		if (used + len + 1 > cap) {
			cap = (used + len + 1) * 2;
			text = pk_xrealloc(text, cap);
		}
		used += snprintf(text + used, cap - used, " -s %s 0x%llx",
				 s.name, HEX(s.address));
	}
	return text;
}

static void pk_plan_print_json(const struct pk_plan *plan, FILE *out)
{
	char *gdb = pk_plan_gdb_command(plan);
	char *cmdline = pk_options_command_line(plan->opts);
	const struct pk_memmap *map = pk_plan_system_memmap(plan);

	fprintf(out, "{\n  \"arch\": \"%s\",\n  \"page_size\": %llu,\n",
		plan->arch->name, HEX(plan->page_size));
	fprintf(out, "  \"type\": \"%s\",\n  \"type_detected\": %s,\n",
		plan->type->name, plan->type_detected ? "true" : "false");
	fprintf(out, "  \"unwrapped\": [\n");
	for (size_t i = 0; i < plan->unwrap_count; i++) {
		const struct pk_unwrap_record *r = &plan->unwraps[i];

		fprintf(out, "    {\"input\": ");
		pk_json_string(out, r->input);
		fprintf(out, ", \"file\": ");
		pk_json_string(out, r->file);
		fprintf(out, ", \"format\": ");
		pk_json_string(out, r->format);
		fprintf(out, ", \"section\": ");
		if (r->section[0])
			pk_json_string(out, r->section);
		else
			fprintf(out, "null");
		fprintf(out, ", \"offset\": %llu, \"size\": %llu, "
			"\"unwrapped_size\": %llu, \"note\": ", HEX(r->offset),
			HEX(r->size), HEX(r->unwrapped_size));
		pk_json_string(out, r->note);
		fprintf(out, "}%s\n", i + 1 < plan->unwrap_count ? "," : "");
	}
	fprintf(out, "  ],\n");
	fprintf(out, "  \"kexec_flags\": %lu,\n", pk_plan_kexec_flags(plan));
	fprintf(out, "  \"memmap_source\": ");
	pk_json_string(out, map->source);
	fprintf(out, ",\n  \"kernel_end\": %llu,\n", HEX(map->kernel_end));
	fprintf(out, "  \"memmap\": [\n");
	pk_json_ranges(out, "    ", map->ranges, map->count, true);
	fprintf(out, "  ],\n  \"entry\": %llu,\n", HEX(plan->entry));
	fprintf(out, "  \"payload_entry\": %llu,\n",
		HEX(plan->payload_entry));
	fprintf(out, "  \"payload_entry_mode\": ");
	pk_json_string(out, plan->payload_entry_what);
	fprintf(out, ",\n  \"command_line\": ");
	pk_json_string(out, cmdline);
	fprintf(out, ",\n  \"trampoline\": {\"name\": ");
	pk_json_string(out, plan->trampoline_name);
	fprintf(out, ", \"address\": %llu, \"size\": %llu, "
		"\"file_size\": %llu, \"gdb\": ",
		HEX(pk_reloc_base(plan->trampoline)),
		HEX(pk_reloc_size(plan->trampoline)),
		HEX(pk_reloc_file_size(plan->trampoline)));
	pk_json_string(out, gdb);
	fprintf(out, "},\n");
	free(gdb);
	fprintf(out, "  \"verify\": {\"enabled\": %s, \"digest\": \"",
		plan->opts->no_checks ? "false" : "true");
	pk_hex(out, plan->digest, 32);
	fprintf(out, "\"},\n  \"memlog\": {\"base\": %llu, \"size\": %llu},\n",
		HEX(plan->memlog_base),
		HEX(plan->memlog_base ? plan->memlog_size : 0));
	if (plan->crash)
		pk_plan_print_crash_json(plan, out);
	fprintf(out, "  \"segments\": [\n");
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];
		uint8_t digest[32];

		pk_segment_sha256(s, digest);
		fprintf(out, "    {\"index\": %zu, \"dest\": %llu, "
			"\"memsz\": %llu, \"bufsz\": %llu, \"sha256\": \"", i,
			HEX(s->dest), HEX(s->memsz), HEX(s->bufsz));
		pk_hex(out, digest, 32);
		fprintf(out, "\", \"verify\": %s, \"trampoline\": %s, "
			"\"what\": ", s->verify ? "true" : "false",
			s->trampoline ? "true" : "false");
		pk_json_string(out, s->what);
		if (s->staged)
			fprintf(out, ", \"final\": {\"dest\": %llu, "
				"\"memsz\": %llu, \"filesz\": %llu}",
				HEX(s->final_dest), HEX(s->final_memsz),
				HEX(s->bufsz));
		fprintf(out, "}%s\n", i + 1 < plan->segment_count ? "," : "");
	}
	fprintf(out, "  ],\n  \"patches\": [\n");
	for (size_t i = 0; i < plan->patch_count; i++) {
		const struct pk_patch_record *p = &plan->patches[i];

		fprintf(out, "    {\"symbol\": ");
		pk_json_string(out, p->symbol);
		fprintf(out, ", \"size\": %llu, ", HEX(p->size));
		if (p->is_int)
			fprintf(out, "\"value\": %llu, ", HEX(p->value));
		fprintf(out, "\"bytes\": \"");
		pk_hex(out, p->bytes, p->size);
		fprintf(out, "\"}%s\n", i + 1 < plan->patch_count ? "," : "");
	}
	fprintf(out, "  ]\n}\n");
	free(cmdline);
}

static void pk_plan_print_text(const struct pk_plan *plan, FILE *out)
{
	char *gdb;

	fprintf(out, "purgkit-load plan for %s: payload %s, type %s%s\n",
		plan->arch->name, plan->payload.path, plan->type->name,
		plan->type_detected ? " (detected)" : "");
	for (size_t i = 0; i < plan->unwrap_count; i++) {
		const struct pk_unwrap_record *r = &plan->unwraps[i];

		fprintf(out, "unwrapped: %s %s: ", r->input, r->file);
		if (r->section[0])
			fprintf(out, "UKI section %s, 0x%llx bytes at 0x%llx",
				r->section, HEX(r->size), HEX(r->offset));
		else if (r->unwrapped_size)
			fprintf(out, "%s, 0x%llx bytes to 0x%llx", r->format,
				HEX(r->size), HEX(r->unwrapped_size));
		else
			fprintf(out, "%s, 0x%llx bytes", r->format,
				HEX(r->size));
		fprintf(out, "%s%s\n", r->note[0] ? ": " : "", r->note);
	}
	fprintf(out, "memory map: %s (%zu ranges), page size %llu\n",
		plan->memmap.source, plan->memmap.count,
		HEX(plan->page_size));
	if (plan->crash) {
		const struct pk_crash *c = plan->crash;

		fprintf(out, "crash (-p): %zu reservation(s) from %s, segments "
			"in 0x%llx-0x%llx\n", c->reservation_count,
			c->reservation_source,
			HEX(c->reservations[c->placement].start),
			HEX(c->reservations[c->placement].end - 1));
		fprintf(out, "elfcorehdr: 0x%llx, %llu bytes: %zu CPU note(s), "
			"VMCOREINFO %s, %zu PT_LOAD(s) of RAM\n",
			HEX(c->header_address), HEX(c->header_size),
			c->note_count, c->vmcoreinfo_size ? "yes" : "no",
			c->load_count);
		if (c->backup_size)
			fprintf(out, "backup: 0x%llx bytes from 0 copied to 0x%llx "
				"by the trampoline (the dump reads them there)\n",
				HEX(c->backup_size), HEX(c->backup_address));
	}
	fprintf(out, "kexec entry: 0x%llx (trampoline %s)\n", HEX(plan->entry),
		plan->trampoline_name);
	gdb = pk_plan_gdb_command(plan);
	fprintf(out, "gdb: %s\n", gdb);
	free(gdb);
	fprintf(out, "payload entry: 0x%llx%s%s\n", HEX(plan->payload_entry),
		plan->payload_entry_what[0] ? ", " : "",
		plan->payload_entry_what);
	fprintf(out, "verification: %s, digest ",
		plan->opts->no_checks ? "off" : "on");
	pk_hex(out, plan->digest, 32);
	fprintf(out, "\n\n  #  destination          size        sha256 "
		"(padded to size)                                     holds\n");
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];
		uint8_t digest[32];

		pk_segment_sha256(s, digest);
		fprintf(out, "%3zu  0x%016llx  0x%08llx  ", i, HEX(s->dest),
			HEX(s->memsz));
		pk_hex(out, digest, 32);
		fprintf(out, "  %s%s\n", s->what,
			s->verify ? "" : " (not checked)");
		if (s->staged)
			fprintf(out, "     staged; the trampoline copies it to "
				"0x%016llx  0x%08llx (0x%llx bytes, the rest "
				"zeroed)\n", HEX(s->final_dest),
				HEX(s->final_memsz), HEX(s->bufsz));
	}
	fprintf(out, "\npatched into the trampoline:\n");
	for (size_t i = 0; i < plan->patch_count; i++) {
		const struct pk_patch_record *p = &plan->patches[i];

		fprintf(out, "  %-24s = ", p->symbol);
		if (p->is_int) {
			fprintf(out, "0x%llx\n", HEX(p->value));
		} else if (p->size <= 64) {
			pk_hex(out, p->bytes, p->size);
			fputc('\n', out);
		} else {
			fprintf(out, "(%llu bytes) ", HEX(p->size));
			pk_hex(out, p->bytes, 32);
			fprintf(out, "...\n");
		}
	}
}

int pk_plan_print(const struct pk_plan *plan, bool json)
{
	if (json)
		pk_plan_print_json(plan, stdout);
	else
		pk_plan_print_text(plan, stdout);
	return pk_stdout_flush();
}

/* Remove segment-0.bin .. segment-(count-1).bin, and dir if we made it. */
static void pk_dump_undo(const char *dir, size_t count, bool made_dir)
{
	char path[4096];

	for (size_t i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/segment-%zu.bin", dir, i);
		unlink(path);
	}
	if (made_dir)
		rmdir(dir);
}

/* Write one segment's bytes to path, a regular file; 0 or -1 (errno). */
static int pk_dump_one(const char *path, const struct pk_segment *s,
		       const char **why, bool *opened)
{
	struct stat st;
	FILE *f;
	/* Never block on, or write through, what is already there. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
				    O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0644);

	*why = NULL;
	*opened = false;
	if (fd < 0) {
		int e = errno;

		/* A FIFO with no reader says ENXIO: say what it is. */
		if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
			*why = "is not a regular file";
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		*why = "is not a regular file";
		return -1;
	}
	*opened = true;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -1;
	}
	errno = 0;
	if ((s->bufsz && fwrite(s->buf, s->bufsz, 1, f) != 1) |
	    (fclose(f) != 0)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

/*
 * All the segments or none: a failure part-way removes the files already
 * written (and the folder, when this run made it).
 */
int pk_plan_dump_segments(const struct pk_plan *plan, const char *dir)
{
	bool made_dir = mkdir(dir, 0755) == 0;

	if (!made_dir && errno != EEXIST)
		return pk_error("--dump-segments %s: %s", dir, strerror(errno));
	for (size_t i = 0; i < plan->segment_count; i++) {
		char path[4096];
		const char *why;
		bool opened;

		snprintf(path, sizeof(path), "%s/segment-%zu.bin", dir, i);
		if (pk_dump_one(path, &plan->segments[i], &why, &opened)) {
			int e = errno;

			/* Segment i is ours to remove once it was opened. */
			pk_dump_undo(dir, opened ? i + 1 : i, made_dir);
			return pk_error("--dump-segments %s: %s", path,
					why ? why : strerror(e));
		}
	}
	return 0;
}
