/* SPDX-License-Identifier: MIT */
/*
 * ppc64 CPU helpers (purgkit/arch/ppc64/cpu.h) and pk_halt.
 */
#include <purgkit/arch/ppc64/cpu.h>
#include <purgkit/runtime.h>

/* The secondary hold's words (entry.S); the hold loop reads them. */
extern volatile struct pk_ppc64_hold pk_ppc64_hold;

int64_t pk_hcall(uint64_t opcode, const uint64_t args[6], uint64_t out[4])
{
	register uint64_t r3 __asm__("r3") = opcode;
	register uint64_t r4 __asm__("r4") = args[0];
	register uint64_t r5 __asm__("r5") = args[1];
	register uint64_t r6 __asm__("r6") = args[2];
	register uint64_t r7 __asm__("r7") = args[3];
	register uint64_t r8 __asm__("r8") = args[4];
	register uint64_t r9 __asm__("r9") = args[5];

	/* The hypervisor may change r0, r4..r12, CTR, XER and CR. */
	__asm__ volatile("sc 1"
			 : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7),
			   "+r"(r8), "+r"(r9)
			 :
			 : "r0", "r10", "r11", "r12", "ctr", "xer", "cr0",
			   "cr1", "cr5", "cr6", "cr7", "memory");
	if (out) {
		out[0] = r4;
		out[1] = r5;
		out[2] = r6;
		out[3] = r7;
	}
	return (int64_t)r3;
}

/* Larger blocks than this only mean some are flushed more than once. */
#define CACHE_BLOCK PK_PPC64_MIN_CACHE_BLOCK

void pk_ppc64_flush_icache(const void *start, size_t len)
{
	uintptr_t first = (uintptr_t)start & ~(uintptr_t)(CACHE_BLOCK - 1);
	uintptr_t end = (uintptr_t)start + len;
	uintptr_t p;

	for (p = first; p < end; p += CACHE_BLOCK)
		__asm__ volatile("dcbst 0, %0" : : "r"(p) : "memory");
	__asm__ volatile("sync" : : : "memory");
	for (p = first; p < end; p += CACHE_BLOCK)
		__asm__ volatile("icbi 0, %0" : : "r"(p) : "memory");
	__asm__ volatile("sync; isync" : : : "memory");
}

void pk_ppc64_release_secondaries(uint64_t entry, int little_endian)
{
	pk_ppc64_hold.release_le = little_endian ? 1 : 0;
	pk_ppc64_sync();	/* the endianness before the address */
	pk_ppc64_hold.release = entry;
	pk_ppc64_sync();
}

uint32_t pk_ppc64_secondaries_arrived(void)
{
	return pk_ppc64_hold.arrived;
}

void pk_ppc64_delay(uint64_t n)
{
	while (n--)
		__asm__ volatile("" : : : "memory");
}

void pk_halt(void)
{
	pk_ppc64_mtmsrd(pk_ppc64_mfmsr() & ~PK_PPC64_MSR_EE);
	for (;;)
		pk_ppc64_smt_low();
}
