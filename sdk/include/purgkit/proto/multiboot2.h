/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 2 (specification 2.0) as typed structures: the kernel's
 * header and its tags, and the boot information a boot loader hands it
 * in EBX (a fixed part, then tags, each 8-byte aligned).
 *
 * Host-safe: fixed-width fields only; values in the target's byte order
 * (little-endian, x86), written by a host through pk_put32/pk_put64.
 * The static assertions pin every offset the specification gives.
 */
#ifndef PURGKIT_PROTO_MULTIBOOT2_H
#define PURGKIT_PROTO_MULTIBOOT2_H

#include <stddef.h>
#include <stdint.h>

/* The header: in the kernel's first 32768 bytes, 8-byte aligned. */
#define PK_MULTIBOOT2_HEADER_MAGIC	0xE85250D6u
#define PK_MULTIBOOT2_SEARCH		32768
#define PK_MULTIBOOT2_HEADER_ALIGN	8
#define PK_MULTIBOOT2_ARCH_I386		0

/* What the kernel finds in EAX. */
#define PK_MULTIBOOT2_BOOTLOADER_MAGIC	0x36D76289u

/* Header tags and information tags alike are padded to 8 bytes. */
#define PK_MULTIBOOT2_TAG_ALIGN		8

struct pk_multiboot2_header {
	uint32_t magic;		/* PK_MULTIBOOT2_HEADER_MAGIC */
	uint32_t architecture;	/* PK_MULTIBOOT2_ARCH_I386 */
	uint32_t header_length;	/* tags included */
	uint32_t checksum;	/* the four fields sum to 0 (mod 2^32) */
};

/* Header tag types (section 3.1.3 onwards). */
enum pk_multiboot2_header_tag_type {
	PK_MULTIBOOT2_HEADER_TAG_END = 0,
	PK_MULTIBOOT2_HEADER_TAG_INFORMATION_REQUEST = 1,
	PK_MULTIBOOT2_HEADER_TAG_ADDRESS = 2,
	PK_MULTIBOOT2_HEADER_TAG_ENTRY_ADDRESS = 3,
	PK_MULTIBOOT2_HEADER_TAG_CONSOLE_FLAGS = 4,
	PK_MULTIBOOT2_HEADER_TAG_FRAMEBUFFER = 5,
	PK_MULTIBOOT2_HEADER_TAG_MODULE_ALIGN = 6,
	PK_MULTIBOOT2_HEADER_TAG_EFI_BS = 7,
	PK_MULTIBOOT2_HEADER_TAG_ENTRY_ADDRESS_EFI32 = 8,
	PK_MULTIBOOT2_HEADER_TAG_ENTRY_ADDRESS_EFI64 = 9,
	PK_MULTIBOOT2_HEADER_TAG_RELOCATABLE = 10,
};

/* A header tag the loader may ignore when it cannot honour it. */
#define PK_MULTIBOOT2_HEADER_TAG_OPTIONAL 1

struct pk_multiboot2_header_tag {
	uint16_t type;
	uint16_t flags;		/* PK_MULTIBOOT2_HEADER_TAG_OPTIONAL */
	uint32_t size;		/* this tag's bytes, padding excluded */
};

struct pk_multiboot2_header_tag_information_request {
	struct pk_multiboot2_header_tag tag;
	uint32_t requests[];	/* information tag types */
};

/* The same meaning as Multiboot 1's a.out kludge fields. */
struct pk_multiboot2_header_tag_address {
	struct pk_multiboot2_header_tag tag;
	uint32_t header_addr;
	uint32_t load_addr;	/* 0xffffffff: from the file's first byte */
	uint32_t load_end_addr;	/* 0: the file's end */
	uint32_t bss_end_addr;	/* 0: no bss */
};

struct pk_multiboot2_header_tag_entry_address {
	struct pk_multiboot2_header_tag tag;
	uint32_t entry_addr;
};

/* Information tag types (section 3.6). */
enum pk_multiboot2_tag_type {
	PK_MULTIBOOT2_TAG_END = 0,
	PK_MULTIBOOT2_TAG_CMDLINE = 1,
	PK_MULTIBOOT2_TAG_BOOT_LOADER_NAME = 2,
	PK_MULTIBOOT2_TAG_MODULE = 3,
	PK_MULTIBOOT2_TAG_BASIC_MEMINFO = 4,
	PK_MULTIBOOT2_TAG_BOOTDEV = 5,
	PK_MULTIBOOT2_TAG_MMAP = 6,
};

/* The information's fixed part, then its tags. */
struct pk_multiboot2_info {
	uint32_t total_size;	/* fixed part and every tag, end tag included */
	uint32_t reserved;
};

struct pk_multiboot2_tag {
	uint32_t type;
	uint32_t size;		/* this tag's bytes, padding excluded */
};

/* Command line and boot loader name. */
struct pk_multiboot2_tag_string {
	struct pk_multiboot2_tag tag;
	char string[];		/* NUL-terminated */
};

struct pk_multiboot2_tag_module {
	struct pk_multiboot2_tag tag;
	uint32_t mod_start;
	uint32_t mod_end;	/* exclusive */
	char cmdline[];		/* NUL-terminated */
};

struct pk_multiboot2_tag_basic_meminfo {
	struct pk_multiboot2_tag tag;
	uint32_t mem_lower;	/* KiB from 0, at most 640 */
	uint32_t mem_upper;	/* KiB from 1 MiB to the first hole */
};

struct pk_multiboot2_mmap_entry {
	uint64_t addr;
	uint64_t len;
	uint32_t type;		/* 1 RAM, 3 ACPI, 4 NVS, 5 bad, else 2 */
	uint32_t zero;
};

struct pk_multiboot2_tag_mmap {
	struct pk_multiboot2_tag tag;
	uint32_t entry_size;	/* sizeof(struct pk_multiboot2_mmap_entry) */
	uint32_t entry_version;	/* 0 */
	struct pk_multiboot2_mmap_entry entries[];
};

/* The specification's offsets. */
_Static_assert(sizeof(struct pk_multiboot2_header) == 16,
	       "multiboot2 header size");
_Static_assert(sizeof(struct pk_multiboot2_header_tag) == 8,
	       "multiboot2 header tag size");
_Static_assert(offsetof(struct pk_multiboot2_header_tag, size) == 4,
	       "multiboot2 header tag size field");
_Static_assert(offsetof(struct pk_multiboot2_header_tag_address,
			bss_end_addr) == 20 &&
	       sizeof(struct pk_multiboot2_header_tag_address) == 24,
	       "multiboot2 address tag layout");
_Static_assert(offsetof(struct pk_multiboot2_header_tag_entry_address,
			entry_addr) == 8 &&
	       sizeof(struct pk_multiboot2_header_tag_entry_address) == 12,
	       "multiboot2 entry address tag layout");
_Static_assert(sizeof(struct pk_multiboot2_info) == 8,
	       "multiboot2 information fixed part");
_Static_assert(sizeof(struct pk_multiboot2_tag) == 8 &&
	       offsetof(struct pk_multiboot2_tag_string, string) == 8,
	       "multiboot2 string tag layout");
_Static_assert(offsetof(struct pk_multiboot2_tag_module, mod_end) == 12 &&
	       offsetof(struct pk_multiboot2_tag_module, cmdline) == 16,
	       "multiboot2 module tag layout");
_Static_assert(sizeof(struct pk_multiboot2_tag_basic_meminfo) == 16,
	       "multiboot2 basic memory information tag size");
_Static_assert(offsetof(struct pk_multiboot2_tag_mmap, entries) == 16 &&
	       sizeof(struct pk_multiboot2_mmap_entry) == 24 &&
	       offsetof(struct pk_multiboot2_mmap_entry, type) == 16,
	       "multiboot2 memory map tag layout");

#endif /* PURGKIT_PROTO_MULTIBOOT2_H */
