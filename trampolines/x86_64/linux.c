/* SPDX-License-Identifier: MIT */
/*
 * x86_64 "linux": the Linux boot protocol's three entries
 * (Documentation/arch/x86/boot.rst), on the SDK's raw hand-offs.  The
 * loader chose the entry (pk_linux_entry_mode) and laid out memory for it.
 *
 * Hand-off contract, by pk_linux_entry_mode:
 *
 * 64 ("64-bit Boot Protocol"): long mode with the old kernel's identity
 *   map (it covers every segment the loader placed), a GDT with flat
 *   4 GiB __BOOT_CS = 0x10 (code) and __BOOT_DS = 0x18 (data), CS = 0x10
 *   and DS/ES/SS = 0x18 (the runtime's own GDT is laid out so), IF = 0,
 *   RSI = boot_params (pk_linux_boot_params), jump to pk_linux_entry (the
 *   protected-mode kernel's load address + 0x200).  Every other general
 *   register is 0; RSP is 0 too: the kernel sets up its own stack before
 *   it touches one.
 *
 * 32 ("32-bit Boot Protocol"): 32-bit protected mode, paging off, a GDT
 *   whose 0x10 is a flat 4 GiB code and 0x18 a flat 4 GiB data
 *   descriptor, CS = __BOOT_CS (0x10), DS/ES/FS/GS/SS = __BOOT_DS (0x18),
 *   IF = 0, ESI = boot_params, EBP = EDI = EBX = 0 (as the protocol asks)
 *   and every other register 0, at pk_linux_entry (code32_start).  The
 *   raw32 hand-off arrives in the runtime's CS = 0x08; linux_boot_cs32
 *   below loads the protocol's GDT and selectors, then jumps.
 *
 * 16 ("Running the Kernel", real mode): the raw16 hand-off with the
 *   setup code at linear pk_linux_boot_params (a 16-byte aligned base
 *   below 640 KiB): DS = ES = FS = GS = SS = base >> 4, SP = the heap's
 *   end (PK_LINUX_REAL_HEAP_END), CS:IP = (base >> 4) + 0x20 : 0, IF = 0;
 *   the switch runs from pk_real_mode_stub, a page below 1 MiB.  The
 *   setup code calls the BIOS, so with pk_bios_irq_restore (the default)
 *   the interrupt controllers are given back to it first, as in raw16.
 */
#include <purgkit/purgkit.h>
#include <purgkit/arch/x86_64/trampolines.h>
#include <purgkit/proto/linux_x86.h>

PK_PATCH_DEFINE(pk_linux_entry) = 0;
PK_PATCH_DEFINE(pk_linux_boot_params) = 0;
PK_PATCH_DEFINE(pk_linux_entry_mode) = 64;
PK_PATCH_DEFINE(pk_real_mode_stub) = 0;
PK_PATCH_DEFINE(pk_bios_irq_restore) = 1;

/*
 * The 32-bit entry's last step.  Entry: 32-bit protected mode, paging
 * off, from the raw32 hand-off with EAX = pk_linux_entry and ESI =
 * boot_params.  It loads the protocol's GDT (null, null, __BOOT_CS,
 * __BOOT_DS), reloads CS and every data segment, zeroes EAX and jumps to
 * the entry it was given.  Absolute addresses are fine: the trampoline
 * lies below 4 GiB, as the loader guarantees.  The GDT lives in the
 * trampoline's memory, which the kernel may reuse only after it loaded
 * its own.
 */
__attribute__((visibility("hidden"))) void linux_boot_cs32(void);
__asm__(
	"	.pushsection .text.linux_boot_cs32, \"ax\", @progbits\n"
	"	.code32\n"
	"	.globl linux_boot_cs32\n"
	"linux_boot_cs32:\n"
	"	movl	%eax, linux_boot_target\n"
	"	lgdt	linux_boot_gdt_pointer\n"
	"	ljmp	$0x10, $1f\n"
	"1:	movl	$0x18, %eax\n"
	"	movl	%eax, %ds\n"
	"	movl	%eax, %es\n"
	"	movl	%eax, %fs\n"
	"	movl	%eax, %gs\n"
	"	movl	%eax, %ss\n"
	"	xorl	%eax, %eax\n"
	"	jmp	*linux_boot_target\n"
	"	.code64\n"
	"	.popsection\n"
	"	.pushsection .data.linux_boot_gdt, \"aw\", @progbits\n"
	"	.balign 16\n"
	"linux_boot_gdt:\n"
	"	.quad	0\n"
	"	.quad	0\n"
	"	.quad	0x00cf9a000000ffff\n"	/* 0x10 __BOOT_CS: 4 GiB r/x */
	"	.quad	0x00cf92000000ffff\n"	/* 0x18 __BOOT_DS: 4 GiB r/w */
	"linux_boot_gdt_pointer:\n"
	"	.word	linux_boot_gdt_pointer - linux_boot_gdt - 1\n"
	"	.long	linux_boot_gdt\n"
	"linux_boot_target:\n"
	"	.long	0\n"
	"	.popsection\n");

static __attribute__((noreturn)) void linux_enter64(void)
{
	struct pk_x86_64_regs regs = { 0 };

	regs.rsi = pk_linux_boot_params;
	regs.rip = pk_linux_entry;
	pk_printf("purgkit: linux: entering 0x%llx in 64-bit mode, "
		  "boot_params at 0x%llx\n", (unsigned long long)regs.rip,
		  (unsigned long long)regs.rsi);
	pk_x86_64_enter_long64(&regs);
}

static __attribute__((noreturn)) void linux_enter32(void)
{
	struct pk_x86_32_regs regs = { 0 };

	if (pk_linux_entry >> 32 || pk_linux_boot_params >> 32)
		pk_panic("linux: 32-bit entry 0x%llx or boot_params 0x%llx "
			 "above 4 GiB", (unsigned long long)pk_linux_entry,
			 (unsigned long long)pk_linux_boot_params);
	regs.eax = (uint32_t)pk_linux_entry;
	regs.esi = (uint32_t)pk_linux_boot_params;
	regs.eip = (uint32_t)(uintptr_t)linux_boot_cs32;
	pk_printf("purgkit: linux: entering 0x%x in 32-bit protected mode, "
		  "boot_params at 0x%x\n", regs.eax, regs.esi);
	pk_x86_64_enter_protected32(&regs);
}

static __attribute__((noreturn)) void linux_enter16(void)
{
	struct pk_x86_16_regs regs = { 0 };
	uint64_t base = pk_linux_boot_params;
	uint16_t segment = (uint16_t)(base >> 4);

	if ((base & 0xf) || base + PK_LINUX_REAL_SEGMENT_SIZE >
				    PK_LINUX_REAL_LIMIT)
		pk_panic("linux: real-mode setup base 0x%llx is not a "
			 "16-byte aligned 64 KiB below 640 KiB",
			 (unsigned long long)base);
	if (pk_real_mode_stub == 0 || pk_real_mode_stub >= 0x100000 ||
	    (pk_real_mode_stub & 0xfff))
		pk_panic("linux: pk_real_mode_stub 0x%x is not a page below "
			 "1 MiB", pk_real_mode_stub);
	regs.ds = regs.es = regs.fs = regs.gs = regs.ss = segment;
	regs.esp = PK_LINUX_REAL_HEAP_END;
	regs.cs = segment + PK_LINUX_REAL_ENTRY_SEGMENT;
	regs.ip = 0;
	pk_printf("purgkit: linux: entering %04x:0000 in real mode, setup "
		  "at 0x%llx, %s\n", regs.cs, (unsigned long long)base,
		  pk_bios_irq_restore ?
			  "BIOS interrupt state restored" :
			  "interrupt controllers as the old kernel left them");
	pk_x86_64_enter_real16(&regs, pk_real_mode_stub,
			       pk_bios_irq_restore ? PK_X86_REAL16_BIOS_IRQ : 0);
}

void pk_trampoline_main(void)
{
	switch (pk_linux_entry_mode) {
	case 64:
		linux_enter64();
	case 32:
		linux_enter32();
	case 16:
		linux_enter16();
	default:
		pk_panic("linux: pk_linux_entry_mode %u is not 64, 32 or 16",
			 pk_linux_entry_mode);
	}
}
