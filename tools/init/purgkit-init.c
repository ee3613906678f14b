/* SPDX-License-Identifier: MIT */
/*
 * purgkit-init — the init of the initramfs that purgkit-run builds.
 *
 * First kernel: mount proc, sysfs and devtmpfs, run the loader with "-l" and
 * the arguments from /purgkit/load-args, then with those of each step
 * (/purgkit/step-1, step-2, ...: -S, -u, a second -l; each one's exit status
 * is reported and the next runs anyway), then with the arguments from
 * /purgkit/exec-args (default "-e"), which should not return.
 * Second kernel (a kernel booted by kexec with the same initramfs and
 * "purgkit.stage=2" on its command line): report the command line and the
 * online CPUs, then power off.
 *
 * Crash path (purgkit-run --crash): with /purgkit/crash present, the exec
 * step is a panic (sysrq 'c') instead, which starts the capture kernel the
 * loader put in place with -p.  A second kernel that has /proc/vmcore is
 * such a capture kernel: before its report it checks the dump as a dump
 * tool reads it (dump_check; the one "dump check mode", kept small).
 *
 * Every step prints one "purgkit-init: ..." line on the console; purgkit-run
 * reads these markers, so their wording is part of its contract:
 *   purgkit-init: loading: <loader> -l <args>
 *   purgkit-init: loader failed (exit N)
 *   purgkit-init: step N: <loader> <args>
 *   purgkit-init: step N exited S
 *   purgkit-init: executing
 *   purgkit-init: exec returned (exit N)
 *   purgkit-init: second kernel up, cmdline: <cmdline>
 *   purgkit-init: online cpus: <list> (<count>)
 *   purgkit-init: powering off
 *   purgkit-init: executing (crash: sysrq c)
 *   purgkit-init: vmcore: ELF ET_CORE machine M, N PT_LOAD (B bytes of RAM),
 *                 C NT_PRSTATUS, VMCOREINFO OSRELEASE=R
 *   purgkit-init: vmcore: init_uts_ns at VADDR reads release R
 *   purgkit-init: vmcore: init_uts_ns at VADDR: no virtual addresses
 *   purgkit-init: vmcore: node_data[0] at VADDR points to VADDR in the
 *                 direct map          (or mem_section, where VMCOREINFO
 *                                      has no node_data: arm64)
 *   purgkit-init: vmcore: read B of B bytes to the end
 *   purgkit-init: vmcore: FAILED: <why>
 *
 * Files (all optional but load-args):
 *   /purgkit/loader     path of the loader (default /bin/purgkit-load)
 *   /purgkit/load-args  NUL-separated arguments that follow "-l"
 *   /purgkit/step-N     NUL-separated arguments of step N (1, 2, ... up to
 *                       the first missing one)
 *   /purgkit/exec-args  NUL-separated arguments to execute (default "-e")
 *   /purgkit/crash      present: panic instead of the exec step
 */

#define _GNU_SOURCE /* memmem */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_LOADER "/bin/purgkit-load"
#define MAX_ARGS 256
#define MAX_FILE (64 * 1024)

/*
 * One line on the console in one write(): a kernel message printed between
 * two writes would split it, and purgkit-run reads these lines by their
 * "purgkit-init: " prefix.
 */
static void say(const char *fmt, ...)
{
	static const char prefix[] = "purgkit-init: ";
	char line[4096];
	size_t room = sizeof(line) - sizeof(prefix);
	va_list ap;
	int len;

	memcpy(line, prefix, sizeof(prefix) - 1);
	va_start(ap, fmt);
	len = vsnprintf(line + sizeof(prefix) - 1, room, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len > room - 1)
		len = room - 1;
	len += sizeof(prefix) - 1;
	line[len++] = '\n';
	if (write(STDOUT_FILENO, line, len) < 0)
		return;
}

static void power_off(void)
{
	say("powering off");
	sync();
	reboot(RB_POWER_OFF);
	/* If even that fails, there is nothing left to do but wait. */
	for (;;)
		pause();
}

/* Read a whole (small) file; returns its length, or -1 if absent. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	ssize_t total = 0, got;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1) {
		got = read(fd, buf + total, size - 1 - total);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		total += got;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/* Append the NUL-separated strings in buf[0..len) to argv; returns argc. */
static int split_args(char *buf, ssize_t len, char **argv, int argc)
{
	ssize_t i = 0;

	while (i < len && argc < MAX_ARGS) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	return argc;
}

/* Run argv[0] with argv and wait; returns its exit status (128+sig). */
static int run(char **argv)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		say("fork failed: %s", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		say("cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return 127;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * Nobody types on this console: turn echo off so that stray input (a
 * terminal's answer to an escape sequence, line noise) cannot be echoed
 * into the middle of the lines purgkit-run reads.
 */
static void quiet_console(void)
{
	struct termios mode;

	if (tcgetattr(STDIN_FILENO, &mode) == 0) {
		mode.c_lflag &= ~(ECHO | ECHOCTL | ECHOE | ECHOK | ECHONL);
		tcsetattr(STDIN_FILENO, TCSANOW, &mode);
	}
}

static void mount_filesystems(void)
{
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	if (mount("proc", "/proc", "proc", 0, NULL))
		say("mount /proc: %s", strerror(errno));
	if (mount("sysfs", "/sys", "sysfs", 0, NULL))
		say("mount /sys: %s", strerror(errno));
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) && errno != EBUSY)
		say("mount /dev: %s", strerror(errno));
	/* Where a loader reads the lockdown state, as on a real system. */
	if (mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL))
		say("mount /sys/kernel/security: %s", strerror(errno));
}

/*
 * Test hook: with "purgkit.test.no_cap_sys_boot" on the command line, the
 * loader runs without CAP_SYS_BOOT (dropped from the bounding set, so the
 * exec of a root process does not get it back), to see what a user
 * without the privilege is told.
 */
#define CAP_SYS_BOOT_NUMBER 22
static void drop_cap_sys_boot_if_asked(const char *cmdline)
{
	if (!strstr(cmdline, "purgkit.test.no_cap_sys_boot"))
		return;
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT_NUMBER, 0, 0, 0))
		say("dropping CAP_SYS_BOOT: %s", strerror(errno));
	else
		say("CAP_SYS_BOOT dropped (test)");
}

/* Does another of the count loads hold all of loads[i]'s memory? */
static bool dump_is_alias(const Elf64_Phdr *loads, int count, int i)
{
	for (int j = 0; j < count; j++)
		if (j != i && loads[j].p_paddr <= loads[i].p_paddr &&
		    loads[i].p_paddr + loads[i].p_memsz <=
			    loads[j].p_paddr + loads[j].p_memsz &&
		    loads[j].p_memsz > loads[i].p_memsz)
			return true;
	return false;
}

/* The PT_LOAD whose virtual addresses hold [vaddr, vaddr + size), or -1;
 * with ram, only one that is not a second view of another (x86_64's
 * kernel-image PT_LOAD is one: RAM PT_LOADs are the direct map). */
static int dump_find_vaddr(const Elf64_Phdr *loads, int count,
			   unsigned long long vaddr, size_t size, bool ram)
{
	for (int i = 0; i < count; i++)
		if (loads[i].p_vaddr && vaddr >= loads[i].p_vaddr &&
		    vaddr + size <= loads[i].p_vaddr + loads[i].p_filesz &&
		    !(ram && dump_is_alias(loads, count, i)))
			return i;
	return -1;
}

/* size bytes at vaddr, through the PT_LOAD that maps them: 0, or -1. */
static int dump_read_vaddr(int fd, const Elf64_Phdr *loads, int count,
			   unsigned long long vaddr, void *buf, size_t size)
{
	int i = dump_find_vaddr(loads, count, vaddr, size, false);

	if (i < 0 || pread(fd, buf, size, loads[i].p_offset +
					      (vaddr - loads[i].p_vaddr)) !=
			     (ssize_t)size)
		return -1;
	return 0;
}

/* What follows "KEY=" in a VMCOREINFO note's text, or NULL. */
static const char *vmcoreinfo_value(const char *text, size_t size,
				    const char *key)
{
	const char *at = memmem(text, size, key, strlen(key));

	return at ? at + strlen(key) : NULL;
}

/*
 * Read the dead kernel by virtual address, as a debugger does, through
 * the PT_LOADs' p_vaddr: its init_uts_ns (VMCOREINFO's SYMBOL) must hold
 * the release in its first bytes, and a pointer the kernel keeps to memory
 * it allocated early, in its direct map, must point into the RAM
 * PT_LOADs' addresses: node_data[0], the node's pg_data_t, where
 * VMCOREINFO has it (x86_64 and ppc64 NUMA kernels), else mem_section,
 * SPARSEMEM_EXTREME's root array (every architecture's VMCOREINFO).
 */
static void dump_check_vaddr(int fd, const Elf64_Phdr *loads, int count,
			     unsigned long long uts_ns,
			     unsigned long long node_data,
			     unsigned long long mem_section, const char *release)
{
	const char *name = node_data ? "node_data[0]" : "mem_section";
	char bytes[512];
	unsigned long long pgdat;
	bool any = false;
	int i;

	for (i = 0; i < count; i++)
		any |= loads[i].p_vaddr != 0;
	if (!uts_ns) {
		say("vmcore: FAILED: VMCOREINFO has no SYMBOL(init_uts_ns)");
		return;
	}
	if (!any) {
		say("vmcore: init_uts_ns at 0x%llx: no virtual addresses",
		    uts_ns);
		return;
	}
	if (dump_read_vaddr(fd, loads, count, uts_ns, bytes, sizeof(bytes))) {
		say("vmcore: FAILED: init_uts_ns at 0x%llx unreadable by its "
		    "virtual address", uts_ns);
		return;
	}
	if (!memmem(bytes, sizeof(bytes), release, strlen(release) + 1)) {
		say("vmcore: FAILED: init_uts_ns at 0x%llx does not hold "
		    "release %s", uts_ns, release);
		return;
	}
	say("vmcore: init_uts_ns at 0x%llx reads release %s", uts_ns, release);
	if (!node_data)
		node_data = mem_section;
	if (!node_data)
		return;
	if (dump_read_vaddr(fd, loads, count, node_data, &pgdat,
			    sizeof(pgdat))) {
		say("vmcore: FAILED: %s at 0x%llx unreadable by its "
		    "virtual address", name, node_data);
		return;
	}
	if (dump_find_vaddr(loads, count, pgdat, sizeof(pgdat), true) < 0)
		say("vmcore: FAILED: %s at 0x%llx points to 0x%llx, "
		    "in no RAM PT_LOAD's virtual addresses", name, node_data,
		    pgdat);
	else
		say("vmcore: %s at 0x%llx points to 0x%llx in the "
		    "direct map", name, node_data, pgdat);
}

/*
 * The dump as a dump tool reads it: an ELF core file whose notes hold one
 * NT_PRSTATUS per CPU that was running and VMCOREINFO, and whose PT_LOADs
 * cover the old kernel's RAM, every byte of it readable to the end.
 */
static void dump_check(void)
{
	static char buf[1 << 20];
	static Elf64_Phdr load[4096];
	unsigned long long ram = 0, done = 0, uts_ns = 0, node_data = 0;
	unsigned long long mem_section = 0;
	char release[64] = "(none)";
	int fd = open("/proc/vmcore", O_RDONLY);
	int loads = 0, prstatus = 0;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	struct stat st;
	ssize_t got;

	if (fd < 0 || fstat(fd, &st) ||
	    pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_CORE) {
		say("vmcore: FAILED: /proc/vmcore is not a 64-bit ELF core "
		    "file (%s)", fd < 0 ? strerror(errno) : "bad header");
		return;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph)) {
			say("vmcore: FAILED: program header %d unreadable", i);
			return;
		}
		if (ph.p_type == PT_LOAD) {
			if (loads < (int)(sizeof(load) / sizeof(load[0])))
				load[loads] = ph;
			loads++;
			continue;
		}
		if (ph.p_type != PT_NOTE || ph.p_filesz > sizeof(buf) ||
		    pread(fd, buf, ph.p_filesz, ph.p_offset) !=
			    (ssize_t)ph.p_filesz)
			continue;
		for (size_t at = 0; at + sizeof(Elf64_Nhdr) <= ph.p_filesz;) {
			Elf64_Nhdr *n = (Elf64_Nhdr *)(buf + at);
			char *name = buf + at + sizeof(*n);
			char *desc = name + ((n->n_namesz + 3) & ~3u);
			const char *v;

			if (!n->n_namesz && !n->n_descsz)
				break;
			if (n->n_type == NT_PRSTATUS &&
			    !strncmp(name, "CORE", 4))
				prstatus++;
			if (!strncmp(name, "VMCOREINFO", 10) &&
			    desc + n->n_descsz <= buf + ph.p_filesz) {
				if ((v = vmcoreinfo_value(desc, n->n_descsz,
							  "OSRELEASE=")))
					sscanf(v, "%63[^\n]", release);
				if ((v = vmcoreinfo_value(desc, n->n_descsz,
						"SYMBOL(init_uts_ns)=")))
					sscanf(v, "%llx", &uts_ns);
				if ((v = vmcoreinfo_value(desc, n->n_descsz,
						"SYMBOL(node_data)=")))
					sscanf(v, "%llx", &node_data);
				if ((v = vmcoreinfo_value(desc, n->n_descsz,
						"SYMBOL(mem_section)=")))
					sscanf(v, "%llx", &mem_section);
			}
			at += sizeof(*n) + ((n->n_namesz + 3) & ~3u) +
			      ((n->n_descsz + 3) & ~3u);
		}
	}
	if (loads > (int)(sizeof(load) / sizeof(load[0]))) {
		say("vmcore: FAILED: %d PT_LOADs, more than this check reads",
		    loads);
		close(fd);
		return;
	}
	/* RAM once: the kernel image's PT_LOAD is a second view of some. */
	for (int i = 0; i < loads; i++)
		if (!dump_is_alias(load, loads, i))
			ram += load[i].p_memsz;
	say("vmcore: ELF ET_CORE machine %u, %d PT_LOAD (%llu bytes of RAM), "
	    "%d NT_PRSTATUS, VMCOREINFO OSRELEASE=%s", eh.e_machine, loads,
	    ram, prstatus, release);
	dump_check_vaddr(fd, load, loads, uts_ns, node_data, mem_section,
			 release);
	lseek(fd, 0, SEEK_SET);
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		done += got;
	if (got < 0)
		say("vmcore: FAILED: read at %llu: %s", done, strerror(errno));
	else
		say("vmcore: read %llu of %llu bytes to the end", done,
		    (unsigned long long)st.st_size);
	close(fd);
}

/* The second kernel: report what it was given and what it brought up. */
static void second_kernel(const char *cmdline)
{
	static char cpus[256];
	int count = 0, first, last;
	char *p;

	say("second kernel up, cmdline: %s", cmdline);
	if (access("/proc/vmcore", F_OK) == 0)
		dump_check();
	if (read_file("/sys/devices/system/cpu/online", cpus, sizeof(cpus)) < 0)
		strcpy(cpus, "?");
	cpus[strcspn(cpus, "\n")] = '\0';
	for (p = cpus; *p;) {
		first = last = (int)strtol(p, &p, 10);
		if (*p == '-')
			last = (int)strtol(p + 1, &p, 10);
		count += last - first + 1;
		if (*p != ',')
			break;
		p++;
	}
	say("online cpus: %s (%d)", cpus, count);
	power_off();
}

static void print_command(const char *what, char **argv)
{
	char line[2048];
	size_t used = 0;
	int i;

	line[0] = '\0';
	for (i = 0; argv[i] && used < sizeof(line) - 1; i++)
		used += snprintf(line + used, sizeof(line) - used, "%s%s",
				 i ? " " : "", argv[i]);
	say("%s: %s", what, line);
}

/* The steps between the load and the exec: each reported, none fatal (a
 * "-S" that finds nothing loaded exits 1, and that is what is asked). */
static void run_steps(const char *loader)
{
	static char args[MAX_FILE];
	static char *argv[MAX_ARGS + 1];
	char path[64], what[32];
	ssize_t len;

	for (int n = 1;; n++) {
		snprintf(path, sizeof(path), "/purgkit/step-%d", n);
		len = read_file(path, args, sizeof(args));
		if (len < 0)
			return;
		argv[0] = (char *)loader;
		split_args(args, len, argv, 1);
		snprintf(what, sizeof(what), "step %d", n);
		print_command(what, argv);
		say("step %d exited %d", n, run(argv));
	}
}

int main(void)
{
	static char cmdline[4096], loader[512];
	static char load_args[MAX_FILE], exec_args[MAX_FILE];
	static char *argv[MAX_ARGS + 1];
	ssize_t len;
	int argc, status;

	quiet_console();
	mount_filesystems();
	say("started");

	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		cmdline[0] = '\0';
	cmdline[strcspn(cmdline, "\n")] = '\0';
	if (strstr(cmdline, "purgkit.stage=2"))
		second_kernel(cmdline);
	drop_cap_sys_boot_if_asked(cmdline);

	if (read_file("/purgkit/loader", loader, sizeof(loader)) <= 0)
		strcpy(loader, DEFAULT_LOADER);
	loader[strcspn(loader, "\n")] = '\0';

	len = read_file("/purgkit/load-args", load_args, sizeof(load_args));
	if (len < 0) {
		say("loader failed (exit 127): no /purgkit/load-args");
		power_off();
	}
	argv[0] = loader;
	argv[1] = "-l";
	argc = split_args(load_args, len, argv, 2);
	print_command("loading", argv);
	status = run(argv);
	if (status != 0) {
		say("loader failed (exit %d)", status);
		power_off();
	}

	run_steps(loader);
	if (access("/purgkit/crash", F_OK) == 0) {
		int fd = open("/proc/sysrq-trigger", O_WRONLY);

		say("executing (crash: sysrq c)");
		/* The panic stops the console's output where it is: let the
		 * marker reach the line first (purgkit-run reads it). */
		tcdrain(STDOUT_FILENO);
		sync();
		if (fd < 0 || write(fd, "c", 1) != 1)
			say("exec returned (exit 1): sysrq-trigger: %s",
			    strerror(errno));
		power_off();
	}
	len = read_file("/purgkit/exec-args", exec_args, sizeof(exec_args));
	if (len < 0) {
		strcpy(exec_args, "-e");
		len = 3;
	}
	argc = split_args(exec_args, len, argv, 1);
	(void)argc;
	say("executing");
	status = run(argv);
	say("exec returned (exit %d)", status);
	power_off();
	return 0;
}
