/* SPDX-License-Identifier: MIT */
/*
 * aarch64's accelerated SHA-256 engine: the ARMv8 SHA-256 instructions
 * (sha256_armv8.c), when ID_AA64ISAR0_EL1.SHA2 says the CPU has them.
 * They use the FP/SIMD registers, which kexec may leave trapped: the
 * engine enables FP/SIMD at the current exception level around each
 * batch of blocks and puts the control register back, so no payload
 * after us finds it in a state it did not set.
 */
#include "../sha256_impl.h"

#ifndef PK_HOSTED
#include <purgkit/arch/aarch64/cpu.h>
#endif

void pk_sha256_blocks_armv8(uint32_t state[8], const uint8_t *data,
			    size_t nblocks);

/*
 * ID_AA64ISAR0_EL1.SHA2, bits 15:12: 1 = SHA-256, 2 = SHA-512 too.  The
 * register reads at EL1 and EL2, and at EL0 under Linux (which emulates
 * the read, HWCAP_CPUID) and qemu-user, so hosted tests take this path.
 */
static int armv8_sha2_supported(void)
{
	uint64_t isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return ((isar0 >> 12) & 0xf) != 0;
}

static void armv8_blocks(uint32_t state[8], const uint8_t *data, size_t n)
{
#ifdef PK_HOSTED
	pk_sha256_blocks_armv8(state, data, n);
#else
	/*
	 * EL1, and EL2 with E2H set (where the CPACR_EL1 name reaches
	 * CPTR_EL2 in CPACR's layout): FPEN = 0b11.  EL2 without VHE:
	 * CPTR_EL2.TFP = 0.  isb: the next instruction sees the change.
	 */
	if (pk_aarch64_current_el() == 1 || pk_aarch64_vhe()) {
		uint64_t cpacr;

		__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
		__asm__ volatile("msr cpacr_el1, %0; isb"
				 : : "r"(cpacr | PK_AARCH64_CPACR_FPEN)
				 : "memory");
		pk_sha256_blocks_armv8(state, data, n);
		__asm__ volatile("msr cpacr_el1, %0; isb" : : "r"(cpacr)
				 : "memory");
	} else {
		uint64_t cptr;

		__asm__ volatile("mrs %0, cptr_el2" : "=r"(cptr));
		__asm__ volatile("msr cptr_el2, %0; isb"
				 : : "r"(cptr & ~PK_AARCH64_CPTR_EL2_TFP)
				 : "memory");
		pk_sha256_blocks_armv8(state, data, n);
		__asm__ volatile("msr cptr_el2, %0; isb" : : "r"(cptr)
				 : "memory");
	}
#endif
}

const struct pk_sha256_arch_engine pk_sha256_arch_engines[] = {
	{ PK_SHA256_ARM_SHA2, armv8_sha2_supported, armv8_blocks },
	{ PK_SHA256_PORTABLE, 0, 0 },
};
