/* SPDX-License-Identifier: MIT */
/*
 * Mapping device memory in the trampoline's page tables.
 *
 * A trampoline runs on the old kernel's identity map (relocate_kernel's):
 * RAM and every segment are mapped, device memory (the HPET, the local
 * APIC, a PCI BAR, a framebuffer) is not necessarily, and touching it
 * faults.  pk_x86_64_map_mmio identity-maps a physical range uncached
 * (PCD = PWT = 1: PAT entry 3, UC in the power-on PAT and in Linux's)
 * in the live tables, 4- or 5-level as CR4.LA57 says:
 *
 *     if (pk_x86_64_map_mmio(0xfed00000, 0x400))
 *             pk_panic("no page-table room for the HPET");
 *     uint64_t caps = *(volatile uint64_t *)0xfed00000;
 *
 * Where a large page already covers the range and spans memory outside it,
 * it is split (its other parts keep their attributes) so that RAM next to
 * a device stays cacheable; a large page wholly inside the range is made
 * uncached as it is; missing levels are built with 2 MiB pages where the
 * range covers them.  New tables come from a pool in the trampoline's
 * .bss (PK_X86_64_MMIO_TABLES pages, linked in only when this is used).
 * The TLB is flushed before it returns.  Returns 0, or -1 when the pool is
 * exhausted or the range is not canonical (then what was mapped before
 * the failure stays mapped, and is still identity and uncached).
 */
#ifndef PURGKIT_ARCH_X86_64_PAGING_H
#define PURGKIT_ARCH_X86_64_PAGING_H

#include <stdint.h>

#define PK_X86_64_MMIO_TABLES 16

int pk_x86_64_map_mmio(uint64_t base, uint64_t size);

/*
 * The engine under pk_x86_64_map_mmio, on any tables: root is the
 * physical address of the top table, levels 4 or 5, and alloc returns a
 * zeroed, 4 KiB-aligned page (physical = virtual: the identity map) or
 * NULL.  It does not flush the TLB.  The SDK's unit tests run it on
 * tables in ordinary memory.
 */
struct pk_x86_64_paging {
	uint64_t root;
	int levels;
	void *(*alloc)(void *ctx);
	void *ctx;
};
int pk_x86_64_map_uncached(const struct pk_x86_64_paging *paging,
			   uint64_t base, uint64_t size);

/* Page-table entry bits this interface speaks of. */
#define PK_X86_PTE_P	(1ull << 0)
#define PK_X86_PTE_RW	(1ull << 1)
#define PK_X86_PTE_PWT	(1ull << 3)
#define PK_X86_PTE_PCD	(1ull << 4)
#define PK_X86_PTE_PS	(1ull << 7)	/* a large page (PDPT, PD) */
#define PK_X86_PTE_PAT_LARGE (1ull << 12) /* PAT bit of a large page */
#define PK_X86_PTE_PAT_4K (1ull << 7)	/* PAT bit of a 4 KiB page */
#define PK_X86_PTE_ADDR	0x000ffffffffff000ull

#endif /* PURGKIT_ARCH_X86_64_PAGING_H */
