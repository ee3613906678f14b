/* SPDX-License-Identifier: MIT */
/*
 * kexec_file_load(2) of a Linux kernel (-s, -a) and kernel lockdown.
 *
 * kexec_file_load takes file descriptors, not segments: the kernel reads
 * the image with its own loader for the architecture, places it, and
 * starts it through its own purgatory.  So nothing of purgkit's runs
 * between the kernels, and every option that shapes a kexec_load plan or
 * the trampoline is refused under -s (with why) and sends -a to
 * kexec_load.  What it gains: under lockdown (Secure Boot) kexec_load is
 * refused whatever it loads, while kexec_file_load of a kernel whose
 * signature the kernel verifies is allowed.
 *
 * kexec-tools is the reference: -s never falls back; -a falls back to
 * kexec_load when kexec_file_load answers ENOSYS, EINVAL, ENOEXEC or
 * EOPNOTSUPP, and never on a signature error; a compressed image is
 * passed inflated in a memory file.  Where purgkit-load differs
 * (docs/loader.md): kexec_load stays its default (kexec-tools 2.0.27 made
 * -a its default), lockdown is read and named up front, and -a goes
 * straight to kexec_load, saying so, for what kexec_file_load cannot do.
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "crash.h"
#include "kexec.h"
#include "kexec_file.h"
#include "zboot.h"

/* From <linux/kexec.h>, spelled here so any libc's headers will do. */
#define PK_KEXEC_FILE_UNLOAD		0x00000001ul
#define PK_KEXEC_FILE_ON_CRASH		0x00000002ul
#define PK_KEXEC_FILE_NO_INITRAMFS	0x00000004ul

#define PK_LOCKDOWN_PATH "/sys/kernel/security/lockdown"

/* Why -s says no, and -a takes kexec_load: the common half of the line. */
#define PK_OWN_PURGATORY "kexec_file_load runs the kernel's own purgatory"

const char *pk_lockdown_mode(void)
{
	char value[256];

	if (pk_read_line(PK_LOCKDOWN_PATH, value, sizeof(value)))
		return NULL;
	if (strstr(value, "[integrity]"))
		return "integrity";
	if (strstr(value, "[confidentiality]"))
		return "confidentiality";
	return NULL;
}

/* The one line lockdown decides a kexec_load with. */
static void pk_lockdown_line(const char *mode, char *buf, size_t size)
{
	snprintf(buf, size, "kexec_load is forbidden by kernel lockdown "
		 "(%s mode, %s), and so is any custom trampoline: -s loads a "
		 "signed Linux kernel through kexec_file_load, which runs the "
		 "kernel's own purgatory", mode, PK_LOCKDOWN_PATH);
}

int pk_lockdown_check_kexec_load(const struct pk_options *opts)
{
	const char *mode = pk_lockdown_mode();
	char line[512];

	if (!mode)
		return 0;
	pk_lockdown_line(mode, line, sizeof(line));
	if (!opts->dry_run)
		return pk_error("%s", line);
	fprintf(stderr, "purgkit-load: note: %s\n", line);
	return 0;
}

/*
 * The first option given that only a kexec_load plan or purgkit's
 * trampoline can honour: its spelling and what it does, or NULL.
 */
static const char *pk_kexec_load_only_option(const struct pk_options *opts,
					     const char **what)
{
	static char type[96];
	const struct {
		bool given;
		const char *option;
		const char *what;
	} table[] = {
		{ opts->purgatory, "--purgatory",
		  "it names a custom trampoline" },
		{ opts->set_count, "--set", "it patches purgkit's trampoline" },
		{ opts->console_given, "--console",
		  "it is purgkit's trampoline's console" },
		{ opts->no_checks, "--no-checks",
		  "it turns off purgkit's trampoline's check (the kernel's "
		  "purgatory checks its own digest)" },
		{ opts->gdb, "--gdb", "it debugs purgkit's trampoline" },
		{ opts->type && strcmp(opts->type, "linux"), type,
		  "a Linux kernel is the one payload kexec_file_load takes" },
		{ opts->module_count, "--module",
		  "boot modules are for multiboot payloads" },
		{ opts->have_address, "--address",
		  "it places a raw payload in a kexec_load plan" },
		{ opts->have_entry, "--entry",
		  "it sets the entry purgkit's trampoline jumps to" },
		{ opts->mode && !opts->real_mode, "--mode",
		  "it sets the CPU mode purgkit's trampoline enters in" },
		{ opts->real_mode, "--real-mode",
		  "it sets the CPU mode purgkit's trampoline enters in" },
		{ opts->no_bios_irq_restore, "--no-bios-irq-restore",
		  "it is about purgkit's trampoline's 16-bit hand-off" },
		{ opts->reg_count, "--reg",
		  "it sets registers purgkit's trampoline loads" },
		{ opts->have_secondary_entry, "--secondary-entry",
		  "it is for purgkit's ppc64 trampoline" },
		{ opts->dtb, "--dtb",
		  "kexec_file_load takes no device tree (the kernel passes "
		  "its own on)" },
		{ opts->memmap_file, "--memmap",
		  "the kernel places kexec_file_load's segments in its own "
		  "memory" },
		{ opts->dump_dir, "--dump-segments",
		  "the kernel builds kexec_file_load's segments" },
		{ opts->corrupt_segment >= 0, "--test-corrupt-segment",
		  "the kernel builds kexec_file_load's segments" },
		{ opts->json, "--json",
		  "it prints a kexec_load plan (--dry-run shows the "
		  "kexec_file_load call)" },
	};

	snprintf(type, sizeof(type), "--type=%s",
		 opts->type ? opts->type : "");
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].given) {
			*what = table[i].what;
			return table[i].option;
		}
	}
	return NULL;
}

int pk_kexec_file_check_elf(const struct pk_arch *arch, const uint8_t *data,
			    size_t size, char *why, size_t why_size)
{
	bool be;

	if (size < sizeof(Elf64_Ehdr) || memcmp(data, ELFMAG, SELFMAG)) {
		snprintf(why, why_size, "not an ELF vmlinux");
		return -1;
	}
	if (data[EI_CLASS] != ELFCLASS64) {
		snprintf(why, why_size, "a 32-bit ELF file");
		return -1;
	}
	be = data[EI_DATA] == ELFDATA2MSB;
	if (be != arch->big_endian || (data[EI_DATA] != ELFDATA2LSB && !be)) {
		snprintf(why, why_size, "an ELF file of the other byte order "
			 "(%s is %s-endian)", arch->name,
			 arch->big_endian ? "big" : "little");
		return -1;
	}
	if (pk_load_uint(data + offsetof(Elf64_Ehdr, e_machine), 2, be) !=
	    arch->elf_machine) {
		snprintf(why, why_size, "an ELF file for another machine "
			 "(e_machine %llu)",
			 HEX(pk_load_uint(data + offsetof(Elf64_Ehdr,
							  e_machine), 2, be)));
		return -1;
	}
	if (pk_load_uint(data + offsetof(Elf64_Ehdr, e_type), 2, be) !=
	    ET_EXEC) {
		snprintf(why, why_size, "an ELF file that is not ET_EXEC");
		return -1;
	}
	if (!pk_load_uint(data + offsetof(Elf64_Ehdr, e_phnum), 2, be)) {
		snprintf(why, why_size, "an ELF file without program headers");
		return -1;
	}
	return 0;
}

/* The kernel image: read, inflated if compressed, checked as the arch's
 * kexec_file loader would probe it. */
struct pk_kernel_image {
	struct pk_file file;
	bool inflated;
	size_t file_size;	/* on disk */
};

/* A compression the bytes start with (one pk_file_inflate left as it
 * was), or NULL. */
static const char *pk_compression(const struct pk_file *file)
{
	static const struct {
		const char *name;
		const char *magic;
		size_t size;
	} magics[] = {
		{ "gzip", "\x1f\x8b", 2 },
		{ "xz", "\xfd" "7zXZ\0", 6 },
		{ "zstd", "\x28\xb5\x2f\xfd", 4 },
		{ "lz4", "\x02\x21\x4c\x18", 4 },
		{ "lz4", "\x04\x22\x4d\x18", 4 },
		{ "lzma", "\x5d\0\0", 3 },
		{ "bzip2", "BZh", 3 },
		{ "lzo", "\x89LZO", 4 },
	};

	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (file->size >= magics[i].size &&
		    !memcmp(file->data, magics[i].magic, magics[i].size))
			return magics[i].name;
	return NULL;
}

static int pk_kernel_image_read(struct pk_kernel_image *img,
				const struct pk_options *opts,
				const struct pk_arch *arch, char *why,
				size_t why_size)
{
	uint8_t *before;

	if (pk_file_read(opts->payload, "kernel", &img->file))
		return -1;
	img->file_size = img->file.size;
	before = img->file.data;
	if (pk_file_inflate(&img->file, "kernel"))
		return -1;
	img->inflated = img->file.data != before;
	if (!arch->kexec_file) {
		snprintf(why, why_size, "the kernel has no kexec_file_load "
			 "loader for %s", arch->name);
		return 1;
	}
	if (!arch->kexec_file->check(arch, img->file.data, img->file.size,
				     why, why_size))
		return 0;
	if (pk_zboot_is(&img->file)) {
		snprintf(why, why_size, "an EFI zboot image (a compressed "
			 "kernel inside a PE), which the kernel's kexec_file "
			 "loader does not unwrap: extract and decompress the "
			 "kernel inside, and give that");
	} else if (pk_compression(&img->file)) {
		snprintf(why, why_size, "%s-compressed, and the kernel's "
			 "kexec_file loader on %s reads only %s: decompress it "
			 "first", pk_compression(&img->file), arch->name,
			 arch->kexec_file->image);
	} else {
		size_t len = strlen(why);

		snprintf(why + len, why_size - len, ": the kernel's "
			 "kexec_file loader on %s reads only %s", arch->name,
			 arch->kexec_file->image);
	}
	return 1;
}

/* A memory file holding the inflated image, as kexec-tools passes one. */
static int pk_memfd_of(const struct pk_file *file)
{
	int fd = memfd_create("purgkit-kernel", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0) {
		pk_error("kernel %s: cannot make a memory file for its "
			 "inflated bytes: %s", file->path, strerror(errno));
		return -1;
	}
	while (done < file->size) {
		ssize_t n = write(fd, file->data + done, file->size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pk_error("kernel %s: writing its inflated bytes to a "
				 "memory file: %s", file->path,
				 n < 0 ? strerror(errno) : "short write");
			close(fd);
			return -1;
		}
		done += n;
	}
	return fd;
}

/* Open a file for the kernel to read: regular, non-empty. */
static int pk_open_for_kernel(const char *path, const char *what)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return pk_error("%s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size == 0) {
		close(fd);
		return pk_error("%s %s: %s", what, path,
				!S_ISREG(st.st_mode) ? "not a regular file" :
						       "empty");
	}
	return fd;
}

/* What kexec_file_load's errno means, in words (no error recorded). */
static void pk_kexec_file_explain(int err, const struct pk_options *opts,
				  const struct pk_arch *arch, char *buf,
				  size_t size)
{
	const char *mode = pk_lockdown_mode();
	const char *path = opts->payload ? opts->payload : "the kernel";
	char value[64];

	switch (err) {
	case EPERM:
		if (!pk_have_cap_sys_boot())
			snprintf(buf, size, "permission denied: this process "
				 "lacks CAP_SYS_BOOT (run as root, or use "
				 "--dry-run)");
		else if (!pk_read_line("/proc/sys/kernel/kexec_load_disabled",
				       value, sizeof(value)) &&
			 !strcmp(value, "1"))
			snprintf(buf, size, "kexec is disabled by sysctl "
				 "kernel.kexec_load_disabled=1 (it stays so "
				 "until the next boot)");
		else if (mode)
			snprintf(buf, size, "the kernel could not verify %s's "
				 "signature, and kernel lockdown (%s mode) "
				 "loads only a verified kernel: sign it with a "
				 "key the kernel trusts (.builtin_trusted_keys, "
				 ".secondary_trusted_keys, or the .platform "
				 "keyring from UEFI db/MOK)", path, mode);
		else
			snprintf(buf, size, "permission denied (CAP_SYS_BOOT "
				 "is held, kexec is not disabled and no "
				 "lockdown was found: a security module, e.g. "
				 "IMA appraisal, refused it)");
		break;
	case ENODATA:
		snprintf(buf, size, "%s is not signed, and this kernel loads "
			 "only signed kernels (CONFIG_KEXEC_SIG_FORCE)", path);
		break;
	case EKEYREJECTED:
	case ENOKEY:
		snprintf(buf, size, "%s's signature %s, and this kernel loads "
			 "only verified kernels", path, err == ENOKEY ?
			 "is by a key none of the kernel's keyrings holds" :
			 "does not verify");
		break;
	case EBADMSG:
	case ELIBBAD:
	case EMSGSIZE:
		snprintf(buf, size, "%s's signature is malformed (%s)", path,
			 strerror(err));
		break;
	case ENOPKG:
		snprintf(buf, size, "the kernel lacks the crypto %s's "
			 "signature needs", path);
		break;
	case ENOEXEC:
		snprintf(buf, size, "the kernel's kexec_file loader does not "
			 "read %s (on %s it reads %s)", path, arch->name,
			 arch->kexec_file ? arch->kexec_file->image :
					    "nothing");
		break;
	case EINVAL:
		snprintf(buf, size, "the kernel refused the arguments "
			 "(invalid argument): a command line longer than the "
			 "new kernel takes, or an image its loader reads but "
			 "refuses");
		break;
	case ENOSYS:
		snprintf(buf, size, "this kernel was built without "
			 "CONFIG_KEXEC_FILE, so kexec_file_load does not "
			 "exist");
		break;
	case EOPNOTSUPP:
		snprintf(buf, size, "this kernel's kexec_file_load does not "
			 "support this (operation not supported)");
		break;
	case EBUSY:
		snprintf(buf, size, "busy: another kexec image is being "
			 "loaded or executed right now");
		break;
	case ENOMEM:
	case EADDRNOTAVAIL:
		snprintf(buf, size, "the kernel found no room for the image%s "
			 "(%s)", opts->load_panic ? " in its crash reservation" :
			 "", strerror(err));
		break;
	default:
		snprintf(buf, size, "%s", strerror(err));
		break;
	}
}

/* The errors -a answers with kexec_load, as kexec-tools does. */
static bool pk_kexec_file_falls_back(int err)
{
	return err == ENOSYS || err == EINVAL || err == ENOEXEC ||
	       err == EOPNOTSUPP;
}

static const char *pk_call_name(const struct pk_options *opts)
{
	return opts->kexec_call == PK_CALL_AUTO ? "-a" : "-s";
}

/* -a decided on kexec_load before any system call: say why, once. */
static int pk_auto_uses_kexec_load(const struct pk_options *opts,
				   const char *why)
{
	const char *mode = pk_lockdown_mode();
	char line[512];

	if (mode && !opts->dry_run) {
		pk_lockdown_line(mode, line, sizeof(line));
		return pk_error("-a: kexec_file_load cannot do this load (%s); "
				"%s", why, line);
	}
	fprintf(stderr, "purgkit-load: -a: using kexec_load: %s\n", why);
	return 1;
}

/* -p: the kernel's crash reservation, read before the call. */
static int pk_kexec_file_check_crash(const struct pk_arch *arch)
{
	char value[64];

	if (pk_read_line("/sys/kernel/kexec_crash_size", value,
			 sizeof(value)) || strcmp(value, "0"))
		return 0;
	return pk_error("-p: this kernel has no crash reservation "
			"(/sys/kernel/kexec_crash_size is 0): boot it with "
			"crashkernel=%s", arch->crash ?
			arch->crash->reservation_hint : "SIZE");
}

static void pk_print_call(FILE *out, const struct pk_options *opts,
			  const struct pk_kernel_image *img,
			  const char *cmdline, unsigned long flags,
			  const char *mode)
{
	fprintf(out, "kexec_file_load (%s): the kernel's own loader and "
		"purgatory; no purgkit trampoline\n", pk_call_name(opts));
	if (img->inflated)
		fprintf(out, "  kernel:       %s (%zu bytes, compressed: its "
			"%zu inflated bytes go in a memory file)\n",
			opts->payload, img->file_size, img->file.size);
	else
		fprintf(out, "  kernel:       %s (%zu bytes)\n", opts->payload,
			img->file_size);
	fprintf(out, "  initrd:       %s\n", opts->initrd ? opts->initrd :
		"none (KEXEC_FILE_NO_INITRAMFS)");
	if (*cmdline)
		fprintf(out, "  command line: \"%s\" (%zu bytes with its "
			"NUL)\n", cmdline, strlen(cmdline) + 1);
	else
		fprintf(out, "  command line: none (cmdline_len 0)\n");
	fprintf(out, "  flags:        0x%lx%s%s%s\n", flags, flags ? "" :
		" (none)",
		flags & PK_KEXEC_FILE_ON_CRASH ? " KEXEC_FILE_ON_CRASH" : "",
		flags & PK_KEXEC_FILE_NO_INITRAMFS ?
			" KEXEC_FILE_NO_INITRAMFS" : "");
	if (mode)
		fprintf(out, "  lockdown:     %s (the kernel loads it only if "
			"it verifies its signature)\n", mode);
	if (opts->kexec_call == PK_CALL_AUTO)
		fprintf(out, "  then:         kexec_load, if the kernel answers "
			"ENOSYS, EINVAL, ENOEXEC or EOPNOTSUPP\n");
}

int pk_kexec_file_load(const struct pk_options *opts)
{
	const struct pk_arch *arch = opts->arch ? pk_arch_find(opts->arch) :
						  pk_arch_host();
	const char *option, *what, *mode = pk_lockdown_mode();
	struct pk_kernel_image img = { 0 };
	unsigned long flags = 0;
	int kernel_fd = -1, initrd_fd = -1, ret = -1, err = 0;
	char why[512], *cmdline = NULL;

	if (!arch)
		return pk_error("unknown architecture '%s' (%s)",
				opts->arch ? opts->arch : "of this host",
				pk_arch_names());
	option = pk_kexec_load_only_option(opts, &what);
	if (option && opts->kexec_call == PK_CALL_KEXEC_FILE)
		return pk_error("-s: %s, so %s cannot be used: %s",
				PK_OWN_PURGATORY, option, what);
	if (option) {
		snprintf(why, sizeof(why), "%s needs it (%s; %s)", option,
			 what, PK_OWN_PURGATORY);
		return pk_auto_uses_kexec_load(opts, why);
	}
	if (!opts->dry_run && arch != pk_arch_host())
		return pk_error("%s: this load is for %s and this system is "
				"not; use --dry-run", pk_call_name(opts),
				arch->name);
	ret = pk_kernel_image_read(&img, opts, arch, why, sizeof(why));
	if (ret < 0)
		goto out;
	if (ret > 0 && opts->kexec_call == PK_CALL_KEXEC_FILE) {
		ret = pk_error("-s: %s%s: %s", opts->payload, img.inflated ?
			       " (inflated)" : "", why);
		goto out;
	}
	if (ret > 0) {
		char line[700];

		snprintf(line, sizeof(line), "%s%s is %s", opts->payload,
			 img.inflated ? " (inflated)" : "", why);
		ret = pk_auto_uses_kexec_load(opts, line);
		goto out;
	}
	ret = -1;
	if (opts->load_panic && !opts->dry_run &&
	    pk_kexec_file_check_crash(arch))
		goto out;
	cmdline = pk_options_command_line(opts);
	if (opts->load_panic)
		flags |= PK_KEXEC_FILE_ON_CRASH;
	if (!opts->initrd)
		flags |= PK_KEXEC_FILE_NO_INITRAMFS;
	if (opts->dry_run) {
		if (opts->initrd) {
			initrd_fd = pk_open_for_kernel(opts->initrd, "initrd");
			if (initrd_fd < 0)
				goto out;
		}
		pk_print_call(stdout, opts, &img, cmdline, flags, mode);
		ret = pk_stdout_flush();
		goto out;
	}
	if (pk_debug_enabled)
		pk_print_call(stderr, opts, &img, cmdline, flags, mode);
	kernel_fd = img.inflated ? pk_memfd_of(&img.file) :
				   pk_open_for_kernel(opts->payload, "kernel");
	if (kernel_fd < 0)
		goto out;
	if (opts->initrd) {
		initrd_fd = pk_open_for_kernel(opts->initrd, "initrd");
		if (initrd_fd < 0)
			goto out;
	}
#ifdef SYS_kexec_file_load
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd,
		    *cmdline ? strlen(cmdline) + 1 : 0ul,
		    *cmdline ? cmdline : NULL, flags) == 0)
		ret = 0;
	else
		err = errno;
#else
	err = ENOSYS;
#endif
	if (!err)
		goto out;
	pk_kexec_file_explain(err, opts, arch, why, sizeof(why));
	if (opts->kexec_call == PK_CALL_AUTO && pk_kexec_file_falls_back(err)) {
		char line[700];

		snprintf(line, sizeof(line), "kexec_file_load%s: %s",
			 opts->load_panic ? " (-p)" : "", why);
		ret = pk_auto_uses_kexec_load(opts, line);
		goto out;
	}
	ret = pk_error("kexec_file_load%s: %s", opts->load_panic ? " (-p)" :
		       "", why);
out:
	if (!ret && !opts->dry_run && opts->kexec_call == PK_CALL_AUTO)
		fprintf(stderr, "purgkit-load: -a: loaded with "
			"kexec_file_load (the kernel's own purgatory)\n");
	if (kernel_fd >= 0)
		close(kernel_fd);
	if (initrd_fd >= 0)
		close(initrd_fd);
	free(cmdline);
	pk_file_free(&img.file);
	return ret;
}

int pk_kexec_file_unload(const struct pk_options *opts,
			 const struct pk_arch *arch)
{
	const char *mode = pk_lockdown_mode();
	unsigned long flags = PK_KEXEC_FILE_UNLOAD |
			      (opts->load_panic ? PK_KEXEC_FILE_ON_CRASH : 0);
	char why[512];
	int err = 0;

	if (opts->kexec_call == PK_CALL_KEXEC_LOAD && !mode)
		return pk_kexec_unload(arch, opts->load_panic);
	if (opts->kexec_call == PK_CALL_KEXEC_LOAD)
		fprintf(stderr, "purgkit-load: kernel lockdown (%s mode) "
			"forbids kexec_load: unloading with kexec_file_load\n",
			mode);
#ifdef SYS_kexec_file_load
	if (syscall(SYS_kexec_file_load, -1, -1, 0ul, NULL, flags) != 0)
		err = errno;
#else
	err = ENOSYS;
#endif
	if (!err)
		return 0;
	/* As kexec-tools: -a unloads with kexec_load only on ENOSYS. */
	if (err == ENOSYS && opts->kexec_call == PK_CALL_AUTO && !mode) {
		fprintf(stderr, "purgkit-load: -a: kexec_file_load does not "
			"exist here: unloading with kexec_load\n");
		return pk_kexec_unload(arch, opts->load_panic);
	}
	pk_kexec_file_explain(err, opts, arch, why, sizeof(why));
	return pk_error("kexec_file_load (unload%s): %s", opts->load_panic ?
			" -p" : "", why);
}
