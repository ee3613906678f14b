/* SPDX-License-Identifier: MIT */
/*
 * aarch64 CPU helpers: the exception level kexec entered at, system
 * register bits the runtime and the hand-offs use, and cache maintenance
 * by address range.
 *
 * kexec enters at EL2 or EL1 with the MMU and both caches off
 * (docs/contract-aarch64.md): addresses are physical, every data access
 * is to Device memory (so aligned: the SDK is built -mstrict-align), and
 * nothing the runtime writes is left in a cache.
 */
#ifndef PURGKIT_ARCH_AARCH64_CPU_H
#define PURGKIT_ARCH_AARCH64_CPU_H

#ifdef __ASSEMBLY__
#define PK_UL(x) x
#else
#define PK_UL(x) x##ul
#endif

/* SCTLR_ELx: the MMU, alignment checks and the two caches. */
#define PK_AARCH64_SCTLR_M	PK_UL(0x1)
#define PK_AARCH64_SCTLR_A	PK_UL(0x2)
#define PK_AARCH64_SCTLR_C	PK_UL(0x4)
#define PK_AARCH64_SCTLR_I	PK_UL(0x1000)
/* SCTLR_EL1 as the kernel asks for it with the MMU off
 * (INIT_SCTLR_EL1_MMU_OFF: the RES1 bits, little-endian, nothing on). */
#define PK_AARCH64_SCTLR_EL1_MMU_OFF PK_UL(0x30d00800)

/* HCR_EL2: EL1 is AArch64; the VHE bits (EL2&0 regime, traps to EL2). */
#define PK_AARCH64_HCR_RW	(PK_UL(1) << 31)
#define PK_AARCH64_HCR_E2H	(PK_UL(1) << 34)
#define PK_AARCH64_HCR_TGE	(PK_UL(1) << 27)
/* CNTHCTL_EL2 (E2H = 0): EL1 and EL0 may read the physical counter and
 * use the physical timer. */
#define PK_AARCH64_CNTHCTL_EL1PCTEN	PK_UL(0x1)
#define PK_AARCH64_CNTHCTL_EL1PCEN	PK_UL(0x2)
/* CPTR_EL2 (E2H = 0): its RES1 bits, nothing trapped to EL2. */
#define PK_AARCH64_CPTR_EL2_RES1	PK_UL(0x33ff)
#define PK_AARCH64_CPTR_EL2_TFP		(PK_UL(1) << 10)
/* CPACR_EL1.FPEN: FP/SIMD not trapped at EL1 and EL0. */
#define PK_AARCH64_CPACR_FPEN		(PK_UL(3) << 20)
/* SPSR_ELx for an exception return to EL1h or EL2h, D, A, I, F masked. */
#define PK_AARCH64_SPSR_EL1H_MASKED	PK_UL(0x3c5)
#define PK_AARCH64_SPSR_EL2H_MASKED	PK_UL(0x3c9)

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/*
 * The exception level kexec entered the trampoline at (1 or 2), read
 * from CurrentEL by pk_entry before anything else.
 */
extern uint64_t pk_aarch64_entry_el;

/*
 * The runtime's identity map (sdk/lib/aarch64/mmu.c): pk_entry calls
 * pk_aarch64_caches_init before pk_runtime_main; pk_aarch64_caches_on
 * says whether the MMU and caches went on, pk_aarch64_cache_mode says so
 * for people ("caches on, 40 MiB mapped" or "caches off").
 */
extern int pk_aarch64_caches_on;
void pk_aarch64_caches_init(void);
const char *pk_aarch64_cache_mode(void);

/* Whether EL2 runs with HCR_EL2.E2H set (VHE): at EL2 only. */
int pk_aarch64_vhe(void);

/* The exception level the CPU is at now (1 or 2; 0 in hosted tests). */
static inline unsigned int pk_aarch64_current_el(void)
{
	uint64_t el;

	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	return (unsigned int)((el >> 2) & 3);
}

/*
 * Clean the data cache to the point of coherency over [start, start +
 * len): what another observer with caches off (a payload entered with
 * the MMU off, a device) reads is what the CPU wrote.  By virtual
 * address, as the boot protocol asks, with the line size CTR_EL0 gives.
 */
void pk_aarch64_dcache_clean_poc(const void *start, size_t len);
/* The same, and drop the lines (clean and invalidate to the PoC). */
void pk_aarch64_dcache_clean_invalidate_poc(const void *start, size_t len);
/* Invalidate the whole I-cache to the point of unification, then dsb and
 * isb: no stale instruction of the old kernel is fetched after this. */
void pk_aarch64_icache_invalidate_all(void);

#endif /* __ASSEMBLY__ */
#endif /* PURGKIT_ARCH_AARCH64_CPU_H */
