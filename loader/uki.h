/* SPDX-License-Identifier: MIT */
/*
 * Unified kernel images (UKI): a PE file whose sections hold a kernel
 * (.linux), its initrd (.ucode, then .initrd), its command line
 * (.cmdline) and device trees (.dtb), as the UAPI group's UKI
 * specification lays them out and systemd's ukify and systemd-stub write
 * and read them.  purgkit-load boots the kernel the stub would, without
 * running the stub: the plan layer (plan.c) takes the sections apart.
 */
#ifndef PURGKIT_LOADER_UKI_H
#define PURGKIT_LOADER_UKI_H

#include "util.h"

struct pk_uki_section {
	bool present;
	uint64_t offset;	/* in the file */
	uint64_t size;		/* bytes taken from the file */
};

struct pk_uki {
	struct pk_uki_section linux_, initrd, ucode, cmdline, dtb;
	/* .profile sections: 0 for a UKI of one profile; else profile @0,
	 * the stub's default, is the one taken (over the base profile). */
	unsigned profiles;
};

/*
 * 1 when the file is a PE whose sections name it a UKI (any section of
 * the specification's list), with uki filled; 0 when it is not one (no
 * PE, or a PE without such sections: a bzImage's or an arm64 Image's EFI
 * stub); -1 with one line when it is a UKI purgkit cannot boot: no
 * .linux, a section past the end of the file, a section twice.
 */
int pk_uki_parse(const struct pk_file *file, struct pk_uki *uki);

#endif /* PURGKIT_LOADER_UKI_H */
