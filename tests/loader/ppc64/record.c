/* SPDX-License-Identifier: MIT */
/*
 * Record a ppc64 machine for the loader's dry-run tests: run inside the
 * guest (as purgkit-run's --loader), it prints, prefixed "PKREC ", the
 * memory map as purgkit-load reads it from /proc/device-tree (RAM from
 * the memory nodes, reserved ranges, RTAS, linux,kernel-end, the
 * real-mode limit) and /sys/firmware/fdt in hex.  record.py turns the
 * console log into NAME.memmap and NAME.dtb.
 *   powerpc64le-linux-gnu-gcc -static -O2 -o record record.c
 */
#include <dirent.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n;

	*size = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*size == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
		}
		n = fread(buf + *size, 1, cap - *size, f);
		if (!n)
			break;
		*size += n;
	}
	fclose(f);
	return buf;
}

static uint64_t be(const unsigned char *p, size_t cells)
{
	uint64_t v = 0;

	for (size_t i = 0; i < cells * 4; i++)
		v = v << 8 | p[i];
	return v;
}

static int prop_u64(const char *path, uint64_t *v)
{
	size_t size;
	unsigned char *p = slurp(path, &size);
	int ok = p && (size == 4 || size == 8);

	if (ok)
		*v = be(p, size / 4);
	free(p);
	return ok;
}

int main(void)
{
	uint64_t ac = 2, sc = 2, v, base, len, rma = 0;
	unsigned char *p;
	size_t size;
	glob_t g;

	setvbuf(stdout, NULL, _IOLBF, 0);
	prop_u64("/proc/device-tree/#address-cells", &ac);
	prop_u64("/proc/device-tree/#size-cells", &sc);
	printf("PKREC memmap arch ppc64le\n");
	printf("PKREC memmap page-size 65536\n");
	if (prop_u64("/proc/device-tree/chosen/linux,kernel-end", &v))
		printf("PKREC memmap kernel-end 0x%llx\n",
		       (unsigned long long)v);
	if (glob("/proc/device-tree/memory@*", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char path[512];
			size_t entry = (ac + sc) * 4;

			snprintf(path, sizeof(path), "%s/reg", g.gl_pathv[i]);
			p = slurp(path, &size);
			for (size_t off = 0; p && off + entry <= size;
			     off += entry) {
				base = be(p + off, ac);
				len = be(p + off + ac * 4, sc);
				if (base == 0)
					rma = len;
				printf("PKREC memmap 0x%llx 0x%llx System RAM\n",
				       (unsigned long long)base,
				       (unsigned long long)(base + len - 1));
			}
			free(p);
		}
		globfree(&g);
	}
	if (rma)
		printf("PKREC memmap real-mode-limit 0x%llx\n",
		       (unsigned long long)rma);
	if (prop_u64("/proc/device-tree/rtas/linux,rtas-base", &base) &&
	    prop_u64("/proc/device-tree/rtas/rtas-size", &len))
		printf("PKREC rtas 0x%llx 0x%llx\n", (unsigned long long)base,
		       (unsigned long long)len);
	p = slurp("/sys/firmware/fdt", &size);
	for (size_t off = 0; p && off < size; off += 64) {
		printf("PKREC fdt ");
		for (size_t i = off; i < off + 64 && i < size; i++)
			printf("%02x", p[i]);
		printf("\n");
	}
	free(p);
	printf("PKREC end\n");
	return 0;
}
