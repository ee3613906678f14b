/* SPDX-License-Identifier: MIT */
/*
 * What the user asked for, as main() parsed it: the top layer's data,
 * read by the plan (and by payload types through plan->opts).
 */
#ifndef PURGKIT_LOADER_OPTIONS_H
#define PURGKIT_LOADER_OPTIONS_H

#include "util.h"

struct pk_module_option {
	char *path;
	char *string;		/* "FILE ARGS" as the user gave it */
};

struct pk_reg_option {
	char *name;		/* "rax", "esp", "cs", "r3" ... */
	uint64_t value;
};

struct pk_set_option {
	char *symbol;
	char *value;		/* as pk_reloc_set_value parses it */
};

struct pk_options {
	const char *payload;
	const char *type;		/* --type, NULL: detect */
	const char *arch;		/* --arch, NULL: memmap's, else host */
	const char *initrd;
	const char *command_line;	/* --append/--command-line */
	bool reuse_cmdline;
	const char *dtb;
	const char *purgatory;		/* --purgatory=FILE.ro */
	struct pk_set_option *sets;
	size_t set_count;
	struct pk_module_option *modules;
	size_t module_count;
	struct pk_reg_option *regs;
	size_t reg_count;

	bool console_given;
	uint32_t console_mask;
	uint32_t serial_port;
	uint32_t serial_baud;
	uint64_t memlog_base;		/* 0: the loader reserves one */
	uint64_t uart_base;		/* --console=pl011|uart8250|uart16550,
				 * ADDR; 0: none */
	uint32_t uart_reg_shift;	/* --console=uart8250,ADDR,SHIFT */

	bool no_checks;
	bool have_secondary_entry;
	uint64_t secondary_entry;
	bool have_address;
	uint64_t address;
	bool have_entry;
	uint64_t entry;
	int mode;			/* 64, 32, 16; 0: the type's default */
	bool real_mode;			/* --real-mode (sets mode 16) */
	/* --no-bios-irq-restore: the 16-bit hand-off leaves the interrupt
	 * controllers as the old kernel left them */
	bool no_bios_irq_restore;

	bool dry_run;
	bool json;
	bool gdb;			/* --gdb: print the gdb line after -l */
	const char *memmap_file;
	const char *dump_dir;		/* --dump-segments */
	int corrupt_segment;		/* --test-corrupt-segment, -1: none */
	bool load_panic;		/* -p: a capture kernel (crash.c) */
	/* enum pk_kexec_call (kexec_file.h): 0 kexec_load, -s, -a */
	int kexec_call;
	char kexec_call_option;		/* 'c', 's' or 'a' as given; 0 */
};

/*
 * The final command line: --reuse-cmdline's /proc/cmdline (without
 * BOOT_IMAGE=), then --append.  Never NULL; caller frees.
 */
char *pk_options_command_line(const struct pk_options *opts);

#endif /* PURGKIT_LOADER_OPTIONS_H */
