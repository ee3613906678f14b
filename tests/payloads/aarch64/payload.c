/* SPDX-License-Identifier: MIT */
/*
 * aarch64 test payload: says over the PL011 at x1 (--reg x1=ADDR; QEMU
 * virt's is 0x9000000) the state the raw hand-off gave it, then powers
 * the machine off through PSCI: by SMC at EL2 or when x2 is 1 (QEMU's
 * conduit when the machine has an EL2, virtualization=on), else by HVC.
 * The test reads:
 *   payload: EL<n> sctlr.m <0|1> sctlr.c <0|1> sctlr.i <0|1> daif <hex>
 *   payload: x0=<hex> x1=<hex> x2=<hex> x3=<hex> fdt <yes|no>
 *   payload: done
 */
#include <stdint.h>

uint64_t payload_entry_regs[4];		/* x0..x3 at the entry */
void payload_main(void);

static volatile uint32_t *uart;

static void put(const char *s)
{
	for (; *s; s++) {
		while (uart[0x18 / 4] & (1u << 5))	/* TXFF */
			;
		if (*s == '\n')
			uart[0] = '\r';
		while (uart[0x18 / 4] & (1u << 5))
			;
		uart[0] = (uint8_t)*s;
	}
}

static void put_hex(uint64_t v)
{
	char buf[19] = "0x";
	int i;

	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	buf[18] = 0;
	put(buf);
}

static void put_bit(const char *name, uint64_t v, int bit)
{
	put(name);
	put((v >> bit) & 1 ? " 1" : " 0");
}

void payload_main(void)
{
	uint64_t el, sctlr, daif, x0 = payload_entry_regs[0];
	const uint8_t *fdt = (const uint8_t *)(uintptr_t)x0;

	uart = (volatile uint32_t *)(uintptr_t)payload_entry_regs[1];
	__asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
	el = (el >> 2) & 3;
	if (el == 2)
		__asm__ volatile("mrs %0, sctlr_el2" : "=r"(sctlr));
	else
		__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	put(el == 2 ? "payload: EL2" : "payload: EL1");
	put_bit(" sctlr.m", sctlr, 0);
	put_bit(" sctlr.c", sctlr, 2);
	put_bit(" sctlr.i", sctlr, 12);
	put(" daif ");
	put_hex(daif);
	put("\npayload: x0=");
	put_hex(x0);
	put(" x1=");
	put_hex(payload_entry_regs[1]);
	put(" x2=");
	put_hex(payload_entry_regs[2]);
	put(" x3=");
	put_hex(payload_entry_regs[3]);
	/* A flattened device tree starts with the magic 0xd00dfeed. */
	put(x0 && !(x0 & 3) && fdt[0] == 0xd0 && fdt[1] == 0x0d &&
	    fdt[2] == 0xfe && fdt[3] == 0xed ? " fdt yes\n" : " fdt no\n");
	put("payload: done\n");
	/* PSCI SYSTEM_OFF. */
	if (el == 2 || payload_entry_regs[2] == 1)
		__asm__ volatile("mov x0, #0x0008; movk x0, #0x8400, lsl #16;"
				 " smc #0" : : : "x0", "memory");
	else
		__asm__ volatile("mov x0, #0x0008; movk x0, #0x8400, lsl #16;"
				 " hvc #0" : : : "x0", "memory");
}
