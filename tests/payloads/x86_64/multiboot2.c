/* SPDX-License-Identifier: MIT */
/*
 * A Multiboot 2 test kernel: checks the magic, the mode, the boot
 * information's tags and the command line convention
 * (multiboot_convention.h), prints them, and ends QEMU.
 */
#include <stdint.h>
#include "payload.h"
#include "multiboot_convention.h"

#define MB2_MAGIC 0xE85250D6u
#define MB2_ARCH_I386 0u
#define MB2_BOOT_MAGIC 0x36D76289u

struct mb2_header {
	uint32_t magic, architecture, header_length, checksum;
	/* the end tag */
	uint16_t end_type, end_flags;
	uint32_t end_size;
};

__attribute__((section(".multiboot"), used, aligned(8)))
static const struct mb2_header multiboot2_header = {
	MB2_MAGIC, MB2_ARCH_I386, sizeof(struct mb2_header),
	(uint32_t)-(MB2_MAGIC + MB2_ARCH_I386 + sizeof(struct mb2_header)),
	0, 0, 8,
};

struct mb2_tag {
	uint32_t type, size;
};

uint8_t stack[8192] __attribute__((aligned(16)));

void payload_main(uint32_t magic, const uint8_t *info);

PAYLOAD_MULTIBOOT_START;

void payload_main(uint32_t magic, const uint8_t *info)
{
	uint32_t cr0, eflags, total, offset;
	int ok = 1, saw_mmap = 0, saw_end = 0, saw_cmdline = 0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("pushfl; popl %0" : "=r"(eflags));
	put_str("payload: multiboot2 kernel running\n");
	put_field("payload: eax", magic, 8);
	put_field("ebx", (uint32_t)info, 8);
	put_field("cr0", cr0, 8);
	put_char('\n');
	if (magic != MB2_BOOT_MAGIC || ((uint32_t)info & 7)) {
		put_str("payload: bad magic or unaligned boot information\n");
		finish(0);
	}
	put_str("payload: magic ok\n");
	if (!(cr0 & 1) || (cr0 & 0x80000000u) || (eflags & 0x200)) {
		put_str("payload: wrong mode\n");
		ok = 0;
	} else {
		put_str("payload: mode ok: protected, paging off, IF=0\n");
	}
	put_entry_stack_and_idt();
	total = *(const uint32_t *)info;
	put_str("payload: total_size=");
	put_dec(total);
	put_char('\n');
	for (offset = 8; offset + 8 <= total;) {
		const struct mb2_tag *tag = (const void *)(info + offset);
		const uint32_t *w = (const uint32_t *)tag;

		switch (tag->type) {
		case 0:
			saw_end = 1;
			break;
		case 1:
			put_str("payload: cmdline='");
			put_str((const char *)(w + 2));
			put_str("'\n");
			saw_cmdline = 1;
			ok &= put_name_and_args("cmdline",
						(const char *)(w + 2));
			break;
		case 2:
			put_str("payload: boot loader='");
			put_str((const char *)(w + 2));
			put_str("'\n");
			break;
		case 3:
			put_str("payload: module ");
			put_field("start", w[2], 8);
			put_field("end", w[3], 8);
			put_str("string='");
			put_str((const char *)(w + 4));
			put_str("'\n");
			ok &= put_name_and_args("module string",
						(const char *)(w + 4));
			break;
		case 4:
			put_str("payload: mem_lower=");
			put_dec(w[2]);
			put_str("KiB mem_upper=");
			put_dec(w[3]);
			put_str("KiB\n");
			break;
		case 6: {
			uint32_t entry_size = w[2], p;

			saw_mmap = 1;
			for (p = 16; p + entry_size <= tag->size; p += entry_size) {
				const uint8_t *e = (const uint8_t *)tag + p;

				put_str("payload: mmap ");
				put_hex(*(const uint64_t *)e, 12);
				put_str(" len ");
				put_hex(*(const uint64_t *)(e + 8), 12);
				put_str(" type ");
				put_dec(*(const uint32_t *)(e + 16));
				put_char('\n');
			}
			break;
		}
		default:
			put_str("payload: tag ");
			put_dec(tag->type);
			put_char('\n');
		}
		if (saw_end)
			break;
		offset += (tag->size + 7) & ~7u;
	}
	if (!saw_mmap || !saw_end || !saw_cmdline) {
		put_str("payload: missing command line, memory map or end "
			"tag\n");
		ok = 0;
	}
	finish(ok);
}
