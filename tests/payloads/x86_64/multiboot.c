/* SPDX-License-Identifier: MIT */
/*
 * A Multiboot 1 test kernel.  It checks what the specification promises
 * (magic in EAX, protected mode with paging off, the info structure) and
 * the command line convention (multiboot_convention.h), prints
 * everything it received, then ends QEMU through isa-debug-exit.
 */
#include <stdint.h>
#include "payload.h"
#include "multiboot_convention.h"

#define MB_MAGIC 0x1BADB002u
#define MB_FLAGS 0x00000003u	/* page-align modules, want memory info */
#define MB_BOOT_MAGIC 0x2BADB002u

__attribute__((section(".multiboot"), used, aligned(4)))
static const uint32_t multiboot_header[3] = {
	MB_MAGIC, MB_FLAGS, (uint32_t)-(MB_MAGIC + MB_FLAGS)
};

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

uint8_t stack[8192] __attribute__((aligned(16)));

void payload_main(uint32_t magic, const struct mb_info *info);

PAYLOAD_MULTIBOOT_START;

/* Parse "memlog=0x<hex>" from the command line; 0 when absent. */
static uint32_t memlog_address(const char *cmdline)
{
	const char *key = "memlog=0x";
	uint32_t v = 0;

	for (; *cmdline; cmdline++) {
		int i = 0;

		while (key[i] && cmdline[i] == key[i])
			i++;
		if (key[i])
			continue;
		for (cmdline += i; *cmdline; cmdline++) {
			char c = *cmdline;

			if (c >= '0' && c <= '9')
				v = v * 16 + (uint32_t)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (uint32_t)(c - 'a' + 10);
			else
				break;
		}
		return v;
	}
	return 0;
}

/*
 * Print what the trampoline wrote into its memory log (struct
 * pk_memlog_header, then the ring), one "payload: memlog| " per line: the
 * proof that the log survives into the next program.
 */
static void print_memlog(uint32_t address)
{
	const uint64_t *header = (const uint64_t *)address;
	const char *ring = (const char *)(address + 32);
	/* 32-bit arithmetic: no libgcc here, and the log is small. */
	uint32_t size = (uint32_t)header[1], head = (uint32_t)header[2], i, start;
	int at_line_start = 1;

	put_field("payload: memlog at", address, 8);
	if (header[0] != 0x474f4c4b47525550ull || size == 0) {
		put_str("has no purgkit log header\n");
		return;
	}
	put_str("bytes=");
	put_dec(head);
	put_char('\n');
	start = head > size ? head - size : 0;
	for (i = start; i < head; i++) {
		char c = ring[i % size];

		if (at_line_start)
			put_str("payload: memlog| ");
		put_char(c);
		at_line_start = c == '\n';
	}
	if (!at_line_start)
		put_char('\n');
}

void payload_main(uint32_t magic, const struct mb_info *info)
{
	uint32_t cr0, eflags, i;
	int ok = 1;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("pushfl; popl %0" : "=r"(eflags));
	put_str("payload: multiboot1 kernel running\n");
	put_field("payload: eax", magic, 8);
	put_field("ebx", (uint32_t)info, 8);
	put_field("cr0", cr0, 8);
	put_field("eflags", eflags, 8);
	put_char('\n');
	if (magic != MB_BOOT_MAGIC) {
		put_str("payload: bad magic\n");
		finish(0);
	}
	put_str("payload: magic ok\n");
	if (!(cr0 & 1) || (cr0 & 0x80000000u) || (eflags & 0x200)) {
		put_str("payload: wrong mode (want PE=1 PG=0 IF=0)\n");
		ok = 0;
	} else {
		put_str("payload: mode ok: protected, paging off, IF=0\n");
	}
	put_entry_stack_and_idt();
	put_field("payload: flags", info->flags, 8);
	put_char('\n');
	if (info->flags & 1) {
		put_str("payload: mem_lower=");
		put_dec(info->mem_lower);
		put_str("KiB mem_upper=");
		put_dec(info->mem_upper);
		put_str("KiB\n");
	} else {
		ok = 0;
	}
	if (info->flags & (1u << 2)) {
		put_str("payload: cmdline='");
		put_str((const char *)info->cmdline);
		put_str("'\n");
		ok &= put_name_and_args("cmdline", (const char *)info->cmdline);
		if (memlog_address((const char *)info->cmdline))
			print_memlog(memlog_address((const char *)info->cmdline));
	} else {
		put_str("payload: no command line\n");
		ok = 0;
	}
	if (info->flags & (1u << 9)) {
		put_str("payload: boot loader='");
		put_str((const char *)info->boot_loader_name);
		put_str("'\n");
	}
	if (info->flags & (1u << 3)) {
		const struct mb_module *m = (const void *)info->mods_addr;

		put_str("payload: modules=");
		put_dec(info->mods_count);
		put_char('\n');
		for (i = 0; i < info->mods_count; i++) {
			put_str("payload: module ");
			put_dec(i);
			put_char(' ');
			put_field("start", m[i].start, 8);
			put_field("end", m[i].end, 8);
			put_str("string='");
			put_str((const char *)m[i].string);
			put_str("' first-bytes='");
			for (uint32_t b = m[i].start; b < m[i].end && b < m[i].start + 16; b++) {
				char c = *(const char *)b;
				put_char(c >= 32 && c < 127 ? c : '.');
			}
			put_str("'\n");
			ok &= put_name_and_args("module string",
						(const char *)m[i].string);
			if (m[i].start & 0xfff) {
				put_str("payload: module not page-aligned\n");
				ok = 0;
			}
		}
	}
	if (info->flags & (1u << 6)) {
		uint32_t p = info->mmap_addr;
		uint32_t end = info->mmap_addr + info->mmap_length;
		uint64_t usable = 0;

		while (p < end) {
			const struct mb_mmap *e = (const void *)p;

			put_str("payload: mmap ");
			put_hex(e->addr, 12);
			put_str("..");
			put_hex(e->addr + e->len, 12);
			put_str(" type ");
			put_dec(e->type);
			put_char('\n');
			if (e->type == 1)
				usable += e->len;
			p += e->size + 4;
		}
		put_str("payload: usable MiB=");
		put_dec((uint32_t)(usable >> 20));
		put_char('\n');
	} else {
		put_str("payload: no memory map\n");
		ok = 0;
	}
	finish(ok);
}
