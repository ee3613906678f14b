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
 * How long the trampoline waits for the secondaries to leave the low
 * copy before it writes over it: the old kernel's own wait for them to
 * stop is of this order, and a CPU that does not come in that time is
 * not coming.
 */
#define PK_PPC64_LOW_WAIT_SECONDS 30
/* The timebase of every POWER server CPU, when the tree does not say. */
#define PK_PPC64_TIMEBASE_HZ 512000000ull

/* What the copy needs to know about the CPUs, from the device tree. */
struct pk_ppc64_cpus {
	uint32_t dcache_block, icache_block;	/* 0: not known */
	uint32_t threads;			/* 0: not known */
	uint64_t timebase_hz;
};

static uint32_t pk_dt_u32(const void *fdt, int node, const char *name)
{
	int len = 0;
	const void *v = fdt_getprop(fdt, node, name, &len);

	/* 4-byte cells, read without assuming the blob's alignment. */
	return v && len == 4 ? fdt32_ld(v) : 0;
}

/*
 * From the cpu nodes of the device tree, when there is one to read
 * (--dtb, or the running machine's); else all 0s, which the trampoline
 * takes as "the smallest cache block" and "wait a fixed while".  Every
 * hardware thread of every cpu node (ibm,ppc-interrupt-server#s) is a
 * CPU kexec sends to 0x60 or to the entry.
 */
static int pk_ppc64_read_cpus(const struct pk_plan *plan,
			      struct pk_ppc64_cpus *cpus)
{
	void *fdt;
	int node, len;

	memset(cpus, 0, sizeof(*cpus));
	cpus->timebase_hz = PK_PPC64_TIMEBASE_HZ;
	if (!pk_plan_gives_dtb(plan) &&
	    strcmp(plan->memmap.source, PK_PPC64_PROC_DT))
		return 0;
	if (pk_ppc64_dt_read(plan, &fdt))
		return -1;
	if (pk_ppc64_dt_timebase_hz(fdt))
		cpus->timebase_hz = pk_ppc64_dt_timebase_hz(fdt);
	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						  "cpu", sizeof("cpu"));
	     node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type",
						  "cpu", sizeof("cpu"))) {
		if (!cpus->threads) {
			cpus->dcache_block = pk_dt_u32(fdt, node,
						       "d-cache-block-size");
			cpus->icache_block = pk_dt_u32(fdt, node,
						       "i-cache-block-size");
		}
		if (fdt_getprop(fdt, node, "ibm,ppc-interrupt-server#s",
				&len) && len >= 4)
			cpus->threads += len / 4;
		else
			cpus->threads++;
	}
	free(fdt);
	if ((cpus->dcache_block & (cpus->dcache_block - 1)) ||
	    (cpus->icache_block & (cpus->icache_block - 1)))
		return pk_error("device tree: cpu cache block sizes %u and %u "
				"are not powers of two", cpus->dcache_block,
				cpus->icache_block);
	return 0;
}

int pk_ppc64_fixed_patch(struct pk_plan *plan,
			 const struct pk_ppc64_fixed *fixed)
{
	struct pk_ppc64_place_table table = { 0 };	/* target byte order */
	uint8_t *bytes = (uint8_t *)&table;
	struct pk_ppc64_cpus cpus;
	size_t n = 0;

	if (!pk_plan_has_symbol(plan, PK_SYMBOL(pk_ppc64_place_table))) {
		if (!fixed->count)
			return 0;
		return pk_error("trampoline %s has no %s, so it cannot copy "
				"segments below the running kernel's end "
				"0x%llx to their addresses",
				plan->trampoline_name,
				PK_SYMBOL(pk_ppc64_place_table),
				HEX(fixed->kernel_end));
	}
	if (!fixed->count)
		return PK_PLAN_PATCH(plan, pk_ppc64_place_table, &table);
	if (pk_ppc64_read_cpus(plan, &cpus))
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
					      dcache_block), cpus.dcache_block);
	pk_put32(plan->arch, bytes + offsetof(struct pk_ppc64_place_table,
					      icache_block), cpus.icache_block);
	pk_put32(plan->arch, bytes + offsetof(struct pk_ppc64_place_table,
					      secondaries),
		 cpus.threads ? cpus.threads - 1 : 0);
	pk_put64(plan->arch, bytes + offsetof(struct pk_ppc64_place_table,
					      wait_ticks),
		 cpus.threads ? cpus.timebase_hz * PK_PPC64_LOW_WAIT_SECONDS :
				0);
	return PK_PLAN_PATCH(plan, pk_ppc64_place_table, &table);
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
