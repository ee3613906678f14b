/* SPDX-License-Identifier: MIT */
/*
 * riscv64 kexec entry: the first code after reboot(LINUX_REBOOT_CMD_KEXEC)
 * or a panic (docs/contract-riscv64.md says what kexec hands over).
 *
 * Entry: S-mode, satp = 0, sstatus.SIE = 0, one hart (the others are
 * stopped in the firmware); a0 = hart id, a1 = the device tree's physical
 * address, a2 = pk_entry; ra, sp, gp, tp hold the old kernel's virtual
 * addresses.  stvec points at the old kernel's copy loop (kexec) or at
 * pk_entry itself (the crash path enters through a trap): until it is
 * ours, any trap would re-run old code or this entry, so it is written
 * first.  pk_entry must be 4-byte aligned (stvec's low two bits are its
 * mode): linker/riscv64.lds.S puts it first in a 4-byte aligned .text.
 *
 * Exit into pk_runtime_main (never returns): stvec = the SDK's trap
 * handler, sp = the top of our own stack, gp = tp = 0, a0/a1 kept in
 * pk_riscv64_boot_hart / pk_riscv64_boot_fdt for the payload.
 */
#include <purgkit/arch/riscv64/asm.h>

	.section .text.pk_entry, "ax", @progbits
	.balign 4
	.globl pk_entry
	.type pk_entry, @function
pk_entry:
	lla	t0, pk_riscv64_trap_entry
	csrw	stvec, t0
	csrw	sie, zero
	lla	sp, pk_riscv64_stack_top
	mv	gp, zero
	mv	tp, zero
	lla	t0, pk_riscv64_boot_hart
	sd	a0, 0(t0)
	lla	t0, pk_riscv64_boot_fdt
	sd	a1, 0(t0)
	call	pk_runtime_main
1:	wfi				/* not reached */
	j	1b
	.size pk_entry, . - pk_entry

/*
 * Every trap while the trampoline runs (an exception: interrupts stay
 * off).  Saves x1..x31 and the trap CSRs on the trap stack, then calls
 * pk_riscv64_trap(frame), which prints them and halts.  The sp found is
 * kept in sscratch for the frame (it may be the fault's cause).
 */
	.text
	.balign 4
	.globl pk_riscv64_trap_entry
	.type pk_riscv64_trap_entry, @function
pk_riscv64_trap_entry:
	csrw	sscratch, sp
	lla	sp, pk_riscv64_trap_stack_top
	addi	sp, sp, -PK_RISCV64_TRAP_FRAME
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, (\n * 8)(sp)
	.endr
	csrr	t0, sscratch
	sd	t0, (2 * 8)(sp)
	csrr	t0, sepc
	sd	t0, PK_RISCV64_TRAP_SEPC(sp)
	csrr	t0, scause
	sd	t0, PK_RISCV64_TRAP_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, PK_RISCV64_TRAP_STVAL(sp)
	csrr	t0, sstatus
	sd	t0, PK_RISCV64_TRAP_SSTATUS(sp)
	mv	a0, sp
	call	pk_riscv64_trap
2:	wfi				/* pk_riscv64_trap does not return */
	j	2b
	.size pk_riscv64_trap_entry, . - pk_riscv64_trap_entry

/* The stacks: in .bss, so they cost no bytes in the image. */
	.section .bss.pk_stack, "aw", @nobits
	.balign 16
	.skip	PK_RISCV64_STACK_SIZE
pk_riscv64_stack_top:
	.skip	PK_RISCV64_TRAP_STACK_SIZE
pk_riscv64_trap_stack_top:

	.section .note.GNU-stack, "", @progbits
