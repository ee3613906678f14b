/* SPDX-License-Identifier: MIT */
/*
 * purgkit-link: place a relocatable trampoline (ld -r output) at an
 * address and write its bytes (--format bin) or an executable ELF of it
 * (--format elf).  The work is libpurgkit-reloc's; this is its command.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gelf.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <purgkit/input.h>
#include <purgkit/reloc.h>

#include "reloc_internal.h"

#define PROG "purgkit-link"

static const char usage[] =
"Usage: " PROG " [--base ADDR] [--set SYMBOL=VALUE]... [--format bin|elf]\n"
"                    [--map] -o OUT IN.ro\n"
"Place a relocatable trampoline (the ET_REL that ld -r makes) at ADDR,\n"
"as GNU ld would link it there, for x86_64, ppc64le (ELFv2), big-endian\n"
"ppc64 (ELFv1), aarch64 or riscv64 (as ld --no-relax); the target is read\n"
"from IN.ro.\n"
"\n"
"  -b, --base ADDR       the image's first byte (default 0); a multiple of\n"
"                        the largest section alignment\n"
"  -s, --set SYM=VALUE   after relocating, overwrite symbol SYM, whose size\n"
"                        must match: VALUE is an integer (decimal or 0x...,\n"
"                        written in the target's byte order at the symbol's\n"
"                        size), a \"string\" (NUL-terminated, zero-padded to\n"
"                        the symbol's size), or @FILE (exactly its size)\n"
"  -f, --format FMT      bin: the image bytes from ADDR, zero-fill included\n"
"                        (default); elf: an executable ELF whose sections\n"
"                        and symbols carry their placed addresses\n"
"  -m, --map             print sections, entry point and patchable symbols\n"
"  -o, --output OUT      the file to write (nothing is written on error)\n"
"  -h, --help            this text;  -V, --version  the version\n"
"\n"
"Sections are placed in file order from ADDR upward, each at its alignment,\n"
"zero-filled sections last.  Errors are one line on stderr, exit status 1.\n"
"See purgkit-link(1).\n";

/* One line on stderr; names come from the user, so it is escaped. */
static void __attribute__((format(printf, 1, 2)))
complain(const char *fmt, ...)
{
	char raw[2048], line[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	pk_text_escape(raw, line, sizeof(line));
	fprintf(stderr, PROG ": %s\n", line);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	char raw[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	complain("%s", raw);
	exit(1);
}

/* Apply one --set; returns 0 or -1 with the message on stderr. */
static int apply_set(struct pk_reloc *r, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[256];

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(name)) {
		complain("--set %s: expected SYMBOL=VALUE", arg);
		return -1;
	}
	memcpy(name, arg, eq - arg);
	name[eq - arg] = 0;
	if (pk_reloc_set_value(r, name, eq + 1)) {
		complain("%s", pk_reloc_error(r));
		return -1;
	}
	return 0;
}

static void print_map(struct pk_reloc *r, const char *in)
{
	struct pk_reloc_section s;
	struct pk_reloc_symbol sym;
	uint64_t entry;
	size_t i;

	printf("%s: %s, base 0x%llx, 0x%llx bytes (0x%llx from the file), "
	       "alignment 0x%llx\n", in, pk_reloc_machine_name(r),
	       (unsigned long long)pk_reloc_base(r),
	       (unsigned long long)pk_reloc_size(r),
	       (unsigned long long)pk_reloc_file_size(r),
	       (unsigned long long)pk_reloc_align(r));
	printf("\nSections:\n  %-18s  %-10s  %-6s  %s\n", "address", "size",
	       "align", "name");
	for (i = 0; pk_reloc_section_at(r, i, &s) == 0; i++)
		printf("  0x%016llx  0x%08llx  0x%-4llx  %s%s\n",
		       (unsigned long long)s.address,
		       (unsigned long long)s.size,
		       (unsigned long long)s.align, s.name,
		       s.zero_fill ? " (zero-fill)" : "");
	if (pk_reloc_entry(r, &entry) == 0)
		printf("\nEntry: 0x%016llx (pk_entry)\n",
		       (unsigned long long)entry);
	else
		printf("\nEntry: none (no pk_entry symbol)\n");
	printf("\nPatchable symbols (.pk.patch):\n");
	if (pk_reloc_patchable_count(r) == 0)
		printf("  none\n");
	else
		printf("  %-18s  %-10s  %s\n", "address", "size", "name");
	for (i = 0; pk_reloc_patchable_at(r, i, &sym) == 0; i++)
		printf("  0x%016llx  0x%08llx  %s\n",
		       (unsigned long long)sym.address,
		       (unsigned long long)sym.size, sym.name);
}

/*
 * The temporary output while it is written: removed on SIGTERM, SIGINT or
 * SIGHUP too, so an interrupted run leaves nothing behind.
 */
static char *volatile pk_tmp_path;

static void remove_tmp_and_die(int sig)
{
	char *path = pk_tmp_path;

	if (path)
		unlink(path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = remove_tmp_and_die;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The library's error without its "IN: " prefix: the output is at fault. */
static const char *output_error(struct pk_reloc *r, const char *in)
{
	const char *e = pk_reloc_error(r);
	size_t n = strlen(in);

	if (!strncmp(e, in, n) && e[n] == ':' && e[n + 1] == ' ')
		return e + n + 2;
	return e;
}

static int write_image(struct pk_reloc *r, const char *format, int fd)
{
	return !strcmp(format, "elf") ? pk_reloc_write_elf(r, fd) :
					pk_reloc_write_bin(r, fd);
}

/* The process umask (reading it means setting it; put it straight back). */
static mode_t current_umask(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return mask;
}

/* Exit 1 if anything printed to stdout was lost (--map > /dev/full). */
static void flush_stdout(void)
{
	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		die("standard output: write failed: %s",
		    strerror(errno ? errno : EIO));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "set", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "map", no_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *in, *format = "bin";
	const char *base_text = NULL, *format_text = NULL;
	struct stat st, in_st;
	/* Static: still reachable when die() exits, so no leak is reported. */
	static const char **sets;
	char err[1024], *tmp;
	size_t nsets = 0, i;
	uint64_t base = 0;
	struct pk_reloc *r;
	int c, map = 0, fd, rc;

	sets = calloc(argc, sizeof(*sets));
	if (!sets)
		die("out of memory");
	/* One line of our own for a bad option, not getopt's as well. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:s:f:mo:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'b': {
			const char *why = pk_number_parse(optarg, &base);

			if (base_text)
				die("--base given twice ('%s' and '%s')",
				    base_text, optarg);
			base_text = optarg;
			if (why)
				die("--base: '%s' %s", optarg, why);
			break;
		}
		case 's':
			sets[nsets++] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "bin") && strcmp(optarg, "elf"))
				die("--format %s: expected bin or elf",
				    optarg);
			if (format_text)
				die("--format given twice ('%s' and '%s')",
				    format_text, optarg);
			format = format_text = optarg;
			break;
		case 'm':
			map = 1;
			break;
		case 'o':
			if (out)
				die("-o given twice ('%s' and '%s')", out,
				    optarg);
			if (!*optarg)
				die("-o: the output file name is empty");
			out = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			free(sets);
			flush_stdout();
			return 0;
		case 'V':
			printf(PROG " (purgkit) %s\n", PURGKIT_VERSION);
			free(sets);
			flush_stdout();
			return 0;
		case ':':
		default:
			pk_option_refusal(opts, argv[optind - 1], optopt,
					  c == ':', err, sizeof(err));
			die("%s (try --help)", err);
		}
	}
	if (optind != argc - 1)
		die("expected one input file (IN.ro); try --help");
	in = argv[optind];
	if (!out && !map)
		die("no output: give -o OUT (or --map)");
	/* Never overwrite the input, by any name. */
	if (out && stat(out, &st) == 0 && stat(in, &in_st) == 0 &&
	    st.st_dev == in_st.st_dev && st.st_ino == in_st.st_ino)
		die("-o %s: is the input file %s; write the output elsewhere",
		    out, in);
	r = pk_reloc_open_file(in, err, sizeof(err));
	if (!r)
		die("%s", err);
	if (pk_reloc_place(r, base))
		die("%s", pk_reloc_error(r));
	for (i = 0; i < nsets; i++) {
		if (apply_set(r, sets[i])) {
			pk_reloc_close(r);
			free(sets);
			return 1;
		}
	}
	if (map) {
		print_map(r, in);
		flush_stdout();
	}
	if (!out) {
		pk_reloc_close(r);
		free(sets);
		return 0;
	}
	/*
	 * A regular OUT is written beside itself and renamed into place, so a
	 * failure never leaves a half-written file.  Anything else (/dev/null,
	 * a pipe, a terminal) is written in place: renaming over a device
	 * node would replace the device with a file.
	 */
	if (stat(out, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode))
			die("-o %s: is not a regular file, a character device "
			    "or a FIFO", out);
		/*
		 * Non-blocking open: a FIFO nobody reads is refused (ENXIO)
		 * rather than waited on forever; writes block again after.
		 */
		fd = open(out, O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd < 0 && errno == ENXIO && S_ISFIFO(st.st_mode))
			die("-o %s: is a FIFO with no reader", out);
		if (fd < 0)
			die("-o %s: %s", out, strerror(errno));
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		rc = write_image(r, format, fd);
		if (close(fd) && !rc)
			rc = pk_fail(r, "closing the output: %s",
				     strerror(errno));
		if (rc)
			die("-o %s: %s", out, output_error(r, in));
		pk_reloc_close(r);
		free(sets);
		return 0;
	}
	if (asprintf(&tmp, "%s.tmpXXXXXX", out) < 0)
		die("out of memory");
	/* Set before the file exists, so no signal can orphan it. */
	catch_signals();
	pk_tmp_path = tmp;
	fd = mkstemp(tmp);
	if (fd < 0) {
		pk_tmp_path = NULL;
		die("-o %s: cannot create a temporary file beside it: %s",
		    out, strerror(errno));
	}
	rc = write_image(r, format, fd);
	if (rc == 0 && fchmod(fd, (!strcmp(format, "elf") ? 0777 : 0666) &
				      ~current_umask()))
		rc = pk_fail(r, "fchmod: %s", strerror(errno));
	if (close(fd) && !rc)
		rc = pk_fail(r, "closing the output: %s", strerror(errno));
	if (!rc && rename(tmp, out))
		rc = pk_fail(r, "renaming %s into place: %s", tmp,
			     strerror(errno));
	if (rc) {
		unlink(tmp);
		die("-o %s: %s", out, output_error(r, in));
	}
	pk_tmp_path = NULL;
	free(tmp);
	pk_reloc_close(r);
	free(sets);
	return 0;
}
