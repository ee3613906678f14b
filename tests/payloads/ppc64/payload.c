/* SPDX-License-Identifier: MIT */
/*
 * ppc64 test payload: says over the hypervisor console (H_PUT_TERM_CHAR)
 * which endianness it runs in, the primary's CPU number and registers,
 * and which secondary CPUs reached payload_secondary.  It expects r4 =
 * the number of secondaries to wait for (--reg r4=N) and gives up
 * waiting after a while, saying so.  The test reads these lines:
 *   payload: <big|little>-endian primary cpu <n> msr_le <0|1>
 *   payload: r3=... r4=... ... r10=...
 *   payload: <k> of <n> secondaries arrived: cpus <a> <b> ...
 *   payload: done
 */
#include <stdint.h>

uint64_t payload_entry_regs[9];		/* r3..r10, MSR */
volatile uint32_t payload_arrived;
volatile uint32_t payload_cpus[64];

static int64_t hcall_put(uint64_t len, uint64_t hi, uint64_t lo)
{
	register uint64_t r3 __asm__("r3") = 0x58;	/* H_PUT_TERM_CHAR */
	register uint64_t r4 __asm__("r4") = 0;		/* vterm 0 */
	register uint64_t r5 __asm__("r5") = len;
	register uint64_t r6 __asm__("r6") = hi;
	register uint64_t r7 __asm__("r7") = lo;

	__asm__ volatile("sc 1"
			 : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
			 :
			 : "r0", "r8", "r9", "r10", "r11", "r12", "ctr",
			   "xer", "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	return (int64_t)r3;
}

static void put(const char *s)
{
	while (*s) {
		uint64_t w[2] = { 0, 0 };
		int n = 0;

		while (*s && n < 16) {
			if (*s == '\n' && n > 14)
				break;
			if (*s == '\n')
				w[n / 8] |= (uint64_t)'\r' << (56 - 8 * (n % 8)),
				n++;
			w[n / 8] |= (uint64_t)(uint8_t)*s++ << (56 - 8 * (n % 8));
			n++;
		}
		while (hcall_put(n, w[0], w[1]) == 1)	/* H_BUSY */
			;
	}
}

static void put_hex(uint64_t v)
{
	char buf[19];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	buf[18] = '\0';
	put(buf);
}

static void put_dec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = '\0';
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	put(buf + i);
}

void payload_main(void)
{
	uint64_t want = payload_entry_regs[1];	/* r4 */
	uint64_t msr = payload_entry_regs[8];
	uint64_t spins;
	uint32_t got;
	int i;

	put(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "payload: little" :
							 "payload: big");
	put("-endian primary cpu ");
	put_dec(payload_entry_regs[0]);
	put(" msr_le ");
	put_dec(msr & 1);
	put("\npayload:");
	for (i = 0; i < 8; i++) {
		put(" r");
		put_dec(3 + i);
		put("=");
		put_hex(payload_entry_regs[i]);
	}
	put("\n");
	for (spins = 0; spins < 400000000ull; spins++) {
		if (payload_arrived >= want)
			break;
		__asm__ volatile("or 1,1,1; or 2,2,2" : : : "memory");
	}
	got = payload_arrived;
	put("payload: ");
	put_dec(got);
	put(" of ");
	put_dec(want);
	put(" secondaries arrived: cpus");
	for (i = 0; i < (int)got && i < 64; i++) {
		put(" ");
		put_dec(payload_cpus[i]);
	}
	put("\npayload: done\n");
	for (;;)
		__asm__ volatile("or 1,1,1" : : : "memory");
}
