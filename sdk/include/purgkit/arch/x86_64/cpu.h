/* SPDX-License-Identifier: MIT */
/*
 * x86_64 CPU helpers: cpuid, port I/O, control registers, MSRs, GDT/IDT,
 * halting.  All static inline; usable from any trampoline C file.
 */
#ifndef PURGKIT_ARCH_X86_64_CPU_H
#define PURGKIT_ARCH_X86_64_CPU_H

#include <stdint.h>

struct pk_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct pk_cpuid pk_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct pk_cpuid r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline void pk_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t pk_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void pk_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void pk_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t pk_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define PK_CR0_MP (1ull << 1)
#define PK_CR0_EM (1ull << 2)
#define PK_CR0_TS (1ull << 3)
#define PK_CR0_PG (1ull << 31)
#define PK_CR4_PAE (1ull << 5)
#define PK_CR4_PGE (1ull << 7)
#define PK_CR4_OSFXSR (1ull << 9)
#define PK_CR4_OSXMMEXCPT (1ull << 10)
#define PK_CR4_LA57 (1ull << 12)

#define PK_DEFINE_CR(n)                                                    \
	static inline uint64_t pk_read_cr##n(void)                         \
	{                                                                  \
		uint64_t v;                                                \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                                  \
	}                                                                  \
	static inline void pk_write_cr##n(uint64_t v)                      \
	{                                                                  \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
PK_DEFINE_CR(0)
PK_DEFINE_CR(2)
PK_DEFINE_CR(3)
PK_DEFINE_CR(4)
#undef PK_DEFINE_CR

#define PK_MSR_EFER 0xc0000080u

static inline uint64_t pk_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void pk_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* A descriptor-table pointer, as lgdt/lidt take it. */
struct pk_x86_64_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void pk_lgdt(const struct pk_x86_64_dtr *d)
{
	__asm__ volatile("lgdt %0" : : "m"(*d));
}

static inline void pk_lidt(const struct pk_x86_64_dtr *d)
{
	__asm__ volatile("lidt %0" : : "m"(*d));
}

static inline void pk_cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void pk_hlt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/*
 * Turn on the SSE unit for code that uses it (CR0.EM and CR0.TS off,
 * CR0.MP on, CR4.OSFXSR and CR4.OSXMMEXCPT on) and return the previous
 * CR0/CR4 so the caller can put them back with pk_x86_64_sse_restore.  At kexec entry CR4 is PAE only,
 * so SSE instructions fault until this is done.  In a hosted build
 * (PK_HOSTED: the unit tests), the OS has done it and these do nothing.
 */
struct pk_x86_64_sse_state {
	uint64_t cr0, cr4;
};
struct pk_x86_64_sse_state pk_x86_64_sse_enable(void);
void pk_x86_64_sse_restore(struct pk_x86_64_sse_state saved);

/*
 * The runtime's GDT selectors (values in purgkit/arch/x86_64/asm.h).
 * CODE64 and DATA are 0x10 and 0x18 because the Linux 64-bit boot
 * protocol names exactly those (__BOOT_CS, __BOOT_DS).  All are flat
 * (base 0) except CODE16 and DATA16, which the real-mode hand-off rebases
 * at its low stub.
 */
#include <purgkit/arch/x86_64/asm.h>

/*
 * Saved state printed by the exception handler: the general registers,
 * then what the CPU pushed.
 */
struct pk_x86_64_exception_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Install the runtime's IDT: every exception prints its frame and halts. */
void pk_x86_64_install_exception_handlers(void);

/* Device memory in the page tables: pk_x86_64_map_mmio. */
#include <purgkit/arch/x86_64/paging.h>

#endif /* PURGKIT_ARCH_X86_64_CPU_H */
