/* SPDX-License-Identifier: MIT */
/*
 * -s/--kexec-file-syscall and -a/--kexec-syscall-auto: a Linux kernel
 * loaded with kexec_file_load(2), which runs the kernel's own purgatory
 * (no purgkit trampoline); and kernel lockdown, which refuses kexec_load.
 * kexec-tools' spellings and, where it makes sense, its behaviour
 * (docs/loader.md, "kexec_file_load and lockdown").
 */
#ifndef PURGKIT_LOADER_KEXEC_FILE_H
#define PURGKIT_LOADER_KEXEC_FILE_H

#include "arch.h"
#include "options.h"

/* opts->kexec_call: which system call loads (and unloads). */
enum pk_kexec_call {
	PK_CALL_KEXEC_LOAD = 0,	/* the default; -c/--kexec-syscall */
	PK_CALL_KEXEC_FILE,	/* -s/--kexec-file-syscall */
	PK_CALL_AUTO,		/* -a: kexec_file_load, else kexec_load */
};

/*
 * The kernel's lockdown mode from /sys/kernel/security/lockdown
 * ("none [integrity] confidentiality"): "integrity" or "confidentiality",
 * or NULL when it is "none" or cannot be read (no lockdown LSM, no
 * securityfs).
 */
const char *pk_lockdown_mode(void);

/*
 * -l/PAYLOAD with -s or -a: check, then kexec_file_load (or, with
 * --dry-run, print the call).  Returns 0 when done, -1 with the error
 * recorded, 1 when -a chose kexec_load (one line on stderr said why).
 */
int pk_kexec_file_load(const struct pk_options *opts);

/*
 * Before a kexec_load plan is built: under lockdown, -1 with the line
 * saying lockdown forbids kexec_load and naming -s (with --dry-run, that
 * line as a note on stderr and 0).
 */
int pk_lockdown_check_kexec_load(const struct pk_options *opts);

/*
 * -u (and the undo of a failed -e after a load): unload with the call
 * opts->kexec_call names; under lockdown the default uses
 * kexec_file_load's KEXEC_FILE_UNLOAD, saying so.
 */
int pk_kexec_file_unload(const struct pk_options *opts,
			 const struct pk_arch *arch);

/*
 * For the architectures' pk_kexec_file_arch.check: an ELF64 vmlinux of
 * arch's machine and byte order with program headers, ET_EXEC (the
 * kernel's kexec_elf loader).
 */
int pk_kexec_file_check_elf(const struct pk_arch *arch, const uint8_t *data,
			    size_t size, char *why, size_t why_size);

#endif /* PURGKIT_LOADER_KEXEC_FILE_H */
