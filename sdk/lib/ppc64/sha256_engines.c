/* SPDX-License-Identifier: MIT */
/*
 * ppc64's accelerated SHA-256 engine: the POWER8 vector-crypto
 * instructions, run with MSR[FP,VEC,VSX] on and the MSR restored after,
 * so no caller and no payload after us sees the units in a state it did
 * not set.
 */
#include "../sha256_impl.h"

#ifndef PK_HOSTED
#include <purgkit/arch/ppc64/cpu.h>
#endif

#define PPC_MSR_VSX (1ull << 23)	/* not in arch/ppc64/cpu.h */
#define PPC_FEATURE2_VEC_CRYPTO 0x02000000ul

/* Needs MSR[VEC] and MSR[VSX] on, and an ISA 2.07 (POWER8) CPU. */
void pk_sha256_blocks_vcrypto(uint32_t state[8], const uint8_t *data,
			      size_t nblocks);

static int vcrypto_supported(void)
{
#ifdef PK_HOSTED
	return (pk_hosted_hwcap2() & PPC_FEATURE2_VEC_CRYPTO) != 0;
#else
	/* mfpvr is privileged; purgatory runs in real mode. */
	uint32_t pvr;

	__asm__ volatile("mfpvr %0" : "=r"(pvr));
	switch (pvr >> 16) {
	case 0x004b:	/* POWER8E */
	case 0x004c:	/* POWER8NVL */
	case 0x004d:	/* POWER8 */
	case 0x004e:	/* POWER9 */
	case 0x0080:	/* POWER10 */
	case 0x0082:	/* POWER11 */
		return 1;
	default:
		return 0;
	}
#endif
}

#ifndef PK_HOSTED
/* mtmsrd, then isync so the next instruction sees the new facilities. */
static void ppc_set_msr(uint64_t msr)
{
	pk_ppc64_mtmsrd(msr);
	pk_ppc64_isync();
}
#endif

static void vcrypto_blocks(uint32_t state[8], const uint8_t *data, size_t n)
{
#ifdef PK_HOSTED
	pk_sha256_blocks_vcrypto(state, data, n);
#else
	/* The compiler may use VSX loads in the block function: turn on
	 * both VEC and VSX, and FP, which VSX registers 0-31 alias. */
	uint64_t msr = pk_ppc64_mfmsr();
	uint64_t on = PK_PPC64_MSR_FP | PK_PPC64_MSR_VEC | PPC_MSR_VSX;

	if ((msr & on) != on)
		ppc_set_msr(msr | on);
	pk_sha256_blocks_vcrypto(state, data, n);
	if ((msr & on) != on)
		ppc_set_msr(msr);
#endif
}

const struct pk_sha256_arch_engine pk_sha256_arch_engines[] = {
	{ PK_SHA256_PPC_VCRYPTO, vcrypto_supported, vcrypto_blocks },
	{ PK_SHA256_PORTABLE, 0, 0 },
};
