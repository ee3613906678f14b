/* SPDX-License-Identifier: MIT */
/*
 * purgkit-load: load a payload and a trampoline with kexec_load(2), or a
 * Linux kernel with kexec_file_load(2) (-s, -a: kexec_file.c).
 * Options are spelled as kexec-tools spells them where the concept is
 * the same (-l, -e, -u, -p, -s, -a, -c, --type, --initrd, --append,
 * --reuse-cmdline, --dtb, --purgatory).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <purgkit/input.h>

#include "kexec.h"
#include "kexec_file.h"
#include "options.h"
#include "output.h"
#include "plan.h"

#ifndef PK_VERSION
#define PK_VERSION "unknown"
#endif

enum {
	OPT_TYPE = 256, OPT_INITRD, OPT_APPEND, OPT_REUSE_CMDLINE, OPT_DTB,
	OPT_PURGATORY, OPT_SET, OPT_CONSOLE, OPT_NO_CHECKS,
	OPT_SECONDARY_ENTRY, OPT_MODULE, OPT_ADDRESS, OPT_ENTRY, OPT_MODE,
	OPT_REAL_MODE, OPT_NO_BIOS_IRQ_RESTORE,
	OPT_REG, OPT_DRY_RUN, OPT_JSON, OPT_MEMMAP, OPT_VERSION, OPT_ARCH,
	OPT_DUMP_SEGMENTS, OPT_TEST_CORRUPT, OPT_GDB,
};

static const struct option pk_long_options[] = {
	{ "load", required_argument, NULL, 'l' },
	{ "exec", no_argument, NULL, 'e' },
	{ "unload", no_argument, NULL, 'u' },
	{ "load-panic", no_argument, NULL, 'p' },
	{ "status", no_argument, NULL, 'S' },
	{ "kexec-file-syscall", no_argument, NULL, 's' },
	{ "kexec-syscall-auto", no_argument, NULL, 'a' },
	{ "kexec-syscall", no_argument, NULL, 'c' },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_APPEND },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE_CMDLINE },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "purgatory", required_argument, NULL, OPT_PURGATORY },
	{ "set", required_argument, NULL, OPT_SET },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "no-checks", no_argument, NULL, OPT_NO_CHECKS },
	{ "secondary-entry", required_argument, NULL, OPT_SECONDARY_ENTRY },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "address", required_argument, NULL, OPT_ADDRESS },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "real-mode", no_argument, NULL, OPT_REAL_MODE },
	{ "no-bios-irq-restore", no_argument, NULL, OPT_NO_BIOS_IRQ_RESTORE },
	{ "reg", required_argument, NULL, OPT_REG },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "gdb", no_argument, NULL, OPT_GDB },
	{ "memmap", required_argument, NULL, OPT_MEMMAP },
	{ "dump-segments", required_argument, NULL, OPT_DUMP_SEGMENTS },
	{ "test-corrupt-segment", required_argument, NULL, OPT_TEST_CORRUPT },
	{ "debug", no_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void pk_usage(FILE *out)
{
	const struct pk_payload_type *const *types;
	size_t count;

	fprintf(out,
"usage: purgkit-load -l|--load PAYLOAD [--type=TYPE] [options]\n"
"       purgkit-load -e|--exec        reboot into the loaded image\n"
"       purgkit-load -u|--unload      drop the loaded image\n"
"       purgkit-load -p|--load-panic -l PAYLOAD [options]\n"
"                                     load a capture kernel, run when this\n"
"                                     kernel panics (-u -p drops it)\n"
"       purgkit-load -S|--status [-p] is a normal (crash) image loaded?\n"
"       purgkit-load PAYLOAD [options] load, then reboot into it\n"
"\n"
"system call:\n"
"  -c, --kexec-syscall     kexec_load with purgkit's trampoline (default)\n"
"  -s, --kexec-file-syscall\n"
"                          kexec_file_load: a Linux kernel, the kernel's own\n"
"                          loader and purgatory, no trampoline; what kernel\n"
"                          lockdown (Secure Boot) allows, if it is signed\n"
"  -a, --kexec-syscall-auto\n"
"                          kexec_file_load, else kexec_load (saying which)\n"
"\n"
"payload:\n"
"  --type=TYPE             payload type (detected when not given):\n");
	types = pk_payload_types(&count);
	for (size_t i = 0; i < count; i++)
		fprintf(out, "                            %-10s %s [%s]\n",
			types[i]->name, types[i]->summary, types[i]->arches);
	fprintf(out,
"  --arch=ARCH             %s (default: the memory\n"
"                          map's, else this machine's)\n"
"  --initrd=FILE           initial ramdisk (linux)\n"
"  --append=STRING, --command-line=STRING\n"
"                          the payload's command line\n"
"  --reuse-cmdline         start from this kernel's /proc/cmdline\n"
"  --module=\"FILE ARGS\"    a boot module (multiboot, multiboot2; aarch64\n"
"                          linux: a /chosen/module@ADDR node); repeatable\n"
"  --dtb=FILE              device tree blob (ppc64, aarch64)\n"
"  --address=ADDR          where a raw payload goes\n"
"  --entry=ADDR            entry point (raw, elf)\n"
"  --mode=64|32|16         CPU mode at the entry (x86_64 raw, elf, linux)\n"
"  --real-mode             --mode=16: a bzImage's 16-bit real-mode entry\n"
"  --no-bios-irq-restore   16-bit entry: leave the 8259s, PIT and local APIC\n"
"                          as the old kernel left them (default: as the\n"
"                          BIOS left them, so its timer services work)\n"
"  --reg NAME=VALUE        a register at the entry (raw, elf); repeatable\n"
"  --secondary-entry=ADDR  ppc64 raw: where held secondaries are released\n"
"trampoline:\n"
"  --purgatory=FILE.ro     your own trampoline instead of the built-in one\n"
"  --set SYMBOL=VALUE      patch a trampoline symbol (VALUE: an integer,\n"
"                          a \"string\" or @FILE); repeatable\n"
"  --console=serial[,PORT[,BAUD]]|vga|debugcon|hvterm|opal|memlog[,ADDR]|none\n"
"                          the trampoline's console; repeatable\n"
"  --no-checks             skip the SHA-256 check of the segments\n"
"plan:\n"
"  --dry-run               do everything but the system call and print the\n"
"                          plan (no privilege needed)\n"
"  --json                  print the plan as JSON\n"
"  --gdb                   after the load, print the gdb command that loads\n"
"                          the placed trampoline's symbols (the plan has it)\n"
"  --memmap=FILE           read the memory map from FILE\n"
"  --dump-segments=DIR     write each segment's bytes to DIR/segment-N.bin\n"
"  --test-corrupt-segment=N\n"
"                          test hook: flip a bit of segment N after its\n"
"                          digest was taken (the trampoline must refuse)\n"
"  -d, --debug             explain each decision\n"
"  -h, --help              this text;  --version  the version\n",
		pk_arch_names());
}

/*
 * Split "name,a,b" at every comma, empty fields kept (so "serial,,9600"
 * is refused rather than read as "serial,9600").  Returns the count, or
 * PK_CONSOLE_FIELDS + 1 when there are more.
 */
#define PK_CONSOLE_FIELDS 3
static size_t pk_console_split(char *copy, char *fields[PK_CONSOLE_FIELDS])
{
	size_t count = 0;

	for (char *p = copy; p; count++) {
		char *comma = strchr(p, ',');

		if (count == PK_CONSOLE_FIELDS)
			return count + 1;
		fields[count] = p;
		if (comma)
			*comma++ = '\0';
		p = comma;
	}
	return count;
}

static int pk_report_failure(void);

static int pk_parse_console(struct pk_options *opts, const char *arg)
{
	char *copy = pk_xstrdup(arg);
	char *field[PK_CONSOLE_FIELDS] = { NULL };
	size_t count = pk_console_split(copy, field);
	const char *name = field[0];
	/* How many fields each console takes, its name included. */
	size_t most = !strcmp(name, "serial") ? 3 :
		      !strcmp(name, "uart8250") ||
		      !strcmp(name, "uart16550") ? 3 :
		      !strcmp(name, "memlog") || !strcmp(name, "pl011") ? 2 : 1;
	char what[64];
	uint64_t value;
	int ret = 0;

	if (!opts->console_given)
		opts->console_mask = 0;
	opts->console_given = true;
	if (!*name) {
		ret = pk_error("--console=%s: no console name", arg);
	} else if (strchr(name, ' ') ||
		   !pk_word_in("serial memlog vga debugcon hvterm opal pl011 "
			       "uart8250 sbi uart16550 none", name)) {
		ret = pk_error("--console=%s: unknown console '%s' (serial, "
			       "vga, debugcon, hvterm, opal, pl011, uart8250, "
			       "uart16550, sbi, memlog, none)", arg, name);
	} else if (count > most) {
		ret = pk_error("--console=%s: %s takes %s; the rest is one "
			       "field too many", arg, name,
			       most == 3 && !strcmp(name, "serial") ?
					   "at most PORT and BAUD" :
			       most == 3 ? "at most ADDR and SHIFT" :
			       most == 2 ? "at most an ADDR" :
					   "no parameters");
	} else if (!strcmp(name, "serial")) {
		opts->console_mask |= PK_CONSOLE_SERIAL;
		snprintf(what, sizeof(what), "--console=serial port");
		if (field[1] && pk_parse_number(what, field[1], &value))
			ret = -1;
		else if (field[1] && value > 0xffff)
			ret = pk_error("--console=serial: port %s is above "
				       "the last I/O port 0xffff", field[1]);
		else if (field[1])
			opts->serial_port = value;
		snprintf(what, sizeof(what), "--console=serial baud");
		if (ret || !field[2])
			;
		else if (pk_parse_number(what, field[2], &value))
			ret = -1;
		else if (!value || value > 115200)
			ret = pk_error("--console=serial: baud %s is not a "
				       "rate from 1 to 115200", field[2]);
		else
			opts->serial_baud = value;
	} else if (!strcmp(name, "memlog")) {
		opts->console_mask |= PK_CONSOLE_MEMLOG;
		if (field[1] && pk_parse_number("--console=memlog address",
						field[1], &value))
			ret = -1;
		else if (field[1] && value == 0)
			ret = pk_error("--console=memlog: address 0 is not "
				       "one the log can be kept at");
		else if (field[1])
			opts->memlog_base = value;
	} else if (!strcmp(name, "pl011") || !strcmp(name, "uart8250") ||
		   !strcmp(name, "uart16550")) {
		/* MMIO UARTs: the address of their registers (and an 8250's
		 * register stride, log2); the runtime writes nothing without
		 * an address.  uart16550 is another name of uart8250 (one
		 * register interface; riscv64 boards call it ns16550a). */
		opts->console_mask |= !strcmp(name, "pl011") ?
			PK_CONSOLE_PL011 : PK_CONSOLE_UART8250;
		snprintf(what, sizeof(what), "--console=%s address", name);
		if (!field[1])
			ret = pk_error("--console=%s needs the UART's address: "
				       "--console=%s,ADDR", name, name);
		else if (pk_parse_number(what, field[1], &value))
			ret = -1;
		else if (!value)
			ret = pk_error("--console=%s: address 0 is no UART's",
				       name);
		else
			opts->uart_base = value;
		snprintf(what, sizeof(what), "--console=%s register shift",
			 name);
		if (ret || !field[2])
			;
		else if (pk_parse_number(what, field[2], &value))
			ret = -1;
		else if (value != 0 && value != 2)
			ret = pk_error("--console=%s: register shift %s is "
				       "neither 0 (bytes) nor 2 (32-bit words)",
				       name, field[2]);
		else
			opts->uart_reg_shift = (uint32_t)value;
	} else if (!strcmp(name, "vga")) {
		opts->console_mask |= PK_CONSOLE_VGA;
	} else if (!strcmp(name, "debugcon")) {
		opts->console_mask |= PK_CONSOLE_DEBUGCON;
	} else if (!strcmp(name, "hvterm")) {
		opts->console_mask |= PK_CONSOLE_HVTERM;
	} else if (!strcmp(name, "opal")) {
		opts->console_mask |= PK_CONSOLE_OPAL;
	} else if (!strcmp(name, "sbi")) {
		opts->console_mask |= PK_CONSOLE_SBI;
	} else {
		opts->console_mask = 0;		/* none */
	}
	free(copy);
	return ret;
}

static int pk_parse_address(const char *option, const char *arg,
			    uint64_t *value)
{
	return pk_parse_number(option, arg, value);
}

static int pk_parse_module(struct pk_options *opts, const char *arg)
{
	struct pk_module_option *m;
	size_t len = strcspn(arg, " \t");

	if (len == 0)
		return pk_error("--module needs \"FILE [ARGS]\"");
	opts->modules = pk_xgrow(opts->modules, opts->module_count,
				 sizeof(*opts->modules));
	m = &opts->modules[opts->module_count++];
	m->path = pk_xzalloc(len + 1);
	memcpy(m->path, arg, len);
	m->string = pk_xstrdup(arg);
	return 0;
}

static int pk_parse_assignment(const char *option, const char *arg,
			       char **name, char **value)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		return pk_error("%s: expected NAME=VALUE, got '%s'", option,
				arg);
	*name = pk_xzalloc(eq - arg + 1);
	memcpy(*name, arg, eq - arg);
	*value = pk_xstrdup(eq + 1);
	return 0;
}

/*
 * A single-value option takes optarg once: a second one is refused, not
 * silently preferred (a script's two --initrd must not pick one).
 */
static int pk_option_once(const char **slot, const char *option)
{
	if (*slot)
		return pk_error("%s given twice ('%s' and '%s'): it takes one "
				"value", option, *slot, optarg);
	*slot = optarg;
	return 0;
}

static int pk_parse_options(int argc, char **argv, struct pk_options *opts,
			    int *action)
{
	int c;

	/* One line of our own for a bad option, not getopt's as well. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":l:eudhpSsac", pk_long_options,
				NULL)) != -1) {
		int ret = 0;
		char *name, *value;

		switch (c) {
		case 'l':
			if (opts->payload)
				return pk_error("-l/--load given twice ('%s' "
						"and '%s'): one payload a run",
						opts->payload, optarg);
			*action = 'l';
			opts->payload = optarg;
			break;
		case 'e':
		case 'u':
		case 'S':
			*action = c;
			break;
		case 'p':
			opts->load_panic = true;
			break;
		case 's':
		case 'a':
		case 'c':
			if (opts->kexec_call_option &&
			    opts->kexec_call_option != c)
				return pk_error("-%c contradicts the earlier -%c: "
						"one system call a run", c,
						opts->kexec_call_option);
			opts->kexec_call_option = c;
			opts->kexec_call = c == 's' ? PK_CALL_KEXEC_FILE :
					   c == 'a' ? PK_CALL_AUTO :
						      PK_CALL_KEXEC_LOAD;
			break;
		case 'd':
			pk_debug_enabled = true;
			break;
		case 'h':
			pk_usage(stdout);
			exit(pk_stdout_flush() ? pk_report_failure() : 0);
		case OPT_VERSION:
			printf("purgkit-load %s\n", PK_VERSION);
			exit(pk_stdout_flush() ? pk_report_failure() : 0);
		case OPT_TYPE:
			ret = pk_option_once(&opts->type, "--type");
			break;
		case OPT_ARCH:
			ret = pk_option_once(&opts->arch, "--arch");
			break;
		case OPT_INITRD:
			ret = pk_option_once(&opts->initrd, "--initrd");
			break;
		case OPT_APPEND:
			ret = pk_option_once(&opts->command_line,
					     "--append/--command-line");
			break;
		case OPT_REUSE_CMDLINE:
			opts->reuse_cmdline = true;
			break;
		case OPT_DTB:
			ret = pk_option_once(&opts->dtb, "--dtb");
			break;
		case OPT_PURGATORY:
			ret = pk_option_once(&opts->purgatory, "--purgatory");
			break;
		case OPT_SET:
			ret = pk_parse_assignment("--set", optarg, &name,
						  &value);
			if (ret)
				break;
			opts->sets = pk_xgrow(opts->sets, opts->set_count,
					      sizeof(*opts->sets));
			opts->sets[opts->set_count++] =
				(struct pk_set_option){ name, value };
			break;
		case OPT_CONSOLE:
			ret = pk_parse_console(opts, optarg);
			break;
		case OPT_NO_CHECKS:
			opts->no_checks = true;
			break;
		case OPT_SECONDARY_ENTRY:
			if (opts->have_secondary_entry) {
				ret = pk_error("--secondary-entry given twice "
					       "(at '%s'): it takes one value",
					       optarg);
				break;
			}
			opts->have_secondary_entry = true;
			ret = pk_parse_address("--secondary-entry", optarg,
					       &opts->secondary_entry);
			break;
		case OPT_MODULE:
			ret = pk_parse_module(opts, optarg);
			break;
		case OPT_ADDRESS:
			if (opts->have_address) {
				ret = pk_error("--address given twice (at "
					       "'%s'): it takes one value",
					       optarg);
				break;
			}
			opts->have_address = true;
			ret = pk_parse_address("--address", optarg,
					       &opts->address);
			break;
		case OPT_ENTRY:
			if (opts->have_entry) {
				ret = pk_error("--entry given twice (at '%s'): "
					       "it takes one value", optarg);
				break;
			}
			opts->have_entry = true;
			ret = pk_parse_address("--entry", optarg,
					       &opts->entry);
			break;
		case OPT_MODE:
		case OPT_REAL_MODE: {
			/* --real-mode is kexec-tools' spelling of --mode=16. */
			int mode = c == OPT_REAL_MODE ? 16 :
				   !strcmp(optarg, "64") ? 64 :
				   !strcmp(optarg, "32") ? 32 :
				   !strcmp(optarg, "16") ? 16 : 0;

			if (!mode)
				ret = pk_error("--mode=%s: expected 64, 32 or "
					       "16", optarg);
			else if (opts->mode && opts->mode != mode)
				ret = pk_error("%s contradicts the earlier "
					       "--mode=%d", c == OPT_REAL_MODE ?
					       "--real-mode (--mode=16)" :
					       "--mode", opts->mode);
			else
				opts->mode = mode;
			opts->real_mode |= c == OPT_REAL_MODE;
			break;
		}
		case OPT_REG: {
			uint64_t number;

			ret = pk_parse_assignment("--reg", optarg, &name,
						  &value);
			if (ret)
				break;
			char what[64];

			snprintf(what, sizeof(what), "--reg %.40s", name);
			if (pk_parse_number(what, value, &number)) {
				ret = -1;
				free(name);
				free(value);
				break;
			}
			free(value);
			opts->regs = pk_xgrow(opts->regs, opts->reg_count,
					      sizeof(*opts->regs));
			opts->regs[opts->reg_count++] =
				(struct pk_reg_option){ name, number };
			break;
		}
		case OPT_NO_BIOS_IRQ_RESTORE:
			opts->no_bios_irq_restore = true;
			break;
		case OPT_DRY_RUN:
			opts->dry_run = true;
			break;
		case OPT_JSON:
			opts->json = true;
			break;
		case OPT_GDB:
			opts->gdb = true;
			break;
		case OPT_MEMMAP:
			ret = pk_option_once(&opts->memmap_file, "--memmap");
			break;
		case OPT_DUMP_SEGMENTS:
			ret = pk_option_once(&opts->dump_dir,
					     "--dump-segments");
			break;
		case OPT_TEST_CORRUPT: {
			uint64_t n;

			if (pk_parse_u64(optarg, &n) || n >= 16)
				ret = pk_error("--test-corrupt-segment=%s: "
					       "expected 0..15", optarg);
			else
				opts->corrupt_segment = n;
			break;
		}
		case ':':
		default: {
			char why[512];

			pk_option_refusal(pk_long_options, argv[optind - 1],
					  optopt, c == ':', why, sizeof(why));
			return pk_error("%s (see --help)", why);
		}
		}
		if (ret)
			return -1;
	}
	if (optind < argc) {
		if (opts->payload || *action == 'e' || *action == 'u' ||
		    *action == 'S')
			return pk_error("unexpected argument '%s'", argv[optind]);
		opts->payload = argv[optind++];
		/* kexec -p FILE loads; the panic is what runs it. */
		*action = opts->load_panic ? 'l' : 'x';
		if (optind < argc)
			return pk_error("unexpected argument '%s'",
					argv[optind]);
	}
	if (!*action)
		return pk_error("nothing to do: give -l PAYLOAD, -e, -u, -S or "
				"PAYLOAD (see --help)");
	if (opts->dry_run && (*action == 'e' || *action == 'u' ||
			      *action == 'S'))
		return pk_error("--dry-run plans a load; it does not go with "
				"-%c", *action);
	if (opts->load_panic && *action == 'e')
		return pk_error("-p with -e: a capture kernel is not executed "
				"by hand; it runs when this kernel panics");
	return 0;
}

static int pk_report_failure(void)
{
	const char *message = pk_error_message();

	fprintf(stderr, "purgkit-load: %s\n",
		message ? message : "failed for an unknown reason");
	return 1;
}

static void pk_options_free(struct pk_options *opts)
{
	for (size_t i = 0; i < opts->module_count; i++) {
		free(opts->modules[i].path);
		free(opts->modules[i].string);
	}
	for (size_t i = 0; i < opts->reg_count; i++)
		free(opts->regs[i].name);
	for (size_t i = 0; i < opts->set_count; i++) {
		free(opts->sets[i].symbol);
		free(opts->sets[i].value);
	}
	free(opts->modules);
	free(opts->regs);
	free(opts->sets);
}

int main(int argc, char **argv)
{
	struct pk_options opts = { .corrupt_segment = -1 };
	struct pk_plan plan;
	int action = 0;
	int ret;

	pk_guard_standard_fds();
	if (pk_parse_options(argc, argv, &opts, &action)) {
		pk_options_free(&opts);
		return pk_report_failure();
	}
	if (action == 'S') {
		bool loaded = false;

		ret = pk_kexec_status(opts.load_panic, &loaded);
		pk_options_free(&opts);
		/* As kexec -S: 0 when the image asked about is loaded. */
		return ret ? pk_report_failure() : loaded ? 0 : 1;
	}
	if (action == 'u' || action == 'e') {
		const struct pk_arch *arch =
			pk_arch_find(opts.arch ? opts.arch : "") ?:
				pk_arch_host();

		ret = action == 'u' ? pk_kexec_file_unload(&opts, arch) :
				      pk_kexec_reboot();
		pk_options_free(&opts);
		return ret ? pk_report_failure() : 0;
	}
	if (opts.kexec_call != PK_CALL_KEXEC_LOAD) {
		/* 1: -a chose kexec_load, and said why. */
		ret = pk_kexec_file_load(&opts);
		if (ret <= 0) {
			if (!ret && action == 'x' && !opts.dry_run &&
			    pk_kexec_reboot()) {
				/* Nothing stays loaded that was meant to run
				 * now. */
				pk_kexec_file_unload(&opts, pk_arch_host());
				ret = -1;
			}
			pk_options_free(&opts);
			return ret ? pk_report_failure() : 0;
		}
	}
	/* Before anything is built: lockdown refuses every kexec_load. */
	if (pk_lockdown_check_kexec_load(&opts)) {
		pk_options_free(&opts);
		return pk_report_failure();
	}
	ret = pk_plan_build(&plan, &opts);
	if (!ret && opts.dump_dir)
		ret = pk_plan_dump_segments(&plan, opts.dump_dir);
	if (!ret && (opts.dry_run || opts.json || pk_debug_enabled))
		ret = pk_plan_print(&plan, opts.json);
	if (!ret && !opts.dry_run) {
		ret = pk_kexec_load(&plan);
		if (!ret && opts.gdb) {
			char *gdb = pk_plan_gdb_command(&plan);

			printf("purgkit-load: gdb: %s\n", gdb);
			free(gdb);
			ret = pk_stdout_flush();
		}
		if (!ret && action == 'x' && pk_kexec_reboot()) {
			/* Nothing stays loaded that was meant to run now. */
			pk_kexec_unload(plan.arch, false);
			ret = -1;
		}
	}
	pk_plan_free(&plan);
	pk_options_free(&opts);
	return ret ? pk_report_failure() : 0;
}
