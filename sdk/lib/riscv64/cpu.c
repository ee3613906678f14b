/* SPDX-License-Identifier: MIT */
/*
 * riscv64 CPU helpers (purgkit/arch/riscv64/cpu.h): SBI calls, pk_halt.
 */
#include <purgkit/arch/riscv64/cpu.h>
#include <purgkit/runtime.h>

struct pk_sbi_ret pk_sbi_call(unsigned long extension,
			      unsigned long function, unsigned long arg0,
			      unsigned long arg1, unsigned long arg2)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a6 __asm__("a6") = function;
	register unsigned long a7 __asm__("a7") = extension;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a6), "r"(a7)
			 : "memory");
	return (struct pk_sbi_ret){ (long)a0, (long)a1 };
}

int pk_sbi_probe(unsigned long extension)
{
	struct pk_sbi_ret ret = pk_sbi_call(PK_SBI_EXT_BASE,
					    PK_SBI_BASE_PROBE_EXTENSION,
					    extension, 0, 0);

	return ret.error == 0 && ret.value != 0;
}

/*
 * Interrupts off, then stop the hart in the firmware (SBI HSM), where the
 * next kernel could start it again; a firmware without HSM leaves it in
 * wfi for good.
 */
void pk_halt(void)
{
	__asm__ volatile("csrci sstatus, %0" : : "i"(PK_RISCV64_SSTATUS_SIE));
	__asm__ volatile("csrw sie, zero");
	if (pk_sbi_probe(PK_SBI_EXT_HSM))
		pk_sbi_call(PK_SBI_EXT_HSM, PK_SBI_HSM_HART_STOP, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
