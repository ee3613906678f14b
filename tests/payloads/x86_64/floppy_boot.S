/* SPDX-License-Identifier: MIT */
/*
 * A floppy's boot sector, for payloads that reach the BIOS through a disk
 * emulator (syslinux's memdisk): loaded at 0000:7c00 with DL = the boot
 * drive, it reads the 4 sectors after it (2 KiB) to 0000:8000 through
 * INT 13h AH=02h and jumps there.  tests/e2e/test_bios_services.py puts
 * bios_ticks.bin (linked at 0x8000) in those sectors.  A read error ends
 * QEMU through isa-debug-exit with the failure code.
 */
	.code16
	.section .text.start, "ax", @progbits
	.globl _start
_start:
	ljmp	$0, $1f			/* CS = 0, whatever the BIOS used */
1:	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	movw	$0x8000, %bx		/* ES:BX = 0000:8000 */
	movw	$0x0204, %ax		/* AH = 02h read, AL = 4 sectors */
	movw	$0x0002, %cx		/* cylinder 0, sector 2 */
	xorb	%dh, %dh		/* head 0; DL = the boot drive */
	int	$0x13
	jc	2f
	ljmp	$0, $0x8000
2:	movb	$0x11, %al		/* qemu's isa-debug-exit: failure */
	outb	%al, $0xf4
3:	hlt
	jmp	3b
