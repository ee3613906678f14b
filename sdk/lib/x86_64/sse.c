/* SPDX-License-Identifier: MIT */
/*
 * Turning the SSE unit on and off around the code that uses it (see
 * purgkit/arch/x86_64/cpu.h).  Control-register writes serialise the
 * CPU, so each is skipped when the register already holds the value.
 */
#include <purgkit/arch/x86_64/cpu.h>

struct pk_x86_64_sse_state pk_x86_64_sse_enable(void)
{
	struct pk_x86_64_sse_state saved = { 0, 0 };
#ifndef PK_HOSTED
	uint64_t cr0, cr4;

	saved.cr0 = pk_read_cr0();
	saved.cr4 = pk_read_cr4();
	/* MP: wait/fwait honour TS; EM off: no x87/SSE emulation trap;
	 * TS off: no device-not-available trap on the first SSE use. */
	cr0 = (saved.cr0 | PK_CR0_MP) & ~(PK_CR0_EM | PK_CR0_TS);
	/* OSFXSR enables SSE; OSXMMEXCPT makes SIMD FP errors #XM, not #UD. */
	cr4 = saved.cr4 | PK_CR4_OSFXSR | PK_CR4_OSXMMEXCPT;
	if (cr0 != saved.cr0)
		pk_write_cr0(cr0);
	if (cr4 != saved.cr4)
		pk_write_cr4(cr4);
#endif
	return saved;
}

void pk_x86_64_sse_restore(struct pk_x86_64_sse_state saved)
{
#ifndef PK_HOSTED
	if (pk_read_cr4() != saved.cr4)
		pk_write_cr4(saved.cr4);
	if (pk_read_cr0() != saved.cr0)
		pk_write_cr0(saved.cr0);
#endif
}
