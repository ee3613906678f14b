/* SPDX-License-Identifier: MIT */
/*
 * What a fault between two kernels prints (sdk/lib/aarch64/vectors.S):
 * the vector and the syndrome's exception class, where (ELR as image
 * base + offset and the function holding it, from the loader's table:
 * pk_print_code_address), ESR, ELR, FAR, SPSR and x0..x30, then
 * PK_HALTED_LINE, on which purgkit-run ends the run and names the line.
 */
#include <purgkit/console.h>
#include <purgkit/cpu.h>
#include <purgkit/runtime.h>

void pk_aarch64_exception(const uint64_t regs[31], uint64_t vector)
	__attribute__((noreturn));

#define READ_SYSREG(name, el) ({					\
	uint64_t v_;							\
	if ((el) == 2)							\
		__asm__ volatile("mrs %0, " #name "_el2" : "=r"(v_));	\
	else								\
		__asm__ volatile("mrs %0, " #name "_el1" : "=r"(v_));	\
	v_; })

static const char *const vector_names[16] = {
	"synchronous, SP_EL0", "IRQ, SP_EL0", "FIQ, SP_EL0", "SError, SP_EL0",
	"synchronous", "IRQ", "FIQ", "SError",
	"synchronous from a lower EL", "IRQ from a lower EL",
	"FIQ from a lower EL", "SError from a lower EL",
	"synchronous from AArch32", "IRQ from AArch32",
	"FIQ from AArch32", "SError from AArch32",
};

/* ESR_ELx.EC: the classes a trampoline can run into. */
static const char *exception_class(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason";
	case 0x01: return "WFI/WFE trapped";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "system register access trapped";
	case 0x20: return "instruction abort from a lower EL";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower EL";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default: return "other";
	}
}

void pk_aarch64_exception(const uint64_t regs[31], uint64_t vector)
{
	unsigned int el = pk_aarch64_current_el();
	uint64_t esr = READ_SYSREG(esr, el);
	uint64_t elr = READ_SYSREG(elr, el);
	uint64_t far = READ_SYSREG(far, el);
	uint64_t spsr = READ_SYSREG(spsr, el);
	unsigned int ec = (unsigned int)(esr >> 26) & 0x3f;
	unsigned int i;

	pk_printf("\npurgkit: CPU exception at EL%u: %s, %s (class 0x%02x)\n",
		  el, vector < 16 ? vector_names[vector] : "?",
		  exception_class(ec), ec);
	pk_printf("purgkit: fault at ");
	pk_print_code_address(elr);
	pk_printf("\n");
	pk_printf("  esr %016llx  elr %016llx\n", (unsigned long long)esr,
		  (unsigned long long)elr);
	pk_printf("  far %016llx  spsr %016llx\n", (unsigned long long)far,
		  (unsigned long long)spsr);
	for (i = 0; i < 31; i++)
		pk_printf("  x%-2u %016llx%s", i, (unsigned long long)regs[i],
			  i % 3 == 2 || i == 30 ? "\n" : "");
	pk_printf(PK_HALTED_LINE "\n");
	pk_halt();
}
