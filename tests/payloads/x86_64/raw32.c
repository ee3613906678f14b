/* SPDX-License-Identifier: MIT */
/*
 * A raw 32-bit test payload (ELF32, entered through the raw32
 * trampoline).  Its first instructions store every register it was given,
 * before anything can change them; then it checks the mode and prints.
 */
#include <stdint.h>
#include "payload.h"

struct saved32 {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp;
};

struct saved32 saved;
uint8_t stack[8192] __attribute__((aligned(16)));

void payload_main(void);

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"  movl %eax, saved + 0\n"
	"  movl %ebx, saved + 4\n"
	"  movl %ecx, saved + 8\n"
	"  movl %edx, saved + 12\n"
	"  movl %esi, saved + 16\n"
	"  movl %edi, saved + 20\n"
	"  movl %ebp, saved + 24\n"
	"  movl %esp, saved + 28\n"
	"  sidt payload_entry_idtr\n"
	"  movl $stack + 8192, %esp\n"
	"  call payload_main\n"
	"1: hlt\n"
	"  jmp 1b\n");

void payload_main(void)
{
	uint32_t cr0, eflags;
	uint16_t cs;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("pushfl; popl %0" : "=r"(eflags));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	payload_entry_esp = saved.esp;
	put_str("payload: raw32 running\n");
	put_regs32((const uint32_t *)&saved);	/* eax..esp come first */
	put_str("payload: ");
	put_field("cr0", cr0, 8);
	put_field("eflags", eflags, 8);
	put_field("cs", cs, 4);
	put_char('\n');
	put_entry_stack_and_idt();
	finish((cr0 & 1) && !(cr0 & 0x80000000u) && !(eflags & 0x200));
}
