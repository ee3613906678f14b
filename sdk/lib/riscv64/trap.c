/* SPDX-License-Identifier: MIT */
/*
 * The trap report: what a fault in the trampoline looks like on the
 * console, instead of a silent hang (the crash path's stvec is the entry
 * itself, so without this a fault would restart the trampoline).
 */
#include <purgkit/arch/riscv64/asm.h>
#include <purgkit/console.h>
#include <purgkit/runtime.h>
#include "riscv64.h"

static const char *const cause_names[] = {
	"instruction address misaligned", "instruction access fault",
	"illegal instruction", "breakpoint", "load address misaligned",
	"load access fault", "store address misaligned",
	"store access fault", "environment call from U-mode",
	"environment call from S-mode", "reserved", "reserved",
	"instruction page fault", "load page fault", "reserved",
	"store page fault",
};

static const char *const register_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
	"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void pk_riscv64_trap(const uint64_t *frame)
{
	uint64_t sepc = frame[PK_RISCV64_TRAP_SEPC / 8];
	uint64_t scause = frame[PK_RISCV64_TRAP_SCAUSE / 8];
	int interrupt = (int)(scause >> 63);
	uint64_t code = scause & ~(1ull << 63);
	int i;

	/* The form every architecture's dump has (docs/debugging.md): what,
	 * then "fault at" with the function (the loader's symbol table),
	 * the registers, and the halted line purgkit-run stops at. */
	if (interrupt)
		pk_printf("\npurgkit: CPU exception: interrupt %llu",
			  (unsigned long long)code);
	else
		pk_printf("\npurgkit: CPU exception %llu (%s)",
			  (unsigned long long)code,
			  code < sizeof(cause_names) / sizeof(cause_names[0]) ?
			  cause_names[code] : "reserved");
	pk_printf(", stval 0x%llx, sstatus 0x%llx\n",
		  (unsigned long long)frame[PK_RISCV64_TRAP_STVAL / 8],
		  (unsigned long long)frame[PK_RISCV64_TRAP_SSTATUS / 8]);
	pk_printf("purgkit: fault at ");
	pk_print_code_address(sepc);
	pk_printf("\n  sepc %016llx", (unsigned long long)sepc);
	for (i = 1; i < 32; i++)
		pk_printf("%s%-4s %016llx", i % 4 == 3 ? "\n  " : "  ",
			  register_names[i], (unsigned long long)frame[i]);
	pk_printf("\n" PK_HALTED_LINE "\n");
	pk_halt();
}
