/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for libpurgkit-reloc: any bytes as an object, placed
 * at a base taken from the input, then the queries a loader makes.  The
 * relocator must refuse or succeed; it must never crash or read or write
 * out of bounds (ASan, UBSan).  A placed image is also written by both
 * writers (bin and ELF) into a memory file.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <purgkit/reloc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t bases[] = {
		0, 0x100000, 0x7ff00000, 0x123450000, 0xffff800000000000ull,
	};
	struct pk_reloc_symbol sym;
	struct pk_reloc_section sec;
	static int out = -1;
	struct pk_reloc *r;
	char err[512];
	uint64_t entry, base;
	size_t i;

	r = pk_reloc_open(data, size, "fuzz", err, sizeof(err));
	if (!r)
		return 0;
	base = bases[size % 5] & ~(pk_reloc_align(r) - 1);
	if (pk_reloc_place(r, base) == 0) {
		const uint8_t *img = pk_reloc_image(r);
		volatile uint8_t sum = 0;
		uint64_t k;

		for (k = 0; k < pk_reloc_size(r); k += 61)
			sum += img[k];
		pk_reloc_entry(r, &entry);
		for (i = 0; pk_reloc_section_at(r, i, &sec) == 0; i++)
			;
		for (i = 0; pk_reloc_patchable_at(r, i, &sym) == 0; i++)
			pk_reloc_set_int(r, sym.name, 0x5a);
		pk_reloc_set_int(r, "pk_entry", 1);
		/* Both writers, into memory (a regular file to them). */
		if (out < 0)
			out = memfd_create("pk-fuzz-out", 0);
		if (out >= 0 && pk_reloc_size(r) <= (1u << 20)) {
			ftruncate(out, 0);
			lseek(out, 0, SEEK_SET);
			pk_reloc_write_bin(r, out);
			ftruncate(out, 0);
			lseek(out, 0, SEEK_SET);
			pk_reloc_write_elf(r, out);
		}
	}
	pk_reloc_close(r);
	return 0;
}
