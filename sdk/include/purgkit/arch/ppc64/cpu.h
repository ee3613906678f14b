/* SPDX-License-Identifier: MIT */
/*
 * ppc64 CPU helpers (both endiannesses, ELFv1 and ELFv2): the MSR,
 * hypervisor calls, cache flushing for code that was just written,
 * SMT priorities, the secondary-CPU hold of the entry stub, and placing
 * segments at their own addresses.
 *
 * Everything here runs in real mode (MSR[IR] = MSR[DR] = 0), which is how
 * kexec enters us and how purgkit leaves.  In real mode an address is a
 * physical address, so a pointer to 0x60 is physical 0x60.
 */
#ifndef PURGKIT_ARCH_PPC64_CPU_H
#define PURGKIT_ARCH_PPC64_CPU_H

#ifdef __ASSEMBLY__
#define PK_ULL(x) x
#else
#define PK_ULL(x) x##ull
#endif

/* MSR bits (the architecture numbers bits from the left; these are masks). */
#define PK_PPC64_MSR_SF		PK_ULL(0x8000000000000000)	/* 64-bit mode */
#define PK_PPC64_MSR_HV		PK_ULL(0x1000000000000000)	/* hypervisor state */
#define PK_PPC64_MSR_VEC	PK_ULL(0x0000000002000000)	/* AltiVec/VMX on */
#define PK_PPC64_MSR_EE		PK_ULL(0x0000000000008000)	/* external interrupts */
#define PK_PPC64_MSR_FP		PK_ULL(0x0000000000002000)
#define PK_PPC64_MSR_IR		PK_ULL(0x0000000000000020)	/* instruction relocation */
#define PK_PPC64_MSR_DR		PK_ULL(0x0000000000000010)	/* data relocation */
#define PK_PPC64_MSR_RI		PK_ULL(0x0000000000000002)	/* recoverable interrupt */
#define PK_PPC64_MSR_LE		PK_ULL(0x0000000000000001)	/* little-endian */

/* The low copy, the secondary hold and the placement table. */
#include <purgkit/arch/ppc64/lowmem.h>

/* Hypervisor calls (PAPR). */
#define PK_H_SUCCESS		0
#define PK_H_BUSY		1
#define PK_H_LONG_BUSY_START	9900
#define PK_H_LONG_BUSY_END	9905
#define PK_H_GET_TERM_CHAR	0x54
#define PK_H_PUT_TERM_CHAR	0x58

/* OPAL calls (skiboot). */
#define PK_OPAL_CONSOLE_WRITE	1
#define PK_OPAL_SUCCESS		0
#define PK_OPAL_BUSY		(-2)
#define PK_OPAL_BUSY_EVENT	(-12)

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

static inline uint64_t pk_ppc64_mfmsr(void)
{
	uint64_t msr;

	__asm__ volatile("mfmsr %0" : "=r"(msr));
	return msr;
}

/* mtmsrd with L=0: every bit but HV, ME and LE may change. */
static inline void pk_ppc64_mtmsrd(uint64_t msr)
{
	__asm__ volatile("mtmsrd %0" : : "r"(msr) : "memory");
}

static inline void pk_ppc64_sync(void)
{
	__asm__ volatile("sync" : : : "memory");
}

static inline void pk_ppc64_isync(void)
{
	__asm__ volatile("isync" : : : "memory");
}

/* SMT thread priority: let the other threads of the core run, or not. */
static inline void pk_ppc64_smt_low(void)
{
	__asm__ volatile("or 1,1,1" : : : "memory");
}

static inline void pk_ppc64_smt_medium(void)
{
	__asm__ volatile("or 2,2,2" : : : "memory");
}

/* Does this trampoline run little-endian? */
static inline int pk_ppc64_little_endian(void)
{
	return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
}

/*
 * What pk_entry found in r3 and r4: the primary's hardware CPU number and
 * the entry address kexec branched to.
 */
extern uint64_t pk_ppc64_boot_cpu;
extern uint64_t pk_ppc64_entry_address;

/*
 * A hypervisor call (`sc 1`): r3 = opcode, r4..r9 = args[0..5].  Returns
 * the status from r3 and, when out is not NULL, r4..r7 in out[0..3].
 * Only under a PAPR hypervisor (pSeries, KVM, PowerVM).
 */
int64_t pk_hcall(uint64_t opcode, const uint64_t args[6], uint64_t out[4]);

/*
 * Call OPAL in real mode: r0 = token, r2 = base, r3..r5 = a0..a2, MSR[LE]
 * off for the call (OPAL is big-endian) and put back on return.  Returns
 * OPAL's status.
 */
int64_t pk_opal_call(uint64_t token, uint64_t a0, uint64_t a1, uint64_t a2,
		     uint64_t opal_base, uint64_t opal_entry);

/*
 * The runtime's interrupt vectors (sdk/lib/ppc64/exception.c): the entry
 * stub installs them at 0x200..0xf60 before pk_runtime_main, on
 * little-endian builds (a vector runs in the old kernel's endianness);
 * a fault then prints where and halts.  pk_ppc64_read_low_memory copies
 * the first len bytes of real memory as the old kernel left them (the
 * vectors' own bytes put back): for the crash path's backup.
 */
void pk_ppc64_install_exception_handlers(void);
void pk_ppc64_read_low_memory(void *dest, size_t len);

/*
 * Make len bytes at start, just written as data, safe to execute: dcbst
 * every line, sync, icbi every line, sync, isync.
 */
void pk_ppc64_flush_icache(const void *start, size_t len);

/*
 * Release the secondaries held in the entry stub's loop (inside this
 * trampoline's image; the code at physical 0x60 only sends them there):
 * each jumps to entry in real mode with r3 = its hardware CPU number and
 * MSR[LE] = little_endian, nothing else defined.  entry must be a code
 * address (for an ELFv1 function, its descriptor's first doubleword).
 * Secondaries arriving later follow at once.
 */
void pk_ppc64_release_secondaries(uint64_t entry, int little_endian);

/* How many secondaries have reached the hold so far. */
uint32_t pk_ppc64_secondaries_arrived(void);

/*
 * Copy each of the table's segments home (filesz bytes from src to
 * dest), zero the rest of its memsz, and make the whole of it safe to
 * execute (dcbst, sync, icbi, sync, isync by the table's block sizes).
 * Call it only after the image was verified.  If a destination covers
 * the first 0x100 bytes, it first waits for the table's number of
 * secondaries to leave the low copy for the hold in this image (at most
 * wait_ticks of the timebase).
 */
void pk_ppc64_place(const struct pk_ppc64_place_table *table);

/* Spin for about n iterations of a decrementing loop. */
void pk_ppc64_delay(uint64_t n);

#endif /* __ASSEMBLY__ */
#endif /* PURGKIT_ARCH_PPC64_CPU_H */
