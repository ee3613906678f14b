/* SPDX-License-Identifier: MIT */
/*
 * ppc64 segments the running kernel will not take: kexec_load refuses a
 * destination below the running kernel's end (/chosen/linux,kernel-end),
 * so a payload linked there (0x400000, or 0) is loaded ("staged")
 * somewhere kexec accepts, and the raw trampoline copies it home after
 * the SHA-256 check (pk_ppc64_place in the SDK).
 *
 * The rules that make that copy safe, checked here:
 *   - every staging copy, the trampoline (code, stack, the secondaries'
 *     hold) and every other segment lie above the highest final address,
 *     so nothing the copy needs is overwritten by it;
 *   - a final range is usable RAM below the real-mode limit and overlaps
 *     no other segment or the memory log;
 *   - at most PK_PPC64_PLACE_MAX segments, the table's size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <purgkit/arch/ppc64/lowmem.h>

#include "ppc64/ppc64.h"

#define HEX(x) ((unsigned long long)(x))

void pk_ppc64_fixed_open(struct pk_plan *plan, struct pk_ppc64_fixed *fixed)
{
	fixed->kernel_end = plan->memmap.kernel_end;
	fixed->first = plan->segment_count;
	/* Only here: the payload's segments are checked as kexec would
	 * check them if it took any address (usable RAM, no overlap). */
	plan->memmap.kernel_end = 0;
}

int pk_ppc64_fixed_stage(struct pk_plan *plan, struct pk_ppc64_fixed *fixed)
{
	uint64_t rma = pk_ppc64_rma_top(plan);
	size_t count = 0;

	plan->memmap.kernel_end = fixed->kernel_end;
	fixed->above = fixed->kernel_end;
	for (size_t i = fixed->first; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];

		if (s->dest >= fixed->kernel_end)
			continue;
		if (++count > PK_PPC64_PLACE_MAX)
			return pk_error("segment %zu (%s) at 0x%llx: more than "
					"%d segments below the running "
					"kernel's end 0x%llx (the trampoline's "
					"placement table holds %d)", i,
					s->what, HEX(s->dest),
					PK_PPC64_PLACE_MAX,
					HEX(fixed->kernel_end),
					PK_PPC64_PLACE_MAX);
		if (s->dest + s->memsz > fixed->above)
			fixed->above = s->dest + s->memsz;
	}
	/*
	 * Staging copies go above every final range, so no copy home can
	 * overwrite a staging copy not yet taken (the trampoline is placed
	 * above them too: pk_ppc64_fixed_min).
	 */
	for (size_t i = fixed->first; i < plan->segment_count; i++) {
		struct pk_segment *s = &plan->segments[i];
		uint64_t size = pk_page_up(plan, s->bufsz ? s->bufsz : 1);
		uint64_t at;

		if (s->dest >= fixed->kernel_end)
			continue;
		if (pk_plan_find_free(plan, size, 0, fixed->above, rma, true,
				      &at, NULL))
			return pk_error("segment %zu (%s) at 0x%llx is below "
					"the running kernel's end 0x%llx, and "
					"there is no room to stage its 0x%llx "
					"bytes between 0x%llx and the "
					"real-mode limit 0x%llx", i, s->what,
					HEX(s->dest), HEX(fixed->kernel_end),
					HEX(size), HEX(fixed->above),
					HEX(rma));
		s->staged = true;
		s->final_dest = s->dest;
		s->final_memsz = s->memsz;
		s->dest = at;
		s->memsz = size;
		pk_debug("segment %zu (%s): staged at 0x%llx for 0x%llx", i,
			 s->what, HEX(at), HEX(s->final_dest));
	}
	fixed->count = count;
	return pk_plan_check_segments(plan);
}

/*
 * The cache block sizes from the first cpu node of the device tree, when
 * there is one to read (--dtb, or the running machine's); else 0s, which
 * the trampoline takes as PK_PPC64_MIN_CACHE_BLOCK.
 */
static int pk_ppc64_cache_blocks(const struct pk_plan *plan,
				 uint32_t *dblock, uint32_t *iblock)
{
	const fdt32_t *d = NULL, *i = NULL;
	void *fdt;
	int node;

	*dblock = *iblock = 0;
	if (!plan->opts->dtb &&
	    strcmp(plan->memmap.source, PK_PPC64_PROC_DT))
		return 0;
	if (pk_ppc64_dt_read(plan, &fdt))
		return -1;
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "cpu",
					     sizeof("cpu"));
	if (node >= 0) {
		d = fdt_getprop(fdt, node, "d-cache-block-size", NULL);
		i = fdt_getprop(fdt, node, "i-cache-block-size", NULL);
	}
	if (d)
		*dblock = fdt32_to_cpu(*d);
	if (i)
		*iblock = fdt32_to_cpu(*i);
	free(fdt);
	if ((*dblock & (*dblock - 1)) || (*iblock & (*iblock - 1)))
		return pk_error("device tree: cpu cache block sizes %u and %u "
				"are not powers of two", *dblock, *iblock);
	return 0;
}

int pk_ppc64_fixed_patch(struct pk_plan *plan,
			 const struct pk_ppc64_fixed *fixed)
{
	uint8_t bytes[sizeof(struct pk_ppc64_place_table)] = { 0 };
	uint32_t dblock, iblock;
	size_t n = 0;

	if (!pk_plan_has_symbol(plan, PK_SYM_PPC64_PLACE_TABLE)) {
		if (!fixed->count)
			return 0;
		return pk_error("trampoline %s has no %s, so it cannot copy "
				"segments below the running kernel's end "
				"0x%llx to their addresses",
				plan->trampoline_name,
				PK_SYM_PPC64_PLACE_TABLE,
				HEX(fixed->kernel_end));
	}
	if (!fixed->count)
		return pk_plan_patch(plan, PK_SYM_PPC64_PLACE_TABLE, bytes,
				     sizeof(bytes));
	if (pk_ppc64_cache_blocks(plan, &dblock, &iblock))
		return -1;
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];
		uint8_t *e = bytes + offsetof(struct pk_ppc64_place_table,
					      entry[n]);

		if (!s->staged)
			continue;
		pk_put64(plan->arch, e + offsetof(struct pk_ppc64_place, src),
			 s->dest);
		pk_put64(plan->arch, e + offsetof(struct pk_ppc64_place, dest),
			 s->final_dest);
		pk_put64(plan->arch,
			 e + offsetof(struct pk_ppc64_place, filesz), s->bufsz);
		pk_put64(plan->arch,
			 e + offsetof(struct pk_ppc64_place, memsz),
			 s->final_memsz);
		n++;
	}
	pk_put32(plan->arch, bytes + offsetof(struct pk_ppc64_place_table,
					      count), n);
	pk_put32(plan->arch, bytes + offsetof(struct pk_ppc64_place_table,
					      dcache_block), dblock);
	pk_put32(plan->arch, bytes + offsetof(struct pk_ppc64_place_table,
					      icache_block), iblock);
	return pk_plan_patch(plan, PK_SYM_PPC64_PLACE_TABLE, bytes,
			     sizeof(bytes));
}

int pk_ppc64_fixed_check(struct pk_plan *plan)
{
	uint64_t rma = pk_ppc64_rma_top(plan);
	uint64_t memlog_end = plan->memlog_base + plan->memlog_size;

	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];
		uint64_t start = s->final_dest, end = start + s->final_memsz;

		if (!s->staged)
			continue;
		if (rma && end > rma)
			return pk_error("segment %zu (%s): its address "
					"0x%llx-0x%llx reaches above the "
					"real-mode limit 0x%llx", i, s->what,
					HEX(start), HEX(end - 1), HEX(rma));
		if (plan->memlog_base && start < memlog_end &&
		    plan->memlog_base < end)
			return pk_error("segment %zu (%s): its address "
					"0x%llx-0x%llx overlaps the memory log "
					"at 0x%llx-0x%llx, which the "
					"trampoline writes while it copies",
					i, s->what, HEX(start), HEX(end - 1),
					HEX(plan->memlog_base),
					HEX(memlog_end - 1));
		for (size_t j = 0; j < plan->segment_count; j++) {
			const struct pk_segment *o = &plan->segments[j];

			if (start < o->dest + o->memsz && o->dest < end)
				return pk_error("segment %zu (%s): its address "
						"0x%llx-0x%llx overlaps %s at "
						"0x%llx-0x%llx, which the copy "
						"there would overwrite", i,
						s->what, HEX(start),
						HEX(end - 1), o->what,
						HEX(o->dest),
						HEX(o->dest + o->memsz - 1));
		}
	}
	return 0;
}
