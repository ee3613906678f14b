/* SPDX-License-Identifier: MIT */
/*
 * Identity-mapping device memory uncached in the live page tables
 * (purgkit/arch/x86_64/paging.h).  Levels are numbered from the 4 KiB
 * page: 1 = page table, 2 = page directory (2 MiB pages), 3 = PDPT (1 GiB
 * pages), 4 = PML4, 5 = PML5.  Tables are reached by their physical
 * address, which the identity map makes a pointer.
 */
#include <purgkit/arch/x86_64/cpu.h>
#include <purgkit/arch/x86_64/paging.h>
#include <purgkit/string.h>

#define PAGE_4K 4096ull
#define PAGE_2M (1ull << 21)
#define UNCACHED (PK_X86_PTE_PCD | PK_X86_PTE_PWT)

static uint64_t *table_at(uint64_t entry_or_root)
{
	return (uint64_t *)(uintptr_t)(entry_or_root & PK_X86_PTE_ADDR);
}

static uint64_t level_size(int level)
{
	return 1ull << (12 + 9 * (level - 1));
}

/*
 * Replace the large page *entry (level 2 or 3) by a table of 512 pages of
 * the next size down with the same addresses and attributes.
 */
static int split(const struct pk_x86_64_paging *paging, uint64_t *entry,
		 int level)
{
	uint64_t *child = paging->alloc(paging->ctx);
	uint64_t page = level_size(level), step = page >> 9;
	uint64_t start = *entry & PK_X86_PTE_ADDR & ~(page - 1);
	uint64_t pat = *entry & PK_X86_PTE_PAT_LARGE;
	/* Everything but the address, PS and the large page's PAT bit. */
	uint64_t attrs = *entry & ~PK_X86_PTE_ADDR & ~PK_X86_PTE_PS;

	if (!child)
		return -1;
	for (int i = 0; i < 512; i++)
		child[i] = (start + (uint64_t)i * step) | attrs |
			   (level - 1 >= 2 ? PK_X86_PTE_PS | pat :
			    pat ? PK_X86_PTE_PAT_4K : 0);
	/* Complete before it is linked: this code may run from that page. */
	__asm__ volatile("" ::: "memory");
	*entry = (uint64_t)(uintptr_t)child | PK_X86_PTE_P | PK_X86_PTE_RW |
		 (*entry & (1ull << 2));	/* U/S as it was */
	return 0;
}

int pk_x86_64_map_uncached(const struct pk_x86_64_paging *paging,
			   uint64_t base, uint64_t size)
{
	/* The lower canonical half: virtual = physical must hold. */
	uint64_t limit = 1ull << (9 * paging->levels + 11);
	uint64_t addr = base & ~(PAGE_4K - 1), end;

	if (!size)
		return 0;
	if (base > limit || size > limit - base ||
	    (paging->levels != 4 && paging->levels != 5))
		return -1;
	end = (base + size + PAGE_4K - 1) & ~(PAGE_4K - 1);
	while (addr < end) {
		uint64_t *table = table_at(paging->root);

		for (int level = paging->levels;; level--) {
			uint64_t page = level_size(level);
			uint64_t *e = &table[(addr >> (12 + 9 * (level - 1))) &
					     511];
			uint64_t lo = addr & ~(page - 1);

			if (level == 1) {
				*e = addr | PK_X86_PTE_P | PK_X86_PTE_RW |
				     UNCACHED;
				addr += PAGE_4K;
				break;
			}
			if ((*e & PK_X86_PTE_P) && (*e & PK_X86_PTE_PS) &&
			    level <= 3) {
				if (lo >= addr && lo + page <= end) {
					/* Wholly ours: uncached as it is. */
					*e = (*e & ~PK_X86_PTE_PAT_LARGE) |
					     UNCACHED;
					addr = lo + page;
					break;
				}
				if (split(paging, e, level))
					return -1;
			} else if (!(*e & PK_X86_PTE_P)) {
				if (level == 2 && lo == addr &&
				    end - addr >= PAGE_2M) {
					*e = addr | PK_X86_PTE_P |
					     PK_X86_PTE_RW | PK_X86_PTE_PS |
					     UNCACHED;
					addr += PAGE_2M;
					break;
				}
				uint64_t *next = paging->alloc(paging->ctx);

				if (!next)
					return -1;
				*e = (uint64_t)(uintptr_t)next | PK_X86_PTE_P |
				     PK_X86_PTE_RW;
			}
			table = table_at(*e);
		}
	}
	return 0;
}

#ifndef PK_HOSTED
static uint8_t mmio_tables[PK_X86_64_MMIO_TABLES][4096]
	__attribute__((aligned(4096)));
static unsigned int mmio_tables_used;

static void *mmio_table(void *ctx)
{
	uint8_t *page;

	(void)ctx;
	if (mmio_tables_used == PK_X86_64_MMIO_TABLES)
		return NULL;
	page = mmio_tables[mmio_tables_used++];
	memset(page, 0, 4096);
	return page;
}

int pk_x86_64_map_mmio(uint64_t base, uint64_t size)
{
	uint64_t cr4 = pk_read_cr4();
	struct pk_x86_64_paging paging = {
		.root = pk_read_cr3() & PK_X86_PTE_ADDR,
		.levels = (cr4 & PK_CR4_LA57) ? 5 : 4,
		.alloc = mmio_table,
	};
	int rc = pk_x86_64_map_uncached(&paging, base, size);

	/* Flush every translation, global ones too. */
	if (cr4 & PK_CR4_PGE) {
		pk_write_cr4(cr4 & ~PK_CR4_PGE);
		pk_write_cr4(cr4);
	} else {
		pk_write_cr3(pk_read_cr3());
	}
	return rc;
}
#endif
