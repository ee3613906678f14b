/* SPDX-License-Identifier: MIT */
/*
 * riscv64's accelerated SHA-256 engine: the Zknh scalar crypto
 * instructions, where the hart's ISA description lists them.  A trampoline
 * reads it in the device tree kexec handed over (riscv,isa-extensions or
 * riscv,isa of the first cpu node); the hosted unit tests, which have no
 * tree, are given the ISA string qemu-user was started with
 * (pk_hosted_riscv64_isa).  pk_sha256_select then keeps whichever engine
 * is faster here.
 */
#include "../sha256_impl.h"
#include <purgkit/arch/riscv64/cpu.h>

void pk_sha256_blocks_zknh(uint32_t state[8], const uint8_t *data,
			   size_t nblocks);

#ifdef PK_HOSTED
/* The ISA string of the emulated CPU, from the test harness ("" if none). */
const char *pk_hosted_riscv64_isa(void);
#endif

static int zknh_supported(void)
{
#ifdef PK_HOSTED
	return pk_riscv64_isa_string_lists(pk_hosted_riscv64_isa(), "zknh");
#else
	return pk_riscv64_has_extension("zknh");
#endif
}

const struct pk_sha256_arch_engine pk_sha256_arch_engines[] = {
	{ PK_SHA256_RISCV_ZKNH, zknh_supported, pk_sha256_blocks_zknh },
	{ PK_SHA256_PORTABLE, 0, 0 },
};
