/* SPDX-License-Identifier: MIT */
/*
 * Architectures as data: one struct pk_arch row per architecture the
 * loader can plan for, defined in that architecture's own folder
 * (loader/<arch>/arch.c) and registered with one line,
 *
 *	PK_ARCH(pk_x86_64_arch);
 *
 * the way payload types register (PK_PAYLOAD_TYPE).  Generic code reaches
 * architecture code only through these rows: it never asks for an
 * architecture by name.  A hook a row leaves NULL is something the
 * architecture does not do, and the loader refuses it in one line that
 * names the architecture; it never falls back to another's.
 */
#ifndef PURGKIT_LOADER_ARCH_H
#define PURGKIT_LOADER_ARCH_H

#ifndef PK_HOST
#define PK_HOST 1
#endif
#include <purgkit/byteorder.h>
#include <purgkit/reloc.h>

#include "util.h"

struct pk_memmap;
struct pk_plan;
struct pk_crash;
struct pk_arch;

/*
 * The crash path's architecture part (-p; loader/crash.c is the generic
 * part, as the kernel's crash_prepare_elf64_headers is fed by its
 * architectures).  Called in this order by pk_crash_prepare.
 */
struct pk_crash_arch {
	/* crashkernel=SIZE that a refusal suggests ("256M"). */
	const char *reservation_hint;
	/*
	 * Read the running system's crash reservation(s) into crash
	 * (pk_crash_add_reservation, reservation_source); none is refused
	 * here, saying where it looked and how to make one (hint).
	 */
	int (*read_reservation)(struct pk_crash *crash, const char *hint);
	/*
	 * Optional, without --memmap only: read where the running kernel
	 * maps memory (direct_map, kernel_vaddr/paddr/size, vaddr_source)
	 * for the dump's p_vaddr; leaves them unset when it cannot.
	 */
	void (*read_vaddrs)(const struct pk_plan *plan,
			    struct pk_crash *crash);
	/* Non-zero: the direct map's base when nothing else said it (it is
	 * not randomized there), named direct_map_source for people. */
	uint64_t direct_map;
	const char *direct_map_source;
	/*
	 * The system map's reserved ranges are RAM of the memory nodes
	 * (they may lie in the reservation, and belong in the dump);
	 * false: only RAM ranges are.
	 */
	bool reserved_is_ram;
	/* Optional: refuse a placement reservation the trampoline or the
	 * capture kernel cannot run in. */
	int (*check_reservation)(const struct pk_plan *plan,
				 const struct pk_crash *crash);
	/*
	 * Non-zero: the capture kernel overwrites the first backup_size
	 * bytes of memory, so the trampoline copies them to a backup in the
	 * reservation first and the dump reads them from there.
	 */
	uint64_t backup_size;
	/* Optional: once the ELF core header is placed, fill crash->capture
	 * (the memory map the capture kernel is told about). */
	int (*capture_memmap)(struct pk_plan *plan);
};

/*
 * What the running kernel's own kexec_file_load(2) reads on this
 * architecture (-s, -a: loader/kexec_file.c): the image format its
 * kexec_file loaders probe, so that a file they would refuse is named
 * before the system call, in one line, instead of the kernel's ENOEXEC.
 */
struct pk_kexec_file_arch {
	/* For people: "an x86_64 bzImage (boot protocol 2.12 or later...)". */
	const char *image;
	/* 0 when the kernel's loader would take these (uncompressed) bytes;
	 * else -1 with the reason, one phrase, in why. */
	int (*check)(const struct pk_arch *arch, const uint8_t *data,
		     size_t size, char *why, size_t why_size);
};

struct pk_arch {
	const char *name;		/* --arch value, "arch" memmap line */
	enum pk_reloc_machine machine;	/* what its trampolines are built for */
	uint16_t elf_machine;		/* EM_*: the dump's e_machine */
	uint32_t kexec_flags;		/* KEXEC_ARCH_* for kexec_load */
	uint64_t page_size;		/* the kernel's page size by default */
	bool big_endian;
	uint32_t default_console;	/* PK_CONSOLE_* when no --console */
	/* This binary runs on it (its compiler's predefined macros). */
	bool is_host;
	/*
	 * Read the running system's memory map (when it is the host);
	 * NULL: only --memmap=FILE.
	 */
	int (*read_system_memmap)(struct pk_memmap *map);
	/*
	 * The end of the memory the trampoline can write its memory log
	 * in (0: no limit); NULL: --console=memlog is refused.
	 */
	uint64_t (*memlog_ceiling)(const struct pk_plan *plan);
	/* NULL: -p is refused. */
	const struct pk_crash_arch *crash;
	/* NULL: -s is refused (the kernel has no kexec_file_load here). */
	const struct pk_kexec_file_arch *kexec_file;
};

#define PK_ARCH(row) PK_ARCH_ROWS(row, &(row))
/*
 * Several rows of one file, in this order (the compiler may emit separate
 * variables in any order; an array keeps its own):
 *
 *	PK_ARCH_ROWS(ppc64, &pk_ppc64le_arch, &pk_ppc64_arch);
 */
#define PK_ARCH_ROWS(tag, ...)						\
	static const struct pk_arch *const pk_arch_rows_##tag[]	\
	__attribute__((used, section("pk_arches"),			\
		       aligned(sizeof(void *)))) = { __VA_ARGS__ }

/* Every registered architecture, in link order (the order of the
 * loader/<arch>/ folders in LOADER_SRCS); *count set. */
const struct pk_arch *const *pk_arches(size_t *count);
const struct pk_arch *pk_arch_find(const char *name);
/* The architecture this binary runs on, or NULL. */
const struct pk_arch *pk_arch_host(void);
/* "x86_64, ppc64le, ppc64": every name, for messages. */
const char *pk_arch_names(void);

/*
 * Store integers in the target's byte order (for patches and tables):
 * the loader's side of the one byte-order family (purgkit/byteorder.h).
 * A typed field is filled as pk_put64(arch, &regs.rip, entry).
 */
void pk_put16(const struct pk_arch *arch, void *dst, uint16_t value);
void pk_put32(const struct pk_arch *arch, void *dst, uint32_t value);
void pk_put64(const struct pk_arch *arch, void *dst, uint64_t value);
/* The same for a field whose size (1, 2, 4 or 8) is known at run time. */
void pk_put_uint(const struct pk_arch *arch, void *dst, size_t size,
		 uint64_t value);
uint64_t pk_get_uint(const struct pk_arch *arch, const void *src, size_t size);
/* Read a field of a typed structure: pk_get(arch, &ph.p_vaddr). */
#define pk_get(arch, field) pk_get_uint(arch, field, sizeof(*(field)))

#endif /* PURGKIT_LOADER_ARCH_H */
