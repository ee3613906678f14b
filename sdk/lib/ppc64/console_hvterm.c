/* SPDX-License-Identifier: MIT */
/*
 * pSeries hypervisor terminal: H_PUT_TERM_CHAR (PAPR) to vterm 0, which
 * PowerVM, KVM and QEMU all take as "the console".
 *
 * The call: r4 = vterm number, r5 = length (at most 16), r6 and r7 = the
 * bytes packed big-endian (the first byte is the top byte of r6), whatever
 * the CPU's endianness.  H_BUSY and the long-busy codes mean "try again".
 */
#include <purgkit/arch/ppc64/cpu.h>
#include <purgkit/console.h>

#define HVTERM_VTERM 0
#define HVTERM_MAX_TRIES 100000

static void hvterm_write(const char *buf, size_t len)
{
	uint64_t args[6] = { HVTERM_VTERM, len, 0, 0, 0, 0 };
	unsigned long tries;
	size_t i;

	for (i = 0; i < len; i++)
		args[2 + i / 8] |= (uint64_t)(uint8_t)buf[i] << (56 - 8 * (i % 8));
	for (tries = 0; tries < HVTERM_MAX_TRIES; tries++) {
		int64_t rc = pk_hcall(PK_H_PUT_TERM_CHAR, args, NULL);

		if (rc != PK_H_BUSY && (rc < PK_H_LONG_BUSY_START ||
					rc > PK_H_LONG_BUSY_END))
			return;	/* written, or an error we cannot mend */
	}
}

static void hvterm_putc(struct pk_console *console, char c)
{
	if (c == '\n')
		hvterm_write("\r\n", 2);
	else
		hvterm_write(&c, 1);
}

void pk_console_hvterm_init(struct pk_console *console)
{
	console->name = "hvterm";
	console->putc = hvterm_putc;
	pk_console_register(console);
}
