/* SPDX-License-Identifier: MIT */
/*
 * The convention GRUB Legacy and kexec-tools follow, which Multiboot
 * kernels such as Xen rely on: a kernel's command line starts with the
 * image's file name, a module's string with the module's file name; the
 * arguments follow after one space.  The test payloads print both parts,
 * so a test can compare them with what it asked for, and fail when the
 * name is missing.  Include after payload.h.
 */
#ifndef PAYLOAD_MULTIBOOT_CONVENTION_H
#define PAYLOAD_MULTIBOOT_CONVENTION_H

/*
 * Print "payload: <what> name='<first word>' args='<the rest>'"; returns
 * 0 when there is no name (an empty string, or one that starts with a
 * space).  A name holding '=' is an option, not a file: also 0.
 */
static int put_name_and_args(const char *what, const char *line)
{
	const char *p = line;
	int ok = *line && *line != ' ';

	put_str("payload: ");
	put_str(what);
	put_str(" name='");
	for (; *p && *p != ' '; p++) {
		if (*p == '=')
			ok = 0;
		put_char(*p);
	}
	put_str("' args='");
	put_str(*p ? p + 1 : p);
	put_str("'\n");
	if (!ok) {
		put_str("payload: ");
		put_str(what);
		put_str(" does not start with a file name\n");
	}
	return ok;
}

#endif /* PAYLOAD_MULTIBOOT_CONVENTION_H */
