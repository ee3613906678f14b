/* SPDX-License-Identifier: MIT */
/*
 * Unified kernel images: the PE section table read from the file (PE/COFF
 * headers: the MS-DOS stub's e_lfanew at 0x3c, "PE\0\0", the 20-byte COFF
 * header, the optional header, then 40-byte section headers).
 */
#include <stdio.h>
#include <string.h>

#include <purgkit/byteorder.h>

#include "uki.h"

#define PE_OFFSET_FIELD 0x3c
#define COFF_HEADER_SIZE 20
#define SECTION_HEADER_SIZE 40

static uint32_t le(const uint8_t *p, int bytes)
{
	return (uint32_t)pk_load_uint(p, bytes, false);
}

/* The sections of the UKI specification; any of them makes a PE a UKI. */
static const char *const uki_sections[] = {
	".linux", ".osrel", ".cmdline", ".initrd", ".ucode", ".splash",
	".dtb", ".dtbauto", ".hwids", ".uname", ".pcrsig", ".pcrpkey",
	".profile", ".efifw",
};

static bool uki_named(const uint8_t *name, const char *want)
{
	size_t len = strlen(want);

	/* Eight bytes, NUL-padded when shorter. */
	return !memcmp(name, want, len) && (len == 8 || name[len] == '\0');
}

static bool uki_section_of_spec(const uint8_t *name)
{
	for (size_t i = 0; i < sizeof(uki_sections) / sizeof(uki_sections[0]);
	     i++)
		if (uki_named(name, uki_sections[i]))
			return true;
	return false;
}

/* The section name for messages: up to 8 bytes, printable. */
static void uki_name(const uint8_t *name, char out[9])
{
	size_t i;

	for (i = 0; i < 8 && name[i]; i++)
		out[i] = name[i] >= 0x20 && name[i] < 0x7f ? (char)name[i] : '?';
	out[i] = '\0';
}

int pk_uki_parse(const struct pk_file *file, struct pk_uki *uki)
{
	const uint8_t *d = file->data;
	uint64_t pe, table, count, end;
	/* Which profile each part was taken from (-1: base). */
	int from[5] = { -2, -2, -2, -2, -2 };
	int profile = -1;
	bool any = false;

	memset(uki, 0, sizeof(*uki));
	if (file->size < PE_OFFSET_FIELD + 4 || d[0] != 'M' || d[1] != 'Z')
		return 0;
	pe = le(d + PE_OFFSET_FIELD, 4);
	if (pe > file->size || file->size - pe < 4 + COFF_HEADER_SIZE ||
	    memcmp(d + pe, "PE\0\0", 4))
		return 0;
	count = le(d + pe + 4 + 2, 2);
	table = pe + 4 + COFF_HEADER_SIZE + le(d + pe + 4 + 16, 2);
	end = table + count * SECTION_HEADER_SIZE;
	/* A table the file does not hold: no UKI can be told from it. */
	if (end > file->size)
		return 0;
	for (uint64_t i = 0; i < count; i++) {
		const uint8_t *h = d + table + i * SECTION_HEADER_SIZE;

		if (uki_section_of_spec(h))
			any = true;
	}
	if (!any)
		return 0;

	for (uint64_t i = 0; i < count; i++) {
		const uint8_t *h = d + table + i * SECTION_HEADER_SIZE;
		struct pk_uki_section *parts[5] = {
			&uki->linux_, &uki->initrd, &uki->ucode, &uki->cmdline,
			&uki->dtb,
		};
		static const char *const names[5] = {
			".linux", ".initrd", ".ucode", ".cmdline", ".dtb",
		};
		uint32_t vsize = le(h + 8, 4), raw = le(h + 16, 4);
		uint32_t offset = le(h + 20, 4);
		char name[9];
		int k;

		if (uki_named(h, ".profile")) {
			profile++;
			uki->profiles++;
			continue;
		}
		/* Profile @0 (the default) over the base; no other. */
		if (profile > 0)
			continue;
		for (k = 0; k < 5; k++)
			if (uki_named(h, names[k]))
				break;
		if (k == 5)
			continue;
		uki_name(h, name);
		if (from[k] == profile) {
			/* Several .dtb: the first is taken, as one must. */
			if (k == 4)
				continue;
			return pk_error("%s: UKI has two %s sections%s; the "
					"specification allows one", file->path,
					name, profile < 0 ? "" :
					" in profile @0");
		}
		if ((uint64_t)offset + raw > file->size)
			return pk_error("%s: UKI section %s (file offset 0x%x, "
					"0x%x bytes) runs past the end of the "
					"file at 0x%zx: truncated?", file->path,
					name, offset, raw, file->size);
		from[k] = profile;
		parts[k]->present = true;
		parts[k]->offset = offset;
		/* VirtualSize is the content's size; the rest of the raw
		 * data is the file alignment's padding.  A VirtualSize
		 * beyond the raw data is zeros in memory: not taken. */
		parts[k]->size = vsize && vsize < raw ? vsize : raw;
	}
	if (!uki->linux_.present) {
		char have[160] = "";
		size_t len = 0;

		for (uint64_t i = 0; i < count && len < sizeof(have) - 12; i++) {
			const uint8_t *h = d + table + i * SECTION_HEADER_SIZE;
			char name[9];

			if (!uki_section_of_spec(h))
				continue;
			uki_name(h, name);
			len += snprintf(have + len, sizeof(have) - len, "%s%s",
					len ? ", " : "", name);
		}
		return pk_error("%s: a UKI (PE sections %s) without a .linux "
				"section: there is no kernel to boot (a UKI "
				"add-on is applied to a UKI, not booted)",
				file->path, have);
	}
	if (!uki->linux_.size)
		return pk_error("%s: UKI section .linux is empty", file->path);
	return 1;
}
