/* SPDX-License-Identifier: MIT */
/*
 * A trampoline that reports the machine state pk_trampoline_main gets,
 * for the test that holds docs/contract-x86_64.md's table ("Machine
 * state at pk_trampoline_main") to the code: control registers, EFER,
 * RFLAGS, the descriptor tables, segments and the stack, each on a
 * "state:" line; then it hands a Multiboot kernel over as the built-in
 * multiboot trampoline does, so the run ends as any other.
 */
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>
#include <purgkit/proto/multiboot.h>

#define HPET_BASE 0xfed00000u

PK_PATCH_DEFINE(pk_multiboot_entry) = 0;
PK_PATCH_DEFINE(pk_multiboot_info) = 0;

static uint16_t segment(int which)
{
	uint16_t v = 0;

	switch (which) {
	case 0: __asm__ volatile("mov %%cs, %0" : "=r"(v)); break;
	case 1: __asm__ volatile("mov %%ds, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%es, %0" : "=r"(v)); break;
	default: __asm__ volatile("mov %%ss, %0" : "=r"(v)); break;
	}
	return v;
}

void pk_trampoline_main(void)
{
	struct pk_x86_32_regs regs = { 0 };
	struct pk_x86_64_dtr gdtr, idtr;
	uint64_t rflags, rsp;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	__asm__ volatile("pushfq; popq %0" : "=r"(rflags));
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	pk_printf("state: image 0x%llx 0x%llx\n",
		  (unsigned long long)(uintptr_t)pk_image_start,
		  (unsigned long long)(uintptr_t)pk_image_end);
	pk_printf("state: CR0 0x%llx\n", (unsigned long long)pk_read_cr0());
	pk_printf("state: CR4 0x%llx\n", (unsigned long long)pk_read_cr4());
	pk_printf("state: EFER 0x%llx\n",
		  (unsigned long long)pk_rdmsr(0xc0000080));
	pk_printf("state: RFLAGS 0x%llx\n", (unsigned long long)rflags);
	pk_printf("state: GDTR 0x%llx 0x%x\n", (unsigned long long)gdtr.base,
		  gdtr.limit);
	pk_printf("state: IDTR 0x%llx 0x%x\n", (unsigned long long)idtr.base,
		  idtr.limit);
	pk_printf("state: CS 0x%x\nstate: DS 0x%x\nstate: ES 0x%x\n"
		  "state: SS 0x%x\n", segment(0), segment(1), segment(2),
		  segment(3));
	pk_printf("state: RSP 0x%llx\n", (unsigned long long)rsp);
	/* Device memory is not in the old kernel's identity map: map the
	 * HPET (QEMU's pc machine has one at its usual address), then read
	 * its capabilities (vendor in bits 31:16, period in fs in 63:32). */
	if (pk_x86_64_map_mmio(HPET_BASE, 0x400))
		pk_panic("mmio: no page-table room for the HPET");
	pk_printf("mmio: HPET capabilities 0x%llx\n", (unsigned long long)
		  *(volatile uint64_t *)(uintptr_t)HPET_BASE);
	regs.eax = PK_MULTIBOOT_BOOTLOADER_MAGIC;
	regs.ebx = pk_multiboot_info;
	regs.eip = pk_multiboot_entry;
	pk_x86_64_enter_protected32(&regs);
}
