/* SPDX-License-Identifier: MIT */
/*
 * OPAL console (PowerNV, skiboot): OPAL_CONSOLE_WRITE on terminal 0.
 *
 * OPAL_CONSOLE_WRITE(term, &length, buffer): length is a big-endian
 * 64-bit value in memory that OPAL updates to the bytes it took.  The
 * call itself (pk_opal_call) runs OPAL big-endian in real mode with
 * r2 = OPAL's base and puts our endianness back.  OPAL_BUSY and
 * OPAL_BUSY_EVENT mean "try again".  The base and entry come from the
 * loader (pk_opal_base, pk_opal_entry: /ibm,opal/opal-base-address and
 * opal-entry-address); there is one OPAL, hence one console.
 */
#include <purgkit/arch/ppc64/cpu.h>
#include <purgkit/console.h>
#include <purgkit/fdt.h>

#define OPAL_TERMINAL 0
#define OPAL_MAX_TRIES 1000

static uint64_t opal_base, opal_entry;

static void opal_write(const char *buf, size_t len)
{
	unsigned int tries;

	for (tries = 0; tries < OPAL_MAX_TRIES && len; tries++) {
		uint64_t be_len = pk_cpu_to_be64(len);
		int64_t rc = pk_opal_call(PK_OPAL_CONSOLE_WRITE, OPAL_TERMINAL,
					  (uint64_t)(uintptr_t)&be_len,
					  (uint64_t)(uintptr_t)buf, opal_base,
					  opal_entry);
		uint64_t done = pk_be64_to_cpu(be_len);

		if (rc == PK_OPAL_SUCCESS && done <= len) {
			buf += done;
			len -= done;
		} else if (rc != PK_OPAL_BUSY && rc != PK_OPAL_BUSY_EVENT) {
			return;
		}
	}
}

static void opal_putc(struct pk_console *console, char c)
{
	if (c == '\n')
		opal_write("\r\n", 2);
	else
		opal_write(&c, 1);
}

void pk_console_opal_init(struct pk_console *console, uint64_t base,
			  uint64_t entry)
{
	opal_base = base;
	opal_entry = entry;
	console->name = "opal";
	console->putc = opal_putc;
	pk_console_register(console);
}
