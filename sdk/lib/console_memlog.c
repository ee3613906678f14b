/* SPDX-License-Identifier: MIT */
/*
 * The memory-log console: a struct pk_memlog_header followed by a ring
 * of bytes, for a next kernel or a debugger to read after the hand-off
 * (layout in purgkit/patch.h).  There is one ring per trampoline: a
 * second pk_console_memlog_init moves it.
 */
#include <purgkit/console.h>
#include <purgkit/patch.h>

static volatile struct pk_memlog_header *memlog;

static void memlog_putc(struct pk_console *console, char c)
{
	volatile struct pk_memlog_header *h = memlog;
	volatile char *ring = (volatile char *)(h + 1);
	uint64_t head = h->head;

	ring[head % h->size] = c;
	h->head = head + 1;
}

void pk_console_memlog_init(struct pk_console *console, uint64_t base,
			    uint64_t size)
{
	volatile struct pk_memlog_header *h;

	/* A ring needs at least one byte after the header. */
	if (!base || size <= sizeof(struct pk_memlog_header))
		return;
	h = (volatile struct pk_memlog_header *)(uintptr_t)base;
	h->magic = PK_MEMLOG_MAGIC;
	h->size = size - sizeof(struct pk_memlog_header);
	h->head = 0;
	h->reserved = 0;
	memlog = h;
	console->name = "memlog";
	console->putc = memlog_putc;
	pk_console_register(console);
}
