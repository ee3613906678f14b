/* SPDX-License-Identifier: MIT */
/*
 * Segments: adding them, finding room for them, and the kexec_load rules
 * they must obey.  pk_plan_check_segments is the one place that knows
 * those rules; everything else only asks it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "plan.h"

uint64_t pk_page_down(const struct pk_plan *plan, uint64_t value)
{
	return value & ~(plan->page_size - 1);
}

uint64_t pk_page_up(const struct pk_plan *plan, uint64_t value)
{
	if (value > UINT64_MAX - (plan->page_size - 1))
		return UINT64_MAX & ~(plan->page_size - 1);
	return pk_page_down(plan, value + plan->page_size - 1);
}

bool pk_plan_range_usable(const struct pk_plan *plan, uint64_t start,
			  uint64_t end)
{
	const struct pk_memmap *map = &plan->memmap;

	if (end <= start || start < map->kernel_end)
		return false;
	/* Ranges are sorted; adjacent RAM ranges count as one. */
	for (size_t i = 0; i < map->count && start < end; i++) {
		const struct pk_mem_range *r = &map->ranges[i];

		if (r->type != PK_MEM_RAM || r->end <= start)
			continue;
		if (r->start > start)
			return false;
		start = r->end;
	}
	return start >= end;
}

static const struct pk_segment *pk_plan_overlap(const struct pk_plan *plan,
						uint64_t start, uint64_t end,
						const struct pk_segment *skip)
{
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];

		if (s != skip && start < s->dest + s->memsz && s->dest < end)
			return s;
	}
	return NULL;
}

int pk_plan_check_segments(const struct pk_plan *plan)
{
	uint64_t page = plan->page_size;

	if (plan->segment_count > PK_KEXEC_MAX_SEGMENTS)
		return pk_error("too many segments: %zu (kexec_load takes at "
				"most %d)", plan->segment_count,
				PK_KEXEC_MAX_SEGMENTS);
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];
		const struct pk_segment *other;

		if (s->dest % page || s->memsz % page || s->memsz == 0)
			return pk_error("segment %zu (%s): destination 0x%llx "
					"or size 0x%llx is not a multiple of "
					"the %llu-byte page", i, s->what,
					HEX(s->dest), HEX(s->memsz),
					HEX(page));
		if (s->bufsz > s->memsz)
			return pk_error("segment %zu (%s): 0x%llx bytes do not "
					"fit its 0x%llx-byte destination", i,
					s->what, HEX(s->bufsz), HEX(s->memsz));
		if (s->dest + s->memsz < s->dest)
			return pk_error("segment %zu (%s): wraps around the "
					"address space", i, s->what);
		if (s->dest < plan->memmap.kernel_end)
			return pk_error("segment %zu (%s) at 0x%llx is below "
					"the running kernel's end 0x%llx", i,
					s->what, HEX(s->dest),
					HEX(plan->memmap.kernel_end));
		if (!pk_plan_range_usable(plan, s->dest, s->dest + s->memsz))
			return pk_error("segment %zu (%s) at 0x%llx-0x%llx is "
					"not in usable RAM (memory map: %s)",
					i, s->what, HEX(s->dest),
					HEX(s->dest + s->memsz - 1),
					plan->memmap.source);
		other = pk_plan_overlap(plan, s->dest, s->dest + s->memsz, s);
		if (other)
			return pk_error("segment %zu (%s) at 0x%llx-0x%llx "
					"overlaps %s at 0x%llx-0x%llx", i,
					s->what, HEX(s->dest),
					HEX(s->dest + s->memsz - 1),
					other->what, HEX(other->dest),
					HEX(other->dest + other->memsz - 1));
	}
	return 0;
}

struct pk_segment *pk_plan_add_segment(struct pk_plan *plan, void *buf,
				       uint64_t bufsz, uint64_t dest,
				       uint64_t memsz, const char *what, ...)
{
	struct pk_segment *s;
	char name[sizeof(s->what)];
	va_list ap;

	va_start(ap, what);
	vsnprintf(name, sizeof(name), what, ap);
	va_end(ap);
	if (memsz < bufsz)
		memsz = bufsz;
	if (plan->segment_count == PK_KEXEC_MAX_SEGMENTS) {
		free(buf);
		pk_error("too many segments: %s would be segment %d, and "
			 "kexec_load takes at most %d", name,
			 PK_KEXEC_MAX_SEGMENTS + 1, PK_KEXEC_MAX_SEGMENTS);
		return NULL;
	}
	s = &plan->segments[plan->segment_count++];
	*s = (struct pk_segment){
		.buf = bufsz ? buf : NULL,
		.bufsz = bufsz,
		.dest = dest,
		.memsz = pk_page_up(plan, memsz),
		.verify = true,
	};
	if (!bufsz)
		free(buf);
	snprintf(s->what, sizeof(s->what), "%s", name);
	pk_debug("segment %zu: %s at 0x%llx, 0x%llx bytes of 0x%llx",
		 plan->segment_count - 1, s->what, HEX(s->dest),
		 HEX(s->bufsz), HEX(s->memsz));
	/* Check this one now, so the message names the culprit. */
	if (pk_plan_check_segments(plan)) {
		free(s->buf);
		plan->segment_count--;
		return NULL;
	}
	return s;
}

struct pk_segment *pk_plan_add_data(struct pk_plan *plan, const void *data,
				    uint64_t size, uint64_t address,
				    uint64_t memsz, const char *what, ...)
{
	uint64_t dest = pk_page_down(plan, address);
	uint64_t front = address - dest;
	char name[128];
	uint8_t *buf;
	va_list ap;

	va_start(ap, what);
	vsnprintf(name, sizeof(name), what, ap);
	va_end(ap);
	if (memsz < size)
		memsz = size;
	if (address + memsz < address) {
		pk_error("%s at 0x%llx: wraps around the address space", name,
			 HEX(address));
		return NULL;
	}
	buf = pk_xzalloc(front + size);
	if (size)
		memcpy(buf + front, data, size);
	return pk_plan_add_segment(plan, buf, size ? front + size : 0, dest,
				   front + memsz, "%s", name);
}

int pk_plan_find_free(const struct pk_plan *plan, uint64_t size,
		      uint64_t align, uint64_t min, uint64_t max,
		      bool top_down, uint64_t *address, const char *what)
{
	const struct pk_memmap *map = &plan->memmap;
	bool found = false;
	uint64_t best = 0;

	if (align < plan->page_size)
		align = plan->page_size;
	size = pk_page_up(plan, size);
	if (min < map->kernel_end)
		min = map->kernel_end;
	if (max == 0)
		max = UINT64_MAX;
	/*
	 * Candidates are the starts of free stretches (RAM starts and segment
	 * ends) going up, and their ends (RAM ends and segment starts) going
	 * down; one of them is always the best fit.
	 */
	for (size_t i = 0; i < map->count; i++) {
		const struct pk_mem_range *r = &map->ranges[i];

		for (size_t j = 0; j <= plan->segment_count; j++) {
			uint64_t lo = r->start, hi = r->end, at;
			const struct pk_segment *s =
				j < plan->segment_count ? &plan->segments[j] :
							  NULL;

			if (r->type != PK_MEM_RAM)
				break;
			if (s && top_down)
				hi = s->dest;
			else if (s)
				lo = s->dest + s->memsz;
			if (lo < min)
				lo = min;
			if (hi > max)
				hi = max;
			if (hi > r->end)
				hi = r->end;
			if (lo < r->start)
				lo = r->start;
			if (hi <= lo || hi - lo < size)
				continue;
			if (top_down) {
				at = (hi - size) & ~(align - 1);
				if (at < lo)
					continue;
			} else {
				at = (lo + align - 1) & ~(align - 1);
				if (at < lo || at > hi - size)
					continue;
			}
			if (!pk_plan_range_usable(plan, at, at + size) ||
			    pk_plan_overlap(plan, at, at + size, NULL))
				continue;
			if (!found || (top_down ? at > best : at < best))
				best = at;
			found = true;
		}
	}
	if (!found && !what)
		return -1;
	if (!found && plan->crash)
		return pk_error("no room for %s: 0x%llx bytes aligned to 0x%llx "
				"do not fit in the %s beside the other "
				"segments (a larger crashkernel= makes room)",
				what, HEX(size), HEX(align),
				plan->memmap.source);
	if (!found)
		return pk_error("no room for %s: 0x%llx bytes aligned to 0x%llx "
				"in usable RAM between 0x%llx and 0x%llx, "
				"outside the other segments", what, HEX(size),
				HEX(align), HEX(min), HEX(max));
	pk_debug("placing %s (0x%llx bytes) at 0x%llx: %s free fit in "
		 "0x%llx-0x%llx", what ? what : "a segment", HEX(size),
		 HEX(best), top_down ? "highest" : "lowest", HEX(min), HEX(max));
	*address = best;
	return 0;
}

struct pk_segment *pk_plan_alloc_segment(struct pk_plan *plan, void *buf,
					 uint64_t bufsz, uint64_t memsz,
					 uint64_t align, uint64_t min,
					 uint64_t max, bool top_down,
					 const char *what)
{
	uint64_t dest;

	if (memsz < bufsz)
		memsz = bufsz;
	if (pk_plan_find_free(plan, memsz, align, min, max, top_down, &dest,
			      what)) {
		free(buf);
		return NULL;
	}
	return pk_plan_add_segment(plan, buf, bufsz, dest, memsz, "%s", what);
}

/*
 * Hash what was loaded: a segment's bytes, not the zeros that fill it up to
 * memsz.  The kernel zero-fills that tail itself when it copies the
 * segments into place, and kexec-tools and the kernel's own kexec_file
 * purgatory hash the loaded bytes too; hashing a bzImage's init_size tail
 * would cost eight times what its data costs.  (docs/loader.md, "Verification")
 */
static int pk_segment_digest_update(EVP_MD_CTX *ctx,
				    const struct pk_segment *segment)
{
	return !segment->bufsz ||
	       EVP_DigestUpdate(ctx, segment->buf, segment->bufsz);
}

int pk_segment_sha256(const struct pk_segment *segment, uint8_t digest[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     pk_segment_digest_update(ctx, segment) &&
	     EVP_DigestFinal_ex(ctx, digest, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : pk_error("SHA-256 failed in libcrypto");
}

int pk_plan_digest(struct pk_plan *plan)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);

	for (size_t i = 0; ok && i < plan->segment_count; i++)
		if (plan->segments[i].verify)
			ok = pk_segment_digest_update(ctx, &plan->segments[i]);
	ok = ok && EVP_DigestFinal_ex(ctx, plan->digest, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : pk_error("SHA-256 failed in libcrypto");
}
