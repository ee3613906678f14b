/* SPDX-License-Identifier: MIT */
/*
 * Placing segments at their own addresses (purgkit/arch/ppc64/cpu.h,
 * pk_ppc64_place): the copy the running kernel would not do, because it
 * takes no kexec destination below its own end.
 */
#include <purgkit/arch/ppc64/cpu.h>
#include <purgkit/console.h>
#include <purgkit/runtime.h>
#include <purgkit/string.h>

/*
 * How long to let the secondaries leave the low copy when the loader did
 * not know how many there are (no device tree): a guess, not a promise.
 */
#define LOW_COPY_SETTLE_LOOPS 0x1000000

/*
 * An address as a pointer the compiler cannot reason about: a
 * destination may be physical 0, which C would call a null pointer.
 */
static void *physical(uint64_t address)
{
	uintptr_t p = (uintptr_t)address;

	__asm__("" : "+r"(p));
	return (void *)p;
}

static uint64_t timebase(void)
{
	uint64_t tb;

	__asm__ volatile("mftb %0" : "=r"(tb));
	return tb;
}

/*
 * The secondaries were sent to 0x60 when the primary was sent to the
 * entry, and each needs about fifteen instructions there before it
 * counts itself in the hold, in this image.  A virtual CPU may still be
 * far slower (TCG on a busy host), so wait for all of them before
 * anything is written over the low copy.
 */
static void wait_for_low_copy(const struct pk_ppc64_place_table *table)
{
	uint64_t start = timebase();
	uint32_t want = table->secondaries;

	if (!want) {
		pk_ppc64_delay(LOW_COPY_SETTLE_LOOPS);
		return;
	}
	while (pk_ppc64_secondaries_arrived() < want &&
	       timebase() - start < table->wait_ticks)
		pk_ppc64_smt_low();
	pk_ppc64_smt_medium();
	if (pk_ppc64_secondaries_arrived() < want)
		pk_printf("purgkit: place: only %u of %u secondaries left the "
			  "low copy in time; overwriting it anyway\n",
			  (unsigned)pk_ppc64_secondaries_arrived(),
			  (unsigned)want);
	else
		pk_printf("purgkit: place: all %u secondaries left the low "
			  "copy\n", (unsigned)want);
}

static uint64_t block_size(uint32_t given)
{
	return given >= PK_PPC64_MIN_CACHE_BLOCK ? given :
						   PK_PPC64_MIN_CACHE_BLOCK;
}

/* Written as data, about to run as code: push the data cache's blocks
 * to memory, then drop the instruction cache's stale copies. */
static void sync_caches(uint64_t start, uint64_t len, uint64_t dblock,
			uint64_t iblock)
{
	uint64_t end = start + len, p;

	for (p = start & ~(dblock - 1); p < end; p += dblock)
		__asm__ volatile("dcbst 0, %0" : : "r"(physical(p)) : "memory");
	__asm__ volatile("sync" : : : "memory");
	for (p = start & ~(iblock - 1); p < end; p += iblock)
		__asm__ volatile("icbi 0, %0" : : "r"(physical(p)) : "memory");
	__asm__ volatile("sync; isync" : : : "memory");
}

void pk_ppc64_place(const struct pk_ppc64_place_table *table)
{
	uint64_t dblock = block_size(table->dcache_block);
	uint64_t iblock = block_size(table->icache_block);
	uint32_t count = table->count;

	if (count > PK_PPC64_PLACE_MAX)
		pk_panic("place: %u segments, the table holds %u",
			 (unsigned)count, (unsigned)PK_PPC64_PLACE_MAX);
	for (uint32_t i = 0; i < count; i++) {
		if (table->entry[i].dest < PK_PPC64_LOW_SIZE) {
			wait_for_low_copy(table);
			break;
		}
	}
	for (uint32_t i = 0; i < count; i++) {
		const struct pk_ppc64_place *e = &table->entry[i];

		pk_printf("purgkit: place: 0x%llx-0x%llx from 0x%llx "
			  "(0x%llx bytes, the rest zeroed)\n",
			  (unsigned long long)e->dest,
			  (unsigned long long)(e->dest + e->memsz - 1),
			  (unsigned long long)e->src,
			  (unsigned long long)e->filesz);
		memcpy(physical(e->dest), physical(e->src), e->filesz);
		memset(physical(e->dest + e->filesz), 0,
		       e->memsz - e->filesz);
		sync_caches(e->dest, e->memsz, dblock, iblock);
	}
}
