/* SPDX-License-Identifier: MIT */
/*
 * riscv64 CPU helpers: the SBI (the Supervisor Binary Interface, calls
 * into the M-mode firmware: OpenSBI), CSR access, and what the entry stub
 * kept for the payload (docs/contract-riscv64.md).
 */
#ifndef PURGKIT_ARCH_RISCV64_CPU_H
#define PURGKIT_ARCH_RISCV64_CPU_H

/* sstatus.SIE: supervisor interrupts on. */
#define PK_RISCV64_SSTATUS_SIE 0x2

/* SBI extension ids (the SBI specification, chapter 3 and on). */
#define PK_SBI_EXT_LEGACY_PUTCHAR 0x01
#define PK_SBI_EXT_BASE 0x10
#define PK_SBI_EXT_HSM 0x48534d		/* "HSM" */
#define PK_SBI_EXT_DBCN 0x4442434e	/* "DBCN": debug console */
/* Base extension function: is extension a0 implemented? */
#define PK_SBI_BASE_PROBE_EXTENSION 3
/* DBCN function: write a0 bytes at physical a1 (low) / a2 (high). */
#define PK_SBI_DBCN_WRITE 0
/* HSM function: stop the calling hart. */
#define PK_SBI_HSM_HART_STOP 1

#ifndef __ASSEMBLY__

#include <stddef.h>
#include <stdint.h>

/* An SBI call's two results: error (0 = SBI_SUCCESS) and value. */
struct pk_sbi_ret {
	long error;
	long value;
};

/*
 * ecall into the firmware: a7 = extension, a6 = function, a0..a2 the
 * arguments.  The firmware preserves every register but a0 and a1.
 */
struct pk_sbi_ret pk_sbi_call(unsigned long extension,
			      unsigned long function, unsigned long arg0,
			      unsigned long arg1, unsigned long arg2);
/* Whether the firmware implements extension (the base extension's probe). */
int pk_sbi_probe(unsigned long extension);

/*
 * What kexec handed the entry (a0, a1), kept by sdk/lib/riscv64/entry.S
 * before anything else ran: the hart id of the hart that runs us, and the
 * physical address of the device tree the old kernel found in the
 * segments (0 in the hosted unit tests).
 */
extern uint64_t pk_riscv64_boot_hart;
extern uint64_t pk_riscv64_boot_fdt;

/*
 * Whether the ISA description of the device tree at pk_riscv64_boot_fdt
 * (its first cpu node's riscv,isa-extensions list, else its riscv,isa
 * string) names extension ("zknh"); 0 without a tree.
 */
int pk_riscv64_has_extension(const char *extension);
/* The same test on an ISA string ("rv64imac_zicsr_zknh"). */
int pk_riscv64_isa_string_lists(const char *isa, const char *extension);
/*
 * The device tree's /cpus timebase-frequency (the rate of the time CSR),
 * or 0 without a tree or the property.
 */
uint64_t pk_riscv64_fdt_timebase_hz(void);

/* Make stores to code visible to this hart's instruction fetch. */
static inline void pk_riscv64_fence_i(void)
{
	__asm__ volatile("fence.i" : : : "memory");
}

#endif /* __ASSEMBLY__ */

#endif /* PURGKIT_ARCH_RISCV64_CPU_H */
