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
	uint64_t start = (uint64_t)(uintptr_t)pk_image_start;
	uint64_t end = (uint64_t)(uintptr_t)pk_image_end;
	int interrupt = (int)(scause >> 63);
	uint64_t code = scause & ~(1ull << 63);
	int i;

	pk_printf("purgkit: trap: %s %llu (%s) at sepc 0x%llx",
		  interrupt ? "interrupt" : "exception",
		  (unsigned long long)code,
		  !interrupt && code < sizeof(cause_names) /
		  sizeof(cause_names[0]) ? cause_names[code] : "?",
		  (unsigned long long)sepc);
	/* The symbol is found with the image's map (purgkit-link --map):
	 * the offset into the image names it. */
	if (sepc >= start && sepc < end)
		pk_printf(" (pk_image_start+0x%llx)",
			  (unsigned long long)(sepc - start));
	pk_printf("\npurgkit: trap: stval 0x%llx sstatus 0x%llx\n",
		  (unsigned long long)frame[PK_RISCV64_TRAP_STVAL / 8],
		  (unsigned long long)frame[PK_RISCV64_TRAP_SSTATUS / 8]);
	for (i = 1; i < 32; i++)
		pk_printf("%s%-4s %016llx%s",
			  i % 4 == 1 ? "purgkit: trap: " : "  ",
			  register_names[i], (unsigned long long)frame[i],
			  i % 4 == 0 || i == 31 ? "\n" : "");
	pk_halt();
}
