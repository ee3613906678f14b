/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 (specification 0.6.96) as typed structures: the kernel's
 * header, the information structure a boot loader hands it in EBX, its
 * module list and memory map entries.
 *
 * Host-safe: only fixed-width fields, no inline assembly, so the loader
 * (on any host), the trampolines and the test payloads share one layout.
 * Values are in the target's byte order (little-endian, x86): a host
 * fills each field through pk_put32/pk_put64, never by plain assignment.
 * The static assertions pin every offset the specification gives.
 */
#ifndef PURGKIT_PROTO_MULTIBOOT_H
#define PURGKIT_PROTO_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

/* The header: in the kernel's first 8192 bytes, 4-byte aligned. */
#define PK_MULTIBOOT_HEADER_MAGIC	0x1BADB002u
#define PK_MULTIBOOT_SEARCH		8192
#define PK_MULTIBOOT_HEADER_ALIGN	4

/* Header flags: bits 0-15 must be honoured, 16-31 are optional. */
#define PK_MULTIBOOT_PAGE_ALIGN		(1u << 0)	/* modules */
#define PK_MULTIBOOT_MEMORY_INFO	(1u << 1)
#define PK_MULTIBOOT_VIDEO_MODE		(1u << 2)
#define PK_MULTIBOOT_REQUIRED_MASK	0x0000ffffu
#define PK_MULTIBOOT_AOUT_KLUDGE	(1u << 16)	/* address fields */

/* What the kernel finds in EAX. */
#define PK_MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002u

struct pk_multiboot_header {
	uint32_t magic;		/* PK_MULTIBOOT_HEADER_MAGIC */
	uint32_t flags;
	uint32_t checksum;	/* magic + flags + checksum == 0 (mod 2^32) */
	/* Valid with PK_MULTIBOOT_AOUT_KLUDGE. */
	uint32_t header_addr;	/* where this header lands in memory */
	uint32_t load_addr;	/* the file's text starts here */
	uint32_t load_end_addr;	/* 0: the file's end */
	uint32_t bss_end_addr;	/* 0: no bss */
	uint32_t entry_addr;
	/* Valid with PK_MULTIBOOT_VIDEO_MODE. */
	uint32_t mode_type;
	uint32_t width;
	uint32_t height;
	uint32_t depth;
};

/* The bytes that must be in the file for each part of the header. */
#define PK_MULTIBOOT_HEADER_MIN_SIZE	12	/* magic, flags, checksum */
#define PK_MULTIBOOT_HEADER_AOUT_SIZE	32	/* through entry_addr */

/* Information flags: which fields of pk_multiboot_info are valid. */
#define PK_MULTIBOOT_INFO_MEMORY	(1u << 0)	/* mem_lower/upper */
#define PK_MULTIBOOT_INFO_BOOTDEV	(1u << 1)
#define PK_MULTIBOOT_INFO_CMDLINE	(1u << 2)
#define PK_MULTIBOOT_INFO_MODS		(1u << 3)
#define PK_MULTIBOOT_INFO_AOUT_SYMS	(1u << 4)
#define PK_MULTIBOOT_INFO_ELF_SHDR	(1u << 5)
#define PK_MULTIBOOT_INFO_MEM_MAP	(1u << 6)
#define PK_MULTIBOOT_INFO_DRIVES	(1u << 7)
#define PK_MULTIBOOT_INFO_CONFIG_TABLE	(1u << 8)
#define PK_MULTIBOOT_INFO_LOADER_NAME	(1u << 9)
#define PK_MULTIBOOT_INFO_APM_TABLE	(1u << 10)
#define PK_MULTIBOOT_INFO_VBE		(1u << 11)
#define PK_MULTIBOOT_INFO_FRAMEBUFFER	(1u << 12)

/*
 * The information structure.  Every address is physical and 32-bit.
 * `reserved` pads to a size that is the same on every host (the 64-bit
 * framebuffer address would otherwise pad it to 116 or 120 bytes).
 */
struct pk_multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;		/* KiB from 0, at most 640 */
	uint32_t mem_upper;		/* KiB from 1 MiB to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;		/* NUL-terminated */
	uint32_t mods_count;
	uint32_t mods_addr;		/* struct pk_multiboot_module[] */
	uint32_t syms[4];		/* a.out symbols or ELF sections */
	uint32_t mmap_length;		/* bytes */
	uint32_t mmap_addr;		/* struct pk_multiboot_mmap_entry... */
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;	/* NUL-terminated */
	uint32_t apm_table;
	uint32_t vbe_control_info;
	uint32_t vbe_mode_info;
	uint16_t vbe_mode;
	uint16_t vbe_interface_seg;
	uint16_t vbe_interface_off;
	uint16_t vbe_interface_len;
	uint64_t framebuffer_addr;
	uint32_t framebuffer_pitch;
	uint32_t framebuffer_width;
	uint32_t framebuffer_height;
	uint8_t framebuffer_bpp;
	uint8_t framebuffer_type;
	uint8_t framebuffer_color_info[6];
	uint8_t reserved[4];
};

/* One boot module: [mod_start, mod_end) and its string. */
struct pk_multiboot_module {
	uint32_t mod_start;
	uint32_t mod_end;		/* exclusive */
	uint32_t cmdline;		/* NUL-terminated */
	uint32_t pad;			/* 0 */
};

/*
 * One memory map entry.  `size` counts the bytes after itself (20 here),
 * so the next entry is at this one + size + 4; the 64-bit fields are not
 * naturally aligned, hence packed.
 */
struct pk_multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;			/* 1 RAM, 3 ACPI, 4 NVS, 5 bad, else 2 */
} __attribute__((packed));

#define PK_MULTIBOOT_MMAP_ENTRY_SIZE_FIELD \
	(sizeof(struct pk_multiboot_mmap_entry) - sizeof(uint32_t))

/* The specification's offsets (section 3.1.1, 3.3). */
_Static_assert(offsetof(struct pk_multiboot_header, entry_addr) == 28,
	       "multiboot header entry_addr");
_Static_assert(sizeof(struct pk_multiboot_header) == 48,
	       "multiboot header size");
_Static_assert(offsetof(struct pk_multiboot_info, cmdline) == 16,
	       "multiboot info cmdline");
_Static_assert(offsetof(struct pk_multiboot_info, mods_addr) == 24,
	       "multiboot info mods_addr");
_Static_assert(offsetof(struct pk_multiboot_info, mmap_length) == 44,
	       "multiboot info mmap_length");
_Static_assert(offsetof(struct pk_multiboot_info, mmap_addr) == 48,
	       "multiboot info mmap_addr");
_Static_assert(offsetof(struct pk_multiboot_info, boot_loader_name) == 64,
	       "multiboot info boot_loader_name");
_Static_assert(offsetof(struct pk_multiboot_info, vbe_mode) == 80,
	       "multiboot info vbe_mode");
_Static_assert(offsetof(struct pk_multiboot_info, framebuffer_addr) == 88,
	       "multiboot info framebuffer_addr");
_Static_assert(offsetof(struct pk_multiboot_info, framebuffer_bpp) == 108,
	       "multiboot info framebuffer_bpp");
_Static_assert(offsetof(struct pk_multiboot_info, reserved) == 116,
	       "multiboot info framebuffer_color_info");
_Static_assert(sizeof(struct pk_multiboot_info) == 120,
	       "multiboot info size");
_Static_assert(sizeof(struct pk_multiboot_module) == 16,
	       "multiboot module size");
_Static_assert(offsetof(struct pk_multiboot_mmap_entry, addr) == 4 &&
	       offsetof(struct pk_multiboot_mmap_entry, type) == 20 &&
	       sizeof(struct pk_multiboot_mmap_entry) == 24,
	       "multiboot mmap entry layout");

#endif /* PURGKIT_PROTO_MULTIBOOT_H */
