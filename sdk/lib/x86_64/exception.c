/* SPDX-License-Identifier: MIT */
/*
 * The runtime's IDT: a fault between two kernels prints what happened
 * instead of triple-faulting the machine into a silent reset.
 */
#include <purgkit/console.h>
#include <purgkit/cpu.h>
#include <purgkit/runtime.h>

extern const char pk_x86_64_exception_stubs[];

struct pk_x86_64_idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;		/* 0x8e: present, DPL 0, 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

static struct pk_x86_64_idt_gate pk_idt[32] __attribute__((aligned(16)));

void pk_x86_64_install_exception_handlers(void)
{
	struct pk_x86_64_dtr idtr;
	unsigned int v;

	for (v = 0; v < 32; v++) {
		uint64_t handler = (uint64_t)(uintptr_t)pk_x86_64_exception_stubs +
				   v * PK_X86_64_EXCEPTION_STUB_SIZE;

		pk_idt[v].offset_low = handler & 0xffff;
		pk_idt[v].selector = PK_X86_SEL_CODE64;
		pk_idt[v].ist = 0;
		pk_idt[v].type = 0x8e;
		pk_idt[v].offset_mid = (handler >> 16) & 0xffff;
		pk_idt[v].offset_high = handler >> 32;
		pk_idt[v].reserved = 0;
	}
	idtr.limit = sizeof(pk_idt) - 1;
	idtr.base = (uint64_t)(uintptr_t)pk_idt;
	pk_lidt(&idtr);
}

static const char *const pk_exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
};

void pk_x86_64_exception(const struct pk_x86_64_exception_frame *f)
	__attribute__((noreturn));

void pk_x86_64_exception(const struct pk_x86_64_exception_frame *f)
{
	const char *name = NULL;

	if (f->vector < 32)
		name = pk_exception_names[f->vector];
	pk_printf("\npurgkit: CPU exception %llu (%s), error code 0x%llx\n",
		  (unsigned long long)f->vector, name ? name : "reserved",
		  (unsigned long long)f->error_code);
	pk_printf("purgkit: fault at ");
	pk_print_code_address(f->rip);
	pk_printf("\n");
	pk_printf("  rip %016llx  cs %04llx  rflags %016llx\n",
		  (unsigned long long)f->rip, (unsigned long long)f->cs,
		  (unsigned long long)f->rflags);
	pk_printf("  rsp %016llx  ss %04llx  cr2 %016llx\n",
		  (unsigned long long)f->rsp, (unsigned long long)f->ss,
		  (unsigned long long)pk_read_cr2());
	pk_printf("  rax %016llx  rbx %016llx  rcx %016llx\n",
		  (unsigned long long)f->rax, (unsigned long long)f->rbx,
		  (unsigned long long)f->rcx);
	pk_printf("  rdx %016llx  rsi %016llx  rdi %016llx\n",
		  (unsigned long long)f->rdx, (unsigned long long)f->rsi,
		  (unsigned long long)f->rdi);
	pk_printf("  rbp %016llx  r8  %016llx  r9  %016llx\n",
		  (unsigned long long)f->rbp, (unsigned long long)f->r8,
		  (unsigned long long)f->r9);
	pk_printf("  r10 %016llx  r11 %016llx  r12 %016llx\n",
		  (unsigned long long)f->r10, (unsigned long long)f->r11,
		  (unsigned long long)f->r12);
	pk_printf("  r13 %016llx  r14 %016llx  r15 %016llx\n",
		  (unsigned long long)f->r13, (unsigned long long)f->r14,
		  (unsigned long long)f->r15);
	pk_printf(PK_HALTED_LINE "\n");
	pk_halt();
}
