/* SPDX-License-Identifier: MIT */
/*
 * Caches on while the runtime works (docs/contract-aarch64.md, section
 * 2).  kexec enters with the MMU and caches off, so every load of the
 * SHA-256 goes to memory; here the runtime maps, one to one, what it
 * touches (its own image, the regions it verifies, the memory log: Normal
 * write-back memory; the UART: Device memory) with 2 MiB blocks of a 4 KiB
 * granule, 48-bit table, and turns the MMU and both caches on at the level
 * kexec entered at (the EL1 format of TCR and the *_EL1 names at EL1 and
 * at EL2 with VHE, where they reach the EL2 registers; the EL2 format
 * without VHE).  Anything else is unmapped: a stray access faults into
 * the vector dump.  The hand-off (pk_aarch64_jump) cleans and invalidates
 * to the point of coherency everything mapped, then turns the MMU and
 * caches off again, so the payload finds them as kexec left them.
 */
#include <purgkit/console.h>
#include <purgkit/cpu.h>
#include <purgkit/handoff.h>
#include <purgkit/patch.h>
#include <purgkit/runtime.h>

#define PAGE		4096u
#define ENTRIES		512u
#define BLOCK		(UINT64_C(2) << 20)
#define L2_TABLES	8u	/* 8 distinct GiB of memory: plenty for a load */
#define L1_TABLES	2u	/* 2 distinct 512 GiB */
#define VA_BITS		48

#define DESC_TABLE	UINT64_C(0x3)
#define DESC_BLOCK	UINT64_C(0x1)
#define ATTR_DEVICE	(UINT64_C(0) << 2)	/* MAIR attr 0: Device-nGnRnE */
#define ATTR_NORMAL	(UINT64_C(1) << 2)	/* MAIR attr 1: Normal WB */
#define AP_EL2_RES1	(UINT64_C(1) << 6)	/* AP[1]: RES1 in EL2's regime */
#define SH_INNER	(UINT64_C(3) << 8)
#define AF		(UINT64_C(1) << 10)
#define PXN		(UINT64_C(1) << 53)
#define UXN_XN		(UINT64_C(1) << 54)
#define MAIR_VALUE	UINT64_C(0xff00)	/* attr 1 Normal WB RA WA, 0 Device */

struct page_table {
	uint64_t entry[ENTRIES];
} __attribute__((aligned(PAGE)));

static struct page_table level0, level1[L1_TABLES], level2[L2_TABLES];
static unsigned int level1_used, level2_used;
/* What the hand-off must clean and turn off (0: caches never went on). */
int pk_aarch64_caches_on;
static uint64_t mapped_bytes;

/* Regime: EL1 format at EL1 and at EL2 with VHE; EL2 format without. */
static int el2_format(void)
{
	return pk_aarch64_entry_el == 2 && !pk_aarch64_vhe();
}

/* The next-level table at entry, made if missing; NULL if out of tables. */
static struct page_table *next_table(uint64_t *entry, struct page_table *pool,
				     unsigned int *used, unsigned int count)
{
	struct page_table *t;

	if (*entry & 1)
		return (struct page_table *)(uintptr_t)(*entry & ~UINT64_C(0xfff));
	if (*used == count)
		return NULL;
	t = &pool[(*used)++];
	*entry = (uint64_t)(uintptr_t)t | DESC_TABLE;
	return t;
}

/* Map [start, end) one to one, rounded out to 2 MiB blocks. */
static int map_range(uint64_t start, uint64_t end, int device)
{
	uint64_t attr = AF | (device ? ATTR_DEVICE | UXN_XN | PXN :
				     ATTR_NORMAL | SH_INNER);
	uint64_t at;

	if (el2_format()) {
		attr |= AP_EL2_RES1;
		attr &= ~PXN;		/* RES0 in EL2's regime */
	}
	if (end <= start)
		return 0;
	if (end > (UINT64_C(1) << VA_BITS))
		return -1;
	for (at = start & ~(BLOCK - 1); at < end; at += BLOCK) {
		struct page_table *l1, *l2;
		uint64_t *block;

		l1 = next_table(&level0.entry[(at >> 39) & 511], level1,
				&level1_used, L1_TABLES);
		l2 = l1 ? next_table(&l1->entry[(at >> 30) & 511], level2,
				     &level2_used, L2_TABLES) : NULL;
		if (!l2)
			return -1;
		block = &l2->entry[(at >> 21) & 511];
		if (!*block)
			mapped_bytes += BLOCK;
		else if ((*block & (UINT64_C(7) << 2)) != (attr & (UINT64_C(7) << 2)))
			return -1;	/* Device and Normal in one block */
		*block = at | attr | DESC_BLOCK;
	}
	return 0;
}

/* The largest physical address size the CPU has, as TCR's IPS/PS field,
 * at most 48 bits (a 4 KiB granule without LPA2). */
static uint64_t pa_size_field(void)
{
	uint64_t mmfr0;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	mmfr0 &= 0xf;
	return mmfr0 > 5 ? 5 : mmfr0;
}

void pk_aarch64_mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair,
			   int el2);

/*
 * Build the map and turn the MMU and caches on.  Called by pk_entry
 * before pk_runtime_main, with the MMU off and no console yet; on any
 * failure it leaves them off (pk_aarch64_caches_on stays 0) and the
 * runtime works uncached, as kexec-tools' purgatory does.
 */
void pk_aarch64_caches_init(void)
{
	uint64_t tcr;
	int fail = 0;

	fail |= map_range((uint64_t)(uintptr_t)pk_image_start,
			  (uint64_t)(uintptr_t)pk_image_end, 0);
	for (unsigned int i = 0; i < PK_MAX_REGIONS && !fail; i++)
		if (pk_verify_regions[i].size)
			fail |= map_range(pk_verify_regions[i].start,
					  pk_verify_regions[i].start +
					  pk_verify_regions[i].size, 0);
	if ((pk_console_mask & PK_CONSOLE_MEMLOG) && pk_memlog_base)
		fail |= map_range(pk_memlog_base,
				  pk_memlog_base + pk_memlog_size, 0);
	if (pk_uart_base &&
	    (pk_console_mask & (PK_CONSOLE_PL011 | PK_CONSOLE_UART8250)))
		fail |= map_range(pk_uart_base, pk_uart_base + PAGE, 1);
	if (fail)
		return;
	/* The tables were written uncached: no stale line may shadow them
	 * for the walker, which reads them cacheable. */
	pk_aarch64_dcache_clean_invalidate_poc(&level0, sizeof(level0));
	pk_aarch64_dcache_clean_invalidate_poc(level1, sizeof(level1));
	pk_aarch64_dcache_clean_invalidate_poc(level2, sizeof(level2));
	/*
	 * T0SZ 16 (48-bit), walks Normal write-back inner shareable, 4 KiB
	 * granule; EL1 format: IPS at 32, no TTBR1 walks (EPD1); EL2 format:
	 * PS at 16, RES1 bits 31 and 23.
	 */
	tcr = (64 - VA_BITS) | (UINT64_C(1) << 8) | (UINT64_C(1) << 10) |
	      (UINT64_C(3) << 12);
	if (el2_format())
		tcr |= (pa_size_field() << 16) | (UINT64_C(1) << 31) |
		       (UINT64_C(1) << 23);
	else
		tcr |= (pa_size_field() << 32) | (UINT64_C(1) << 23);
	pk_aarch64_mmu_enable((uint64_t)(uintptr_t)&level0, tcr, MAIR_VALUE,
			      el2_format());
	pk_aarch64_caches_on = 1;
}

/* "caches on (N MiB mapped)" or why not, for the trampolines' reports. */
const char *pk_aarch64_cache_mode(void)
{
	static char text[48];

	if (!pk_aarch64_caches_on)
		return "caches off";
	pk_snprintf(text, sizeof(text), "caches on, %llu MiB mapped",
		    (unsigned long long)(mapped_bytes >> 20));
	return text;
}

void pk_aarch64_leave(const struct pk_aarch64_regs *regs, int caches_on)
	__attribute__((noreturn));

/*
 * The hand-off's first half: clean and invalidate to the PoC what the
 * runtime read or wrote through the caches besides its own image (which
 * pk_aarch64_leave cleans last, once nothing more is written to it):
 * the verified regions, whose lines must not outlive the MMU, and the
 * memory log.  Nothing writes to these after this.
 */
void pk_aarch64_jump(const struct pk_aarch64_regs *regs)
{
	if (pk_aarch64_caches_on) {
		for (unsigned int i = 0; i < PK_MAX_REGIONS; i++)
			if (pk_verify_regions[i].size)
				pk_aarch64_dcache_clean_invalidate_poc(
					(const void *)(uintptr_t)
						pk_verify_regions[i].start,
					pk_verify_regions[i].size);
		if ((pk_console_mask & PK_CONSOLE_MEMLOG) && pk_memlog_base)
			pk_aarch64_dcache_clean_invalidate_poc(
				(const void *)(uintptr_t)pk_memlog_base,
				pk_memlog_size);
	}
	pk_aarch64_leave(regs, pk_aarch64_caches_on);
}
