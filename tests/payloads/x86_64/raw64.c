/* SPDX-License-Identifier: MIT */
/*
 * A raw 64-bit test payload (ELF64, entered through the raw64
 * trampoline): stores every register it was given first, then checks it
 * runs in long mode and prints them.
 */
#include <stdint.h>
#include "payload.h"

struct saved64 {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct saved64 saved;
uint8_t stack[8192] __attribute__((aligned(16)));

void payload_main(void);

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"  movq %rax, saved + 0\n"
	"  movq %rbx, saved + 8\n"
	"  movq %rcx, saved + 16\n"
	"  movq %rdx, saved + 24\n"
	"  movq %rsi, saved + 32\n"
	"  movq %rdi, saved + 40\n"
	"  movq %rbp, saved + 48\n"
	"  movq %rsp, saved + 56\n"
	"  movq %r8, saved + 64\n"
	"  movq %r9, saved + 72\n"
	"  movq %r10, saved + 80\n"
	"  movq %r11, saved + 88\n"
	"  movq %r12, saved + 96\n"
	"  movq %r13, saved + 104\n"
	"  movq %r14, saved + 112\n"
	"  movq %r15, saved + 120\n"
	"  movq $stack + 8192, %rsp\n"
	"  call payload_main\n"
	"1: hlt\n"
	"  jmp 1b\n");

void payload_main(void)
{
	static const char *const names[16] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	const uint64_t *r = &saved.rax;
	uint64_t cr0, cr4, rflags;
	int i;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("pushfq; popq %0" : "=r"(rflags));
	put_str("payload: raw64 running\n");
	put_str("payload: regs ");
	for (i = 0; i < 16; i++)
		put_field(names[i], r[i], 16);
	put_char('\n');
	put_str("payload: ");
	put_field("cr0", cr0, 8);
	put_field("cr4", cr4, 8);
	put_field("rflags", rflags, 8);
	put_char('\n');
	/* Long mode, paging on; the runtime must have put CR4.OSFXSR back. */
	finish((cr0 & 0x80000001u) == 0x80000001u && !(rflags & 0x200) &&
	       !(cr4 & (1u << 9)));
}
