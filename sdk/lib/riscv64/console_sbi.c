/* SPDX-License-Identifier: MIT */
/*
 * The SBI debug console: the firmware's own console, which needs no
 * address.  DBCN (SBI 2.0, "Debug Console" extension) writes a buffer
 * by its physical address, which is ours (satp = 0); firmware without it
 * gets the legacy console_putchar call (extension 0x01), one byte each.
 */
#include <purgkit/arch/riscv64/cpu.h>
#include "riscv64.h"

static int use_dbcn;

static void sbi_write(const char *buf, unsigned long len)
{
	unsigned long i;

	if (use_dbcn) {
		/* DBCN may write fewer bytes than asked: go on from there. */
		while (len) {
			struct pk_sbi_ret ret = pk_sbi_call(
				PK_SBI_EXT_DBCN, PK_SBI_DBCN_WRITE, len,
				(unsigned long)(uintptr_t)buf, 0);

			if (ret.error || ret.value <= 0 ||
			    (unsigned long)ret.value > len)
				return;
			buf += ret.value;
			len -= (unsigned long)ret.value;
		}
		return;
	}
	for (i = 0; i < len; i++)
		pk_sbi_call(PK_SBI_EXT_LEGACY_PUTCHAR, 0,
			    (unsigned char)buf[i], 0, 0);
}

static void sbi_putc(struct pk_console *console, char c)
{
	if (c == '\n')
		sbi_write("\r\n", 2);
	else
		sbi_write(&c, 1);
}

void pk_console_sbi_init(struct pk_console *console)
{
	use_dbcn = pk_sbi_probe(PK_SBI_EXT_DBCN);
	console->name = use_dbcn ? "sbi-dbcn" : "sbi-legacy";
	console->putc = sbi_putc;
	pk_console_register(console);
}
