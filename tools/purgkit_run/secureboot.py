# SPDX-License-Identifier: MIT
"""--secure-boot: the old kernel booted as Debian boots under UEFI Secure
Boot, from Debian's own packages: OVMF's Secure Boot firmware with
Microsoft's keys enrolled (ovmf: OVMF_CODE_4M.secboot.fd,
OVMF_VARS_4M.ms.fd), Microsoft-signed shim (shim-signed), which carries
Debian's CA and hands it to the kernel in its MOK list, and Debian-signed
GRUB (grub-efi-amd64-signed), which boots the kernel and initramfs from a
FAT folder QEMU presents as a disk.  The kernel then locks itself down
("Kernel is locked down from EFI Secure Boot") and trusts Debian's
signature: what a real Secure Boot machine running Debian does.
"""

import os
import shutil

from .kernel import fetch_package

# Per architecture: the packages and the files in them.  Only x86_64 has
# a row: the other QEMU machines purgkit-run boots have no Secure Boot
# firmware in Debian.
FIRMWARE = {
    "x86_64": {
        "packages": ("ovmf", "shim-signed", "grub-efi-amd64-signed"),
        "code": ("ovmf", "usr/share/OVMF/OVMF_CODE_4M.secboot.fd"),
        "vars": ("ovmf", "usr/share/OVMF/OVMF_VARS_4M.ms.fd"),
        "shim": ("shim-signed", "usr/lib/shim/shimx64.efi.signed"),
        "grub": ("grub-efi-amd64-signed",
                 "usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed"),
        # SMM keeps the variable store from the OS, as Secure Boot needs.
        "machine": ["-M", "q35,smm=on", "-global",
                    "driver=cfi.pflash01,property=secure,value=on"],
        "removable": "EFI/BOOT/BOOTX64.EFI",
        "second_stage": "EFI/BOOT/grubx64.efi",
    },
}

# What the kernel says when Secure Boot locked it down (security/lockdown).
LOCKED_LINE = "Kernel is locked down from EFI Secure Boot"


class SecureBootError(Exception):
    """The firmware, shim or GRUB could not be prepared."""


def grub_word(word):
    """A word of a GRUB command, single-quoted (GRUB drops the quotes)."""
    return "'" + word.replace("'", "'\\''") + "'"


def prepare(arch, cache_dir, work_dir, kernel, initrd, cmdline, log=None):
    """Lay out the EFI system partition and the firmware in work_dir and
    return the QEMU arguments that boot it (instead of -kernel)."""
    row = FIRMWARE.get(arch.name)
    if row is None:
        raise SecureBootError(
            f"--secure-boot: no Secure Boot firmware for {arch.name} "
            f"(only {', '.join(sorted(FIRMWARE))})")
    folders = {}
    for package in row["packages"]:
        try:
            folders[package] = fetch_package(arch, package, cache_dir, log)
        except Exception as error:     # KernelError: apt said why
            raise SecureBootError(f"--secure-boot: {package}: {error}")

    def path(what):
        package, relative = row[what]
        found = os.path.join(folders[package], relative)
        if not os.path.isfile(found):
            raise SecureBootError(f"--secure-boot: {package} has no "
                                  f"{relative}")
        return found

    esp = os.path.join(work_dir, "esp")
    for relative, source in ((row["removable"], path("shim")),
                             (row["second_stage"], path("grub")),
                             ("vmlinuz", kernel), ("initrd.img", initrd)):
        target = os.path.join(esp, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)
    # Debian's signed GRUB reads /EFI/debian/grub.cfg; the same beside it
    # for a GRUB that looks in its own folder.
    config = ("set timeout=0\n"
              "linux /vmlinuz " + " ".join(grub_word(w)
                                           for w in cmdline.split()) + "\n"
              "initrd /initrd.img\n"
              "boot\n")
    for folder in ("EFI/debian", os.path.dirname(row["second_stage"])):
        os.makedirs(os.path.join(esp, folder), exist_ok=True)
        with open(os.path.join(esp, folder, "grub.cfg"), "w") as f:
            f.write(config)
    variables = os.path.join(work_dir, "OVMF_VARS.fd")
    shutil.copyfile(path("vars"), variables)
    return list(row["machine"]) + [
        "-drive", f"if=pflash,format=raw,unit=0,readonly=on,"
                  f"file={path('code')}",
        "-drive", f"if=pflash,format=raw,unit=1,file={variables}",
        # QEMU's virtual FAT disk of the folder (read-only).
        "-drive", f"file=fat:{esp},format=raw,if=virtio,readonly=on",
        "-net", "none",
    ]
