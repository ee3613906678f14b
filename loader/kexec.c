/* SPDX-License-Identifier: MIT */
/*
 * The system calls: kexec_load(2) and reboot(LINUX_REBOOT_CMD_KEXEC), and
 * what their errors mean for someone loading an image.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/reboot.h>
#include <sys/reboot.h>
#include <sys/syscall.h>

#include "crash.h"
#include "kexec.h"
#include "kexec_file.h"

#define CAP_SYS_BOOT_BIT 22

/* The kernel's struct kexec_segment, as kexec_load(2) documents it. */
struct pk_kexec_segment {
	const void *buf;
	size_t bufsz;
	unsigned long mem;
	size_t memsz;
};

int pk_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(buf, size, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

bool pk_have_cap_sys_boot(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	bool have = false;

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long caps;

		if (sscanf(line, "CapEff: %llx", &caps) == 1) {
			have = caps & (1ull << CAP_SYS_BOOT_BIT);
			break;
		}
	}
	fclose(f);
	return have;
}

/* EPERM has three causes; name the one that applies. */
static int pk_explain_eperm(const char *call)
{
	char value[256];

	if (!pk_have_cap_sys_boot())
		return pk_error("%s: permission denied: this process lacks "
				"CAP_SYS_BOOT (run as root, or use --dry-run)",
				call);
	if (!pk_read_line("/proc/sys/kernel/kexec_load_disabled", value,
			  sizeof(value)) && !strcmp(value, "1"))
		return pk_error("%s: kexec_load is disabled by sysctl "
				"kernel.kexec_load_disabled=1 (it stays so "
				"until the next boot)", call);
	if (pk_lockdown_mode())
		return pk_error("%s: kexec_load is forbidden by kernel lockdown "
				"(%s mode); -s loads a signed kernel through "
				"kexec_file_load", call, pk_lockdown_mode());
	return pk_error("%s: permission denied (CAP_SYS_BOOT is held, "
			"kexec_load is not disabled and no lockdown was "
			"found: a security module refused it)", call);
}

static int pk_kexec_error(int err, const char *call)
{
	switch (err) {
	case EPERM:
		return pk_explain_eperm(call);
	case EBUSY:
		return pk_error("%s: busy: another kexec image is being loaded "
				"or executed right now", call);
	case EINVAL:
		return pk_error("%s: the kernel refused the segments (invalid "
				"argument): an unaligned or overlapping "
				"segment, a destination outside its RAM, more "
				"than half of RAM in all, or an arch flag it "
				"does not support", call);
	case EADDRNOTAVAIL:
		return pk_error("%s: a segment's destination is above the "
				"highest address this kernel lets kexec use "
				"(KEXEC_DESTINATION_MEMORY_LIMIT)", call);
	case ENOMEM:
		return pk_error("%s: the kernel could not allocate memory for "
				"the image or for a page at a requested "
				"destination", call);
	case EFAULT:
		return pk_error("%s: the kernel could not read a segment "
				"buffer (bad address)", call);
	case ENOSYS:
		return pk_error("%s: this kernel was built without "
				"CONFIG_KEXEC, so kexec_load does not exist",
				call);
	case ENOEXEC:
		return pk_error("%s: the kernel does not support this kexec "
				"architecture flag", call);
	default:
		return pk_error("%s: %s", call, strerror(err));
	}
}

int pk_kexec_load(const struct pk_plan *plan)
{
	struct pk_kexec_segment segments[PK_KEXEC_MAX_SEGMENTS];
	long ret;

	/* ppc64 and ppc64le are one kexec architecture: the kernel does not
	 * care which byte order the trampoline was built for. */
	if (!pk_arch_host() ||
	    plan->arch->kexec_flags != pk_arch_host()->kexec_flags)
		return pk_error("this plan is for %s and this system is not; "
				"use --dry-run", plan->arch->name);
	if (pk_plan_check_segments(plan))
		return -1;
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];

		segments[i] = (struct pk_kexec_segment){
			.buf = s->buf,
			.bufsz = s->bufsz,
			.mem = s->dest,
			.memsz = s->memsz,
		};
	}
	ret = syscall(SYS_kexec_load, (unsigned long)plan->entry,
		      (unsigned long)plan->segment_count, segments,
		      pk_plan_kexec_flags(plan));
	if (ret != 0 && plan->crash && errno == EADDRNOTAVAIL)
		return pk_error("kexec_load (-p): the kernel refused a segment "
				"outside its crash reservation; the plan used "
				"0x%llx-0x%llx from %s, which is not the "
				"kernel's crashk_res",
				HEX(plan->crash->reservations[
					plan->crash->placement].start),
				HEX(plan->crash->reservations[
					plan->crash->placement].end - 1),
				plan->crash->reservation_source);
	if (ret != 0)
		return pk_kexec_error(errno, plan->crash ? "kexec_load (-p)" :
							   "kexec_load");
	return 0;
}

int pk_kexec_unload(const struct pk_arch *arch, bool crash)
{
	/* No segments: the kernel drops the loaded image of that kind. */
	if (syscall(SYS_kexec_load, 0ul, 0ul, NULL,
		    (unsigned long)arch->kexec_flags |
			    (crash ? PK_KEXEC_ON_CRASH : 0)) != 0)
		return pk_kexec_error(errno, crash ? "kexec_load (unload -p)" :
						     "kexec_load (unload)");
	return 0;
}

/* "1" or "0" from /sys/kernel/kexec_{,crash_}loaded; -1 if unreadable. */
static int pk_kexec_loaded(const char *path)
{
	char value[16];

	if (pk_read_line(path, value, sizeof(value)))
		return -1;
	return !strcmp(value, "1");
}

int pk_kexec_status(bool crash, bool *loaded)
{
	int normal = pk_kexec_loaded("/sys/kernel/kexec_loaded");
	int panic = pk_kexec_loaded("/sys/kernel/kexec_crash_loaded");

	if (normal < 0 || panic < 0)
		return pk_error("-S: cannot read /sys/kernel/%s (is sysfs "
				"mounted, and the kernel built with kexec?)",
				normal < 0 ? "kexec_loaded" :
					     "kexec_crash_loaded");
	printf("normal image: %s\ncrash image: %s\n",
	       normal ? "loaded" : "not loaded",
	       panic ? "loaded" : "not loaded");
	*loaded = crash ? panic : normal;
	return pk_stdout_flush();
}

int pk_kexec_reboot(void)
{
	char loaded[16];

	if (!pk_read_line("/sys/kernel/kexec_loaded", loaded,
			  sizeof(loaded)) && !strcmp(loaded, "0"))
		return pk_error("nothing is loaded: use -l PAYLOAD first");
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	/* Only returns on failure. */
	return pk_kexec_error(errno, "reboot(LINUX_REBOOT_CMD_KEXEC)");
}
