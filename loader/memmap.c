/* SPDX-License-Identifier: MIT */
/*
 * The physical memory map: where segments may go.
 *
 * File format (--memmap, docs/loader.md): one item a line, '#' starts a
 * comment.  "START END TYPE" is a range, START and END in hex with 0x
 * (the one integer grammar, purgkit/input.h, in its hex form) with END
 * inclusive and TYPE exactly as /sys/firmware/memmap spells it ("System
 * RAM", "Reserved", "ACPI Tables", ...; any other TYPE is refused), so the
 * file is what
 *	for d in /sys/firmware/memmap/[0-9]*; do echo $(cat $d/start) \
 *		$(cat $d/end) $(cat $d/type); done
 * prints.  Any other line is "KEY VALUE", KEY one of pk_memmap_keys:
 * "arch NAME", "page-size N", "kernel-end ADDR" are understood here,
 * "real-mode-limit ADDR" is kept for the ppc64 payload types
 * (pk_memmap_directive), and the crash path's (-p, crash.c) are checked
 * here and read there: "crash-kernel START END" (a crash reservation, END
 * inclusive, as /proc/iomem's "Crash kernel"; repeatable), "crash-notes
 * CPU ADDRESS SIZE" (a CPU's crash notes buffer; repeatable),
 * "vmcoreinfo ADDRESS SIZE", "direct-map VADDR" (the direct map's base)
 * and "kernel-image VADDR PADDR SIZE" (the kernel image's mapping, for
 * the dump's p_vaddr).  Anything else is refused with its line number:
 * a typo must not silently change where segments go.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/input.h>

#include "memmap.h"


/* A memory map file larger than this is not a memory map. */
#define PK_MEMMAP_MAX_FILE (64u << 20)

static const struct {
	const char *name;
	enum pk_mem_type type;
} pk_mem_type_names[] = {
	{ "System RAM", PK_MEM_RAM },
	{ "Reserved", PK_MEM_RESERVED },
	{ "ACPI Tables", PK_MEM_ACPI },
	{ "ACPI Non-volatile Storage", PK_MEM_NVS },
	{ "Unusable memory", PK_MEM_UNUSABLE },
	{ "Persistent Memory", PK_MEM_PMEM },
	{ "Persistent Memory (legacy)", PK_MEM_PMEM },
	{ "Soft Reserved", PK_MEM_RESERVED },
};

const char *pk_mem_type_name(enum pk_mem_type type)
{
	for (size_t i = 0; i < sizeof(pk_mem_type_names) /
		     sizeof(pk_mem_type_names[0]); i++)
		if (pk_mem_type_names[i].type == type)
			return pk_mem_type_names[i].name;
	return "Reserved";
}

/* The type named exactly so, or 0. */
static enum pk_mem_type pk_mem_type_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(pk_mem_type_names) /
		     sizeof(pk_mem_type_names[0]); i++)
		if (!strcmp(pk_mem_type_names[i].name, name))
			return pk_mem_type_names[i].type;
	return 0;
}

/*
 * The kernel's own map (sysfs) may name a type newer than this table:
 * memory we must not touch.  A file a person wrote may not: a misspelt
 * "System Ram" must not silently become Reserved (pk_memmap_read_file).
 */
static enum pk_mem_type pk_mem_type_parse(const char *name)
{
	return pk_mem_type_lookup(name) ?: PK_MEM_RESERVED;
}

/* Make room for one more range; capacity doubles, so adding n is O(n). */
static void pk_memmap_reserve(struct pk_memmap *map, size_t count)
{
	if (count <= map->capacity)
		return;
	map->capacity = map->capacity ? map->capacity * 2 : 16;
	if (map->capacity < count)
		map->capacity = count;
	map->ranges = pk_xrealloc(map->ranges,
				  map->capacity * sizeof(*map->ranges));
}

int pk_memmap_add(struct pk_memmap *map, uint64_t start, uint64_t end,
		  enum pk_mem_type type)
{
	size_t lo = 0, hi = map->count;

	/* end is exclusive: 0 means the range ran past the last byte. */
	if (end == 0 && start != 0)
		return pk_error("%s: range from 0x%llx wraps around the end of "
				"the address space", map->source, HEX(start));
	if (end <= start)
		return pk_error("%s: empty or inverted range: start 0x%llx, "
				"end 0x%llx (exclusive)", map->source,
				HEX(start), HEX(end));
	/* The first range that starts after start: insert before it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map->ranges[mid].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t at = lo ? lo - 1 : lo; at <= lo && at < map->count; at++) {
		const struct pk_mem_range *r = &map->ranges[at];

		if (start < r->end && r->start < end)
			return pk_error("%s: range 0x%llx-0x%llx overlaps "
					"0x%llx-0x%llx", map->source,
					HEX(start), HEX(end - 1),
					HEX(r->start), HEX(r->end - 1));
	}
	pk_memmap_reserve(map, map->count + 1);
	memmove(&map->ranges[lo + 1], &map->ranges[lo],
		(map->count - lo) * sizeof(*map->ranges));
	map->ranges[lo] = (struct pk_mem_range){ start, end, type };
	map->count++;
	return 0;
}

static char *pk_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Every KEY a memory map file may use. */
static const char *const pk_memmap_keys[] = {
	"arch", "page-size", "kernel-end", "real-mode-limit", "crash-kernel",
	"crash-notes", "vmcoreinfo", "direct-map", "kernel-image",
};

int pk_memmap_directive_numbers(const char *value, uint64_t *numbers,
				size_t count, const char **why)
{
	char *copy = pk_xstrdup(value), *field, *rest;
	size_t n = 0;
	int ret = 0;

	*why = NULL;
	for (field = strtok_r(copy, " \t", &rest); field && !*why;
	     field = strtok_r(NULL, " \t", &rest)) {
		if (n == count)
			*why = "has too many fields";
		else
			*why = pk_number_parse(field, &numbers[n++]);
	}
	if (!*why && n != count)
		*why = "has too few fields";
	if (*why)
		ret = -1;
	free(copy);
	return ret;
}

/* The number of fields of the crash path's keys, 0 for the others. */
static size_t pk_memmap_crash_fields(const char *key)
{
	return !strcmp(key, "crash-kernel") ? 2 :
	       !strcmp(key, "crash-notes") ? 3 :
	       !strcmp(key, "vmcoreinfo") ? 2 :
	       !strcmp(key, "direct-map") ? 1 :
	       !strcmp(key, "kernel-image") ? 3 : 0;
}

#define PK_MAX_PAGE_SIZE (1u << 20)

static int pk_memmap_directive_add(struct pk_memmap *map, const char *key,
				   const char *value, unsigned int line)
{
	uint64_t number;
	size_t k;

	for (k = 0; k < sizeof(pk_memmap_keys) / sizeof(pk_memmap_keys[0]); k++)
		if (!strcmp(key, pk_memmap_keys[k]))
			break;
	if (k == sizeof(pk_memmap_keys) / sizeof(pk_memmap_keys[0]))
		return pk_error("%s:%u: '%s' is neither a range (START END TYPE, "
				"in hex) nor one of arch, page-size, kernel-end, "
				"real-mode-limit, crash-kernel, crash-notes, "
				"vmcoreinfo, direct-map, kernel-image",
				map->source, line, key);

	if (pk_memmap_crash_fields(key)) {
		static const char *const usage[] = {
			"START END", "CPU ADDRESS SIZE", "ADDRESS SIZE",
			"VADDR", "VADDR PADDR SIZE",
		};
		static const char *const keys[] = {
			"crash-kernel", "crash-notes", "vmcoreinfo",
			"direct-map", "kernel-image",
		};
		size_t u = 0;
		size_t fields = pk_memmap_crash_fields(key);
		uint64_t numbers[3];
		const char *why;

		while (strcmp(key, keys[u]))
			u++;
		if (pk_memmap_directive_numbers(value, numbers, fields, &why))
			return pk_error("%s:%u: %s '%s' %s (expected %s)",
					map->source, line, key, value, why,
					usage[u]);
		if (!strcmp(key, "crash-kernel") && numbers[1] < numbers[0])
			return pk_error("%s:%u: crash-kernel end 0x%llx is "
					"below its start 0x%llx", map->source,
					line, HEX(numbers[1]), HEX(numbers[0]));
		if (!strcmp(key, "crash-kernel") && numbers[1] == UINT64_MAX)
			return pk_error("%s:%u: crash-kernel end 0x%llx is the "
					"last byte of the address space, which "
					"a range cannot include", map->source,
					line, HEX(numbers[1]));
		if (!strcmp(key, "kernel-image") &&
		    (!numbers[2] || numbers[0] + numbers[2] < numbers[0] ||
		     numbers[1] + numbers[2] < numbers[1]))
			return pk_error("%s:%u: kernel-image size 0x%llx is "
					"empty or wraps around", map->source,
					line, HEX(numbers[2]));
	} else if (strcmp(key, "arch")) {
		/* Every other key but arch takes a number in the one
		 * grammar. */
		const char *why = pk_number_parse(value, &number);

		if (why)
			return pk_error("%s:%u: %s '%s' %s", map->source,
					line, key, value, why);
	}
	/*
	 * The value is good; only the crash path's lists repeat, so a
	 * second value of any other key is a mistake.
	 */
	if (strcmp(key, "crash-kernel") && strcmp(key, "crash-notes")) {
		for (size_t i = 0; i < map->directive_count; i++)
			if (!strcmp(map->directives[i].key, key))
				return pk_error("%s:%u: '%s' is given twice "
						"(first on line %u): a memory "
						"map says it once",
						map->source, line, key,
						map->directives[i].line);
	}
	if (!strcmp(key, "arch")) {
		if (!pk_arch_find(value))
			return pk_error("%s:%u: unknown arch '%s'", map->source,
					line, value);
		map->arch_name = pk_arch_find(value)->name;
	} else if (!strcmp(key, "page-size")) {
		/*
		 * 1 MiB: above any kernel page size a supported
		 * architecture has; a larger one is a typo.
		 */
		if (number < 4096 || number > PK_MAX_PAGE_SIZE ||
		    (number & (number - 1)))
			return pk_error("%s:%u: page-size '%s' is not a power "
					"of two from 4096 to 0x%x",
					map->source, line, value,
					PK_MAX_PAGE_SIZE);
		map->page_size = number;
	} else if (!strcmp(key, "kernel-end")) {
		map->kernel_end = number;
	}
	/* real-mode-limit is read by the ppc64 types (pk_memmap_directive). */
	map->directives = pk_xgrow(map->directives, map->directive_count,
				   sizeof(*map->directives));
	map->directives[map->directive_count].key = pk_xstrdup(key);
	map->directives[map->directive_count].value = pk_xstrdup(value);
	map->directives[map->directive_count].line = line;
	map->directive_count++;
	return 0;
}

/* A range of a file, with its line for the messages. */
struct pk_memmap_line {
	struct pk_mem_range range;
	unsigned int line;
};

static int pk_memmap_line_compare(const void *a, const void *b)
{
	const struct pk_memmap_line *x = a, *y = b;

	if (x->range.start != y->range.start)
		return x->range.start < y->range.start ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* One address field of a range line: hex with 0x, as sysfs writes it. */
static int pk_memmap_address(const struct pk_memmap *map, unsigned int line,
			     const char *field, const char *text,
			     uint64_t *value)
{
	const char *why;

	if (!pk_number_is_hex(text))
		return pk_error("%s:%u: %s '%s' is not hex with 0x (write "
				"range addresses as /sys/firmware/memmap does)",
				map->source, line, field, text);
	why = pk_number_parse(text, value);
	if (why)
		return pk_error("%s:%u: %s '%s' %s", map->source, line, field,
				text, why);
	return 0;
}

/* Parse one line (NUL-terminated, comment included); ranges go to *lines. */
static int pk_memmap_parse_line(struct pk_memmap *map, char *buf,
				unsigned int line,
				struct pk_memmap_line **lines, size_t *count,
				size_t *capacity)
{
	char *text, *hash, *rest, *first, *second, *type_text;
	enum pk_mem_type type;
	uint64_t start, end;

	hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	text = pk_trim(buf);
	if (!*text)
		return 0;
	first = strtok_r(text, " \t", &rest);
	/* A range starts with a digit; anything else is KEY VALUE. */
	if (first[0] < '0' || first[0] > '9') {
		rest = pk_trim(rest ? rest : (char *)"");
		if (!*rest)
			return pk_error("%s:%u: '%s' needs a value",
					map->source, line, first);
		return pk_memmap_directive_add(map, first, rest, line);
	}
	second = strtok_r(NULL, " \t", &rest);
	type_text = pk_trim(rest ? rest : (char *)"");
	if (!second || !*type_text)
		return pk_error("%s:%u: expected START END TYPE", map->source,
				line);
	if (pk_memmap_address(map, line, "start", first, &start) ||
	    pk_memmap_address(map, line, "end", second, &end))
		return -1;
	if (end < start)
		return pk_error("%s:%u: end 0x%llx is below start 0x%llx",
				map->source, line, HEX(end), HEX(start));
	if (end == UINT64_MAX)
		return pk_error("%s:%u: end 0x%llx is the last byte of the "
				"address space, which a range cannot include",
				map->source, line, HEX(end));
	type = pk_mem_type_lookup(type_text);
	if (!type)
		return pk_error("%s:%u: memory type '%s' is not one of System "
				"RAM, Reserved, ACPI Tables, ACPI Non-volatile "
				"Storage, Unusable memory, Persistent Memory, "
				"Persistent Memory (legacy), Soft Reserved",
				map->source, line, type_text);
	if (*count == *capacity) {
		*capacity = *capacity ? *capacity * 2 : 64;
		*lines = pk_xrealloc(*lines, *capacity * sizeof(**lines));
	}
	(*lines)[(*count)++] = (struct pk_memmap_line){
		{ start, end + 1, type }, line,
	};
	return 0;
}

/*
 * O(n log n) in the number of ranges: the ranges are gathered, sorted
 * once, and each checked against its neighbour only.
 */
int pk_memmap_parse(struct pk_memmap *map, const char *source,
		    const char *bytes, size_t size)
{
	struct pk_memmap_line *lines = NULL;
	size_t count = 0, capacity = 0;
	unsigned int line = 0;
	char *copy, *text, *end, *next;
	int ret = 0;

	snprintf(map->source, sizeof(map->source), "%s", source);
	if (size && memchr(bytes, '\0', size))
		return pk_error("memory map %s: holds a NUL byte: not a text "
				"file", source);
	/* The lines are cut in place: a copy of our own, NUL-terminated. */
	copy = pk_xzalloc(size + 1);
	if (size)
		memcpy(copy, bytes, size);
	end = copy + size;
	for (text = copy; !ret && text < end; text = next) {
		next = memchr(text, '\n', end - text);
		if (next)
			*next++ = '\0';
		else
			next = end;
		line++;
		ret = pk_memmap_parse_line(map, text, line, &lines, &count,
					   &capacity);
	}
	if (!ret && count == 0)
		ret = pk_error("memory map %s: no ranges", source);
	if (!ret) {
		qsort(lines, count, sizeof(*lines), pk_memmap_line_compare);
		for (size_t i = 1; !ret && i < count; i++) {
			const struct pk_mem_range *a = &lines[i - 1].range;
			const struct pk_mem_range *b = &lines[i].range;

			if (b->start < a->end)
				ret = pk_error("%s:%u: range 0x%llx-0x%llx "
					       "overlaps 0x%llx-0x%llx of line "
					       "%u", source,
					       lines[i].line, HEX(b->start),
					       HEX(b->end - 1), HEX(a->start),
					       HEX(a->end - 1),
					       lines[i - 1].line);
		}
	}
	if (!ret) {
		pk_memmap_reserve(map, count);
		for (size_t i = 0; i < count; i++)
			map->ranges[i] = lines[i].range;
		map->count = count;
	}
	free(lines);
	free(copy);
	return ret;
}

int pk_memmap_read_file(struct pk_memmap *map, const char *path)
{
	char err[1024];
	uint8_t *data;
	size_t size;
	int ret;

	if (pk_input_read(path, "memory map", PK_MEMMAP_MAX_FILE,
			  "the 64 MiB a memory map may have", 0, &data, &size,
			  err, sizeof(err)))
		return pk_error("%s", err);
	ret = pk_memmap_parse(map, path, (const char *)data, size);
	free(data);
	return ret;
}

static int pk_read_sysfs_value(const char *dir, const char *entry,
			       const char *name, char *out, size_t size)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, entry, name);
	f = fopen(path, "re");
	if (!f)
		return pk_error("%s: %s", path, strerror(errno));
	if (!fgets(out, size, f)) {
		fclose(f);
		return pk_error("%s: empty", path);
	}
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

int pk_memmap_read_sysfs(struct pk_memmap *map, const char *dir)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(map->source, sizeof(map->source), "%s", dir);
	d = opendir(dir);
	if (!d)
		return pk_error("%s: %s (is this an x86 system with "
				"CONFIG_FIRMWARE_MEMMAP? use --memmap=FILE)",
				dir, strerror(errno));
	while (!ret && (de = readdir(d))) {
		char start_text[64], end_text[64], type_text[128];
		uint64_t start, end;

		if (de->d_name[0] == '.')
			continue;
		ret = pk_read_sysfs_value(dir, de->d_name, "start",
					  start_text, sizeof(start_text)) ||
		      pk_read_sysfs_value(dir, de->d_name, "end", end_text,
					  sizeof(end_text)) ||
		      pk_read_sysfs_value(dir, de->d_name, "type", type_text,
					  sizeof(type_text));
		if (ret)
			break;
		if (pk_parse_u64(start_text, &start) ||
		    pk_parse_u64(end_text, &end) || end < start ||
		    end == UINT64_MAX) {
			ret = pk_error("%s/%s: unreadable range", dir,
				       de->d_name);
			break;
		}
		ret = pk_memmap_add(map, start, end + 1,
				    pk_mem_type_parse(type_text));
	}
	closedir(d);
	if (!ret && map->count == 0)
		ret = pk_error("%s: no ranges", dir);
	return ret;
}

const char *pk_memmap_directive(const struct pk_memmap *map, const char *key)
{
	for (size_t i = map->directive_count; i-- > 0;)
		if (!strcmp(map->directives[i].key, key))
			return map->directives[i].value;
	return NULL;
}

void pk_memmap_free(struct pk_memmap *map)
{
	for (size_t i = 0; i < map->directive_count; i++) {
		free(map->directives[i].key);
		free(map->directives[i].value);
	}
	free(map->directives);
	free(map->ranges);
	memset(map, 0, sizeof(*map));
}
