/* SPDX-License-Identifier: MIT */
/*
 * The x86 Linux boot protocol's structures (Documentation/arch/x86/boot.rst
 * and zeropage.rst), as the boot loader sees them: the setup header a
 * bzImage carries at offset 0x1f1, the boot_params ("zero page") a loader
 * fills, and its e820 entries.  Host-safe: fixed-width fields only, no
 * inline assembly, so the loader on any host and a trampoline can include
 * it.  Multi-byte fields are little-endian in memory (x86 byte order);
 * the loader stores them through its byte-order helpers.  Only the fields
 * a boot loader reads or writes are named; the rest are kept as bytes so
 * the offsets stay right (each one is pinned below).
 */
#ifndef PURGKIT_PROTO_LINUX_X86_H
#define PURGKIT_PROTO_LINUX_X86_H

#include <stddef.h>
#include <stdint.h>

#define PK_LINUX_SETUP_HEADER_OFFSET	0x1f1	/* in the file and boot_params */
#define PK_LINUX_BOOT_FLAG		0xaa55
#define PK_LINUX_HEADER_MAGIC		"HdrS"
#define PK_LINUX_SECTOR			512
#define PK_LINUX_DEFAULT_SETUP_SECTS	4	/* when setup_sects is 0 */

/* loadflags */
#define PK_LINUX_LOADED_HIGH		0x01	/* a bzImage: kernel at 1 MiB+ */
#define PK_LINUX_KEEP_SEGMENTS		0x40
#define PK_LINUX_CAN_USE_HEAP		0x80	/* heap_end_ptr is valid */

/* xloadflags (2.12+) */
#define PK_LINUX_XLF_KERNEL_64		0x01	/* 64-bit entry at +0x200 */
#define PK_LINUX_XLF_CAN_BE_LOADED_ABOVE_4G 0x02

/* type_of_loader: 0xff, "undefined" (purgkit has no registered ID). */
#define PK_LINUX_LOADER_UNDEFINED	0xff

/*
 * Defaults of fields older protocols lack: initrd_addr_max before 2.03,
 * cmdline_size (without the NUL) before 2.06, the load address of a
 * bzImage that does not say (pref_address before 2.10).
 */
#define PK_LINUX_OLD_INITRD_ADDR_MAX	0x37ffffff
#define PK_LINUX_OLD_CMDLINE_SIZE	255
#define PK_LINUX_BZIMAGE_ADDRESS	0x100000

/*
 * The real-mode layout for the 16-bit entry (boot.rst, "Loading the
 * rest of the kernel" and "Running the kernel" for protocol 2.02+): the
 * boot sector and setup code at the segment base, heap and stack up to
 * PK_LINUX_REAL_HEAP_END, the command line from there to the segment's
 * end.  heap_end_ptr = heap end - 0x200; SP = heap end.
 */
#define PK_LINUX_REAL_HEAP_END		0xe000
#define PK_LINUX_REAL_SEGMENT_SIZE	0x10000
#define PK_LINUX_REAL_ENTRY_SEGMENT	0x20	/* CS = base segment + 0x20 */
#define PK_LINUX_REAL_LIMIT		0xa0000	/* 640 KiB */

/* The setup header (boot.rst, "The real-mode kernel header"). */
struct pk_linux_setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;		/* 16-byte units (32 bits from 2.04) */
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;		/* 0xaa55 */
	uint16_t jump;			/* 0xeb, end of header - 0x202 */
	uint32_t header;		/* "HdrS" */
	uint16_t version;		/* 0x020c = 2.12 */
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;		/* the 32-bit entry */
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;		/* 2.01+ */
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;		/* 2.02+ */
	uint32_t initrd_addr_max;	/* 2.03+ */
	uint32_t kernel_alignment;	/* 2.05+ */
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;		/* 2.12+ */
	uint32_t cmdline_size;		/* 2.06+ */
	uint32_t hardware_subarch;	/* 2.07+ */
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;	/* 2.08+, from the protected-mode start */
	uint32_t payload_length;
	uint64_t setup_data;		/* 2.09+ */
	uint64_t pref_address;		/* 2.10+ */
	uint32_t init_size;
	uint32_t handover_offset;	/* 2.11+ */
	uint32_t kernel_info_offset;	/* 2.15+ */
} __attribute__((packed));

/* One e820 entry (struct boot_e820_entry). */
struct pk_linux_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

#define PK_LINUX_E820_MAX		128	/* entries in boot_params */
#define PK_LINUX_SETUP_E820_EXT		1	/* setup_data type */

/* A setup_data node's header; its data follows. */
struct pk_linux_setup_data {
	uint64_t next;
	uint32_t type;
	uint32_t len;
} __attribute__((packed));

/* boot_params, the zero page (zeropage.rst). */
struct pk_linux_boot_params {
	uint8_t screen_info_etc[0xc0];		/* screen, APM, IST, ACPI ... */
	uint32_t ext_ramdisk_image;		/* high 32 bits */
	uint32_t ext_ramdisk_size;
	uint32_t ext_cmd_line_ptr;
	uint8_t unused_0cc[0x1e8 - 0xcc];	/* EDID, EFI info ... */
	uint8_t e820_entries;
	uint8_t unused_1e9[0x1ef - 0x1e9];
	uint8_t sentinel;			/* 0: hdr is as the loader set it */
	uint8_t unused_1f0;
	struct pk_linux_setup_header hdr;
	uint8_t unused_26c[0x2d0 - 0x26c];	/* EDD MBR signatures ... */
	struct pk_linux_e820_entry e820_table[PK_LINUX_E820_MAX];
	uint8_t unused_cd0[0x1000 - 0xcd0];	/* EDD buffer */
} __attribute__((packed));

#define PK_LINUX_HDR_OFFSET(field) \
	(offsetof(struct pk_linux_boot_params, hdr) + \
	 offsetof(struct pk_linux_setup_header, field))

/* The offsets boot.rst and zeropage.rst give, pinned. */
_Static_assert(sizeof(struct pk_linux_e820_entry) == 20, "boot_e820_entry");
_Static_assert(sizeof(struct pk_linux_setup_data) == 16, "setup_data");
_Static_assert(sizeof(struct pk_linux_setup_header) == 0x26c - 0x1f1,
	       "setup_header");
_Static_assert(sizeof(struct pk_linux_boot_params) == 4096, "boot_params");
_Static_assert(offsetof(struct pk_linux_boot_params, ext_ramdisk_image) ==
	       0x0c0, "ext_ramdisk_image");
_Static_assert(offsetof(struct pk_linux_boot_params, ext_cmd_line_ptr) ==
	       0x0c8, "ext_cmd_line_ptr");
_Static_assert(offsetof(struct pk_linux_boot_params, e820_entries) == 0x1e8,
	       "e820_entries");
_Static_assert(offsetof(struct pk_linux_boot_params, sentinel) == 0x1ef,
	       "sentinel");
_Static_assert(offsetof(struct pk_linux_boot_params, hdr) ==
	       PK_LINUX_SETUP_HEADER_OFFSET, "hdr");
_Static_assert(offsetof(struct pk_linux_boot_params, e820_table) == 0x2d0,
	       "e820_table");
_Static_assert(PK_LINUX_HDR_OFFSET(syssize) == 0x1f4, "syssize");
_Static_assert(PK_LINUX_HDR_OFFSET(boot_flag) == 0x1fe, "boot_flag");
_Static_assert(PK_LINUX_HDR_OFFSET(jump) == 0x200, "jump");
_Static_assert(PK_LINUX_HDR_OFFSET(header) == 0x202, "header");
_Static_assert(PK_LINUX_HDR_OFFSET(version) == 0x206, "version");
_Static_assert(PK_LINUX_HDR_OFFSET(type_of_loader) == 0x210, "type_of_loader");
_Static_assert(PK_LINUX_HDR_OFFSET(loadflags) == 0x211, "loadflags");
_Static_assert(PK_LINUX_HDR_OFFSET(code32_start) == 0x214, "code32_start");
_Static_assert(PK_LINUX_HDR_OFFSET(ramdisk_image) == 0x218, "ramdisk_image");
_Static_assert(PK_LINUX_HDR_OFFSET(heap_end_ptr) == 0x224, "heap_end_ptr");
_Static_assert(PK_LINUX_HDR_OFFSET(cmd_line_ptr) == 0x228, "cmd_line_ptr");
_Static_assert(PK_LINUX_HDR_OFFSET(initrd_addr_max) == 0x22c, "initrd_addr_max");
_Static_assert(PK_LINUX_HDR_OFFSET(kernel_alignment) == 0x230,
	       "kernel_alignment");
_Static_assert(PK_LINUX_HDR_OFFSET(relocatable_kernel) == 0x234,
	       "relocatable_kernel");
_Static_assert(PK_LINUX_HDR_OFFSET(xloadflags) == 0x236, "xloadflags");
_Static_assert(PK_LINUX_HDR_OFFSET(cmdline_size) == 0x238, "cmdline_size");
_Static_assert(PK_LINUX_HDR_OFFSET(payload_offset) == 0x248, "payload_offset");
_Static_assert(PK_LINUX_HDR_OFFSET(setup_data) == 0x250, "setup_data");
_Static_assert(PK_LINUX_HDR_OFFSET(pref_address) == 0x258, "pref_address");
_Static_assert(PK_LINUX_HDR_OFFSET(init_size) == 0x260, "init_size");
_Static_assert(PK_LINUX_HDR_OFFSET(kernel_info_offset) == 0x268,
	       "kernel_info_offset");

#endif /* PURGKIT_PROTO_LINUX_X86_H */
