	.option norelax
	.text
	.p2align 2
	.globl pk_entry
	.type pk_entry, @function
pk_entry:
	lui	a0, %hi(data)
	addi	a0, a0, %lo(data)
	ld	a1, %lo(data)(a0)
	sd	a1, %lo(data + 8)(a0)
1:	auipc	a2, %pcrel_hi(data)
	addi	a2, a2, %pcrel_lo(1b)
	sd	a1, %pcrel_lo(1b)(a2)
2:	auipc	a3, %pcrel_hi(data + 0x10)
	ld	a3, %pcrel_lo(2b)(a3)
3:	auipc	a4, %got_pcrel_hi(func)
	ld	a4, %pcrel_lo(3b)(a4)
	call	func
	tail	other
	jal	func
	/* gas turns a branch to another section into a branch over a
	 * jal; the branch relocations are written out. */
	.option push
	.option norvc
	.reloc ., R_RISCV_BRANCH, other
	beq	a0, a1, .
	.reloc ., R_RISCV_BRANCH, func + 2
	bne	a0, zero, .
	.option pop
	.reloc ., R_RISCV_RVC_BRANCH, other
	c.beqz	a0, .
	.reloc ., R_RISCV_RVC_BRANCH, func
	c.bnez	a0, .
	.reloc ., R_RISCV_RVC_JUMP, other
	c.j	.
	jal	zero, other
	.reloc ., R_RISCV_NONE, func
	nop
	.size pk_entry, . - pk_entry

	.section .text.other, "ax", @progbits
	.p2align 2
	.globl other
other:
	ret
	.globl func
func:
	ret

	.section .rodata
	.p2align 3
	.quad	func
	.quad	data + 0x40
	.reloc ., R_RISCV_32_PCREL, func
	.word	0
	.reloc ., R_RISCV_32_PCREL, other + 0x100
	.word	0
0:	.byte 0, 0, 0, 0
	.reloc 0b, R_RISCV_SET8, func
	.reloc 0b+1, R_RISCV_SET6, other
	.reloc 0b+2, R_RISCV_SET16, func
	.p2align 3
4:	.quad 0x1000, 0x2000
	/* A SUB carries no addend: assemblers fold the constant of a label
	 * difference into the ADD, and ld 2.40 would add a SUB's addend
	 * where the psABI (and the relocator) subtracts it. */
	.reloc 4b, R_RISCV_ADD64, func+4
	.reloc 4b, R_RISCV_SUB64, other
	.reloc 4b+8, R_RISCV_ADD32, func
	.reloc 4b+8, R_RISCV_SUB32, other
	.reloc 4b+12, R_RISCV_SET32, other+2
5:	.byte 0x55, 0x55, 0x34, 0x12, 0x77
	.reloc 5b, R_RISCV_ADD8, func
	.reloc 5b, R_RISCV_SUB8, other
	.reloc 5b+1, R_RISCV_SUB6, other
	.reloc 5b+2, R_RISCV_ADD16, other
	.reloc 5b+2, R_RISCV_SUB16, func
	.data
	.p2align 4
	.globl data
data:
	.zero 0x80
