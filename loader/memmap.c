/* SPDX-License-Identifier: MIT */
/*
 * The physical memory map: where segments may go.
 *
 * File format (--memmap, docs/loader.md): one item a line, '#' starts a
 * comment.  "START END TYPE" is a range, START and END numbers as
 * pk_parse_u64 reads them (0x hex, as /sys/firmware/memmap prints them,
 * else decimal) with END inclusive and TYPE as /sys/firmware/memmap
 * spells it ("System RAM",
 * "Reserved", "ACPI Tables", ...), so the file is what
 *	for d in /sys/firmware/memmap/[0-9]*; do echo $(cat $d/start) \
 *		$(cat $d/end) $(cat $d/type); done
 * prints.  Any other line is "KEY VALUE", KEY one of pk_memmap_keys:
 * "arch NAME", "page-size N", "kernel-end ADDR" are understood here,
 * "real-mode-limit ADDR" is kept for the ppc64 payload types
 * (pk_memmap_directive).  Anything else is refused with its line number:
 * a typo must not silently change where segments go.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

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

static enum pk_mem_type pk_mem_type_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(pk_mem_type_names) /
		     sizeof(pk_mem_type_names[0]); i++)
		if (!strcmp(pk_mem_type_names[i].name, name))
			return pk_mem_type_names[i].type;
	/* Anything we do not know is memory we must not touch. */
	return PK_MEM_RESERVED;
}

int pk_memmap_add(struct pk_memmap *map, uint64_t start, uint64_t end,
		  enum pk_mem_type type)
{
	size_t at;

	if (end <= start)
		return pk_error("%s: empty or inverted range 0x%llx-0x%llx",
				map->source, (unsigned long long)start,
				(unsigned long long)end);
	for (at = 0; at < map->count; at++) {
		const struct pk_mem_range *r = &map->ranges[at];

		if (start < r->end && r->start < end)
			return pk_error("%s: range 0x%llx-0x%llx overlaps "
					"0x%llx-0x%llx", map->source,
					(unsigned long long)start,
					(unsigned long long)end - 1,
					(unsigned long long)r->start,
					(unsigned long long)r->end - 1);
		if (r->start > start)
			break;
	}
	map->ranges = pk_xrealloc(map->ranges,
				  (map->count + 1) * sizeof(*map->ranges));
	memmove(&map->ranges[at + 1], &map->ranges[at],
		(map->count - at) * sizeof(*map->ranges));
	map->ranges[at] = (struct pk_mem_range){ start, end, type };
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
	"arch", "page-size", "kernel-end", "real-mode-limit",
};

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
				"real-mode-limit", map->source, line, key);

	if (!strcmp(key, "arch")) {
		if (!pk_arch_find(value))
			return pk_error("%s:%u: unknown arch '%s'", map->source,
					line, value);
		map->arch_name = pk_arch_find(value)->name;
	} else if (!strcmp(key, "page-size")) {
		if (pk_parse_u64(value, &number) || number < 4096 ||
		    (number & (number - 1)))
			return pk_error("%s:%u: page-size must be a power of "
					"two of at least 4096", map->source,
					line);
		map->page_size = number;
	} else if (!strcmp(key, "kernel-end")) {
		if (pk_parse_u64(value, &number))
			return pk_error("%s:%u: kernel-end needs an address",
					map->source, line);
		map->kernel_end = number;
	}
	map->directives = pk_xrealloc(map->directives,
				      (map->directive_count + 1) *
					      sizeof(*map->directives));
	map->directives[map->directive_count].key = pk_xstrdup(key);
	map->directives[map->directive_count].value = pk_xstrdup(value);
	map->directive_count++;
	return 0;
}

int pk_memmap_read_file(struct pk_memmap *map, const char *path)
{
	char buf[512];
	unsigned int line = 0;
	FILE *f;
	int ret = 0;

	snprintf(map->source, sizeof(map->source), "%s", path);
	f = fopen(path, "re");
	if (!f)
		return pk_error("memory map %s: %s", path, strerror(errno));
	while (!ret && fgets(buf, sizeof(buf), f)) {
		char *text, *hash, *rest, *first, *second;
		uint64_t start, end;

		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			ret = pk_error("%s:%u: line too long", path, line);
			break;
		}
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		text = pk_trim(buf);
		if (!*text)
			continue;
		first = strtok_r(text, " \t", &rest);
		if (pk_parse_u64(first, &start)) {
			rest = pk_trim(rest ? rest : (char *)"");
			if (!*rest)
				ret = pk_error("%s:%u: '%s' needs a value",
					       path, line, first);
			else
				ret = pk_memmap_directive_add(map, first, rest,
							      line);
			continue;
		}
		second = strtok_r(NULL, " \t", &rest);
		if (!second || pk_parse_u64(second, &end) || !rest ||
		    !*pk_trim(rest)) {
			ret = pk_error("%s:%u: expected START END TYPE",
				       path, line);
			break;
		}
		if (end == UINT64_MAX || end < start) {
			ret = pk_error("%s:%u: end 0x%llx is below start "
				       "or the top of the address space",
				       path, line, (unsigned long long)end);
			break;
		}
		ret = pk_memmap_add(map, start, end + 1,
				    pk_mem_type_parse(pk_trim(rest)));
	}
	if (!ret && ferror(f))
		ret = pk_error("memory map %s: read error", path);
	fclose(f);
	if (!ret && map->count == 0)
		ret = pk_error("memory map %s: no ranges", path);
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
