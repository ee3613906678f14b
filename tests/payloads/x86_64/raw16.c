/* SPDX-License-Identifier: MIT */
/*
 * A real-mode test payload: a flat binary loaded at 0x8000 and entered
 * through the raw16 trampoline at 0000:8000.  gcc -m16 emits 32-bit code
 * with operand-size prefixes, which runs in real mode as long as every
 * address stays below 64 KiB, as here.  Stores every register and segment
 * first, then checks CR0.PE = 0 and prints them.
 */
#include <stdint.h>
#include "payload.h"

struct saved16 {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
	uint16_t cs, ds, es, fs, gs, ss;
};

struct saved16 saved;

void payload_main(void);

__asm__(".section .text.start, \"ax\"\n"
	".code16gcc\n"
	".globl _start\n"
	"_start:\n"
	"  movl %eax, %cs:saved + 0\n"
	"  movl %ebx, %cs:saved + 4\n"
	"  movl %ecx, %cs:saved + 8\n"
	"  movl %edx, %cs:saved + 12\n"
	"  movl %esi, %cs:saved + 16\n"
	"  movl %edi, %cs:saved + 20\n"
	"  movl %ebp, %cs:saved + 24\n"
	"  movl %esp, %cs:saved + 28\n"
	"  movw %cs, %cs:saved + 32\n"
	"  movw %ds, %cs:saved + 34\n"
	"  movw %es, %cs:saved + 36\n"
	"  movw %fs, %cs:saved + 38\n"
	"  movw %gs, %cs:saved + 40\n"
	"  movw %ss, %cs:saved + 42\n"
	"  xorw %ax, %ax\n"
	"  movw %ax, %ds\n"
	"  movw %ax, %es\n"
	"  movw %ax, %ss\n"
	"  movl $0x7ff0, %esp\n"
	"  calll payload_main\n"
	"1: hlt\n"
	"  jmp 1b\n"
	".text\n");

void payload_main(void)
{
	uint32_t cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	put_str("payload: raw16 running\n");
	put_regs32((const uint32_t *)&saved);	/* eax..esp come first */
	put_str("payload: segs ");
	put_field("cs", saved.cs, 4);
	put_field("ds", saved.ds, 4);
	put_field("es", saved.es, 4);
	put_field("fs", saved.fs, 4);
	put_field("gs", saved.gs, 4);
	put_field("ss", saved.ss, 4);
	put_char('\n');
	put_str("payload: ");
	put_field("cr0", cr0, 8);
	put_char('\n');
	finish(!(cr0 & 1));
}
