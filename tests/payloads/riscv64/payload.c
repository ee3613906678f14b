/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 test payload: says what it was entered with, in one line
 * the tests read, through the SBI legacy console (every OpenSBI has it),
 * then powers the machine off through SBI SRST, so a test ends when the
 * payload has spoken:
 *
 *   payload: riscv64 a0=0x0 a1=0x9fe00000 tree-magic=0xd00dfeed
 */
#include <stdint.h>

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_SRST 0x53525354	/* "SRST": system reset */
#define SBI_SRST_SHUTDOWN 0

void payload_main(uint64_t a0, uint64_t a1) __attribute__((noreturn));

static long sbi(unsigned long ext, unsigned long fid, unsigned long arg0,
		unsigned long arg1)
{
	register unsigned long r0 __asm__("a0") = arg0;
	register unsigned long r1 __asm__("a1") = arg1;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r6), "r"(r7)
			 : "memory");
	return (long)r0;
}

static void put(const char *s)
{
	for (; *s; s++)
		sbi(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s, 0);
}

static void put_hex(uint64_t v)
{
	char buf[19], *p = buf + sizeof(buf) - 1;

	*p = 0;
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	put(p);
}

void payload_main(uint64_t a0, uint64_t a1)
{
	const volatile uint8_t *tree = (const volatile uint8_t *)a1;
	uint32_t magic = 0;

	if (a1)
		magic = (uint32_t)tree[0] << 24 | (uint32_t)tree[1] << 16 |
			(uint32_t)tree[2] << 8 | tree[3];
	put("payload: riscv64 a0=");
	put_hex(a0);
	put(" a1=");
	put_hex(a1);
	put(" tree-magic=");
	put_hex(magic);
	put("\n");
	sbi(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, 0);
	for (;;)
		__asm__ volatile("wfi");
}
