/* SPDX-License-Identifier: MIT */
/*
 * What the riscv64 runtime reads from the device tree kexec handed over
 * (a1 at entry): the time CSR's rate and the ISA extensions.  A plain walk
 * of the structure block (the devicetree specification, 5.4): /cpus and
 * its first cpu node, nothing else.
 */
#include <purgkit/arch/riscv64/cpu.h>
#include <purgkit/fdt.h>
#include <purgkit/string.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

/* Kept by entry.S from a0 and a1 (purgkit/arch/riscv64/cpu.h). */
uint64_t pk_riscv64_boot_hart;
uint64_t pk_riscv64_boot_fdt;

/* A property found: its value and length. */
struct prop {
	const char *value;
	uint32_t len;
};

/*
 * Find property name in /cpus (depth 1, node "cpus") when in_cpu is 0,
 * or in the first cpu node under it ("cpu@...") when 1.  0 if found.
 */
static int find_cpus_prop(const void *fdt, int in_cpu, const char *name,
			  struct prop *out)
{
	struct pk_fdt_header h;
	const uint8_t *base = fdt, *p, *end;
	const char *strings;
	int depth = 0, in_cpus = 0, cpu_seen = 0, in_first_cpu = 0;

	if (!fdt || pk_fdt_read_header(fdt, &h) || h.version < 16)
		return -1;
	p = base + h.off_dt_struct;
	end = base + h.totalsize;
	strings = (const char *)base + h.off_dt_strings;
	while (p + 4 <= end) {
		uint32_t token = pk_be32_to_cpu(*(const uint32_t *)p);

		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *node = (const char *)p;
			size_t n = strnlen(node, (size_t)(end - p));

			depth++;
			if (depth == 2 && !strcmp(node, "cpus"))
				in_cpus = 1;
			if (depth == 3 && in_cpus && !cpu_seen &&
			    !strncmp(node, "cpu@", 4)) {
				cpu_seen = 1;
				in_first_cpu = 1;
			}
			p += (n + 1 + 3) & ~(size_t)3;
		} else if (token == FDT_END_NODE) {
			if (depth == 3)
				in_first_cpu = 0;
			if (depth == 2)
				in_cpus = 0;
			depth--;
		} else if (token == FDT_PROP) {
			uint32_t len, nameoff;

			if (p + 8 > end)
				return -1;
			len = pk_be32_to_cpu(((const uint32_t *)p)[0]);
			nameoff = pk_be32_to_cpu(((const uint32_t *)p)[1]);
			p += 8;
			if (len > (size_t)(end - p))
				return -1;
			if (((!in_cpu && in_cpus && depth == 2) ||
			     (in_cpu && in_first_cpu && depth == 3)) &&
			    nameoff < h.size_dt_strings &&
			    !strcmp(strings + nameoff, name)) {
				out->value = (const char *)p;
				out->len = len;
				return 0;
			}
			p += (len + 3) & ~(uint32_t)3;
		} else if (token != FDT_NOP) {
			return -1;	/* FDT_END or garbage */
		}
	}
	return -1;
}

static const void *boot_fdt(void)
{
	return (const void *)(uintptr_t)pk_riscv64_boot_fdt;
}

uint64_t pk_riscv64_fdt_timebase_hz(void)
{
	struct prop prop;
	uint32_t cell;

	if (find_cpus_prop(boot_fdt(), 0, "timebase-frequency", &prop) &&
	    find_cpus_prop(boot_fdt(), 1, "timebase-frequency", &prop))
		return 0;
	if (prop.len != 4)
		return 0;
	memcpy(&cell, prop.value, 4);
	return pk_be32_to_cpu(cell);
}

/* Whether the extension name, lower case, is word of the ISA string: a
 * single letter among the base's, or a multi-letter one between '_'. */
int pk_riscv64_isa_string_lists(const char *isa, const char *extension)
{
	size_t want = strlen(extension);
	const char *p = isa;

	if (!strncmp(p, "rv64", 4) || !strncmp(p, "rv32", 4))
		p += 4;
	if (want == 1) {
		for (; *p && *p != '_'; p++)
			if (*p == extension[0])
				return 1;
		return 0;
	}
	while ((p = strchr(p, '_'))) {
		p++;
		if (!strncmp(p, extension, want) &&
		    (p[want] == 0 || p[want] == '_'))
			return 1;
	}
	return 0;
}

int pk_riscv64_has_extension(const char *extension)
{
	struct prop prop;
	uint32_t at = 0;

	if (!find_cpus_prop(boot_fdt(), 1, "riscv,isa-extensions", &prop)) {
		/* A string list: NUL-terminated names, one after another. */
		while (at < prop.len) {
			const char *name = prop.value + at;
			size_t n = strnlen(name, prop.len - at);

			if (!strcmp(name, extension))
				return 1;
			at += (uint32_t)n + 1;
		}
		return 0;
	}
	if (!find_cpus_prop(boot_fdt(), 1, "riscv,isa", &prop) && prop.len &&
	    prop.value[prop.len - 1] == 0)
		return pk_riscv64_isa_string_lists(prop.value, extension);
	return 0;
}
