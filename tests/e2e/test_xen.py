# SPDX-License-Identifier: MIT
"""Xen from Debian, a Multiboot kernel no one here wrote, booted through
purgkit over Multiboot 1 and over Multiboot 2 with the harness's Debian
kernel as its dom0 module.

What each test checks is what Xen itself prints on com1: it names our
loader, it shows our WHOLE command line (Xen drops the first word, the
image's name, for every loader but GRUB 2: the convention of
docs/contract-x86_64.md), its memory map is the e820 map the old kernel
saw, handed over in our Multiboot information ("Multiboot-e820"), and it
finds the dom0 kernel in our module list and starts it: dom0's Linux
prints exactly the arguments of our module string (Xen drops that string's
first word, the module's name, by the same convention).

The hypervisor package is asked from apt (what xen-system-amd64 depends
on) and fetched into the kernel cache on first use, like the kernels.
Dom0 is stopped as soon as its Linux has printed its command line: the
claim here is about what the boot loader hands Xen, not about dom0.
"""

import glob
import gzip
import os
import re
import subprocess

import pytest

from e2e_support import ARCHES, KernelError, cli

pytestmark = pytest.mark.qemu

# The metapackage whose Depends names the hypervisor of this release.
XEN_METAPACKAGE = "xen-system-amd64"

# Enough for Xen and a 256 MiB dom0; no BIOS calls after a kexec (the
# old kernel owns the machine), so no real-mode probing; com1 is the
# harness's serial console.
XEN_APPEND = ("console=com1 com1=115200,8n1 no-real-mode edd=off "
              "dom0_mem=256M,max:256M dom0_max_vcpus=1")
DOM0_APPEND = "console=hvc0 earlyprintk=xen"

# A PV dom0 under TCG with SMAP exposed faults on its first stack access
# (#PF in xen_start_kernel, before it prints anything); the CPU is
# otherwise the harness's "max".  Nothing the boot loader hands over.
QEMU_CPU = ("-cpu", "max,-smap")

# Old kernel: "BIOS-e820: [mem 0x...-0x...] usable"; Xen:
# "(XEN)  [0000000000000000, 000000000009fbff] (usable)".
OLD_E820 = re.compile(r"BIOS-e820: \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] "
                      r"(.+?)\s*$")
XEN_E820 = re.compile(r"\(XEN\)\s+\[([0-9a-f]+), ([0-9a-f]+)\] \((.+)\)")
E820_NAMES = {"usable": "usable", "reserved": "reserved",
              "ACPI data": "ACPI data", "ACPI NVS": "ACPI NVS"}


def xen_package():
    """The xen-hypervisor-<version>-amd64 package apt names today."""
    out = subprocess.run(["apt-cache", "depends", XEN_METAPACKAGE],
                         capture_output=True, text=True).stdout
    found = re.findall(r"Depends:\s+(xen-hypervisor-[\d.]+-amd64)\s", out)
    return found[0] if found else None


def xen_image(tmp_path, packed):
    """Xen's multiboot ELF as Debian ships it, /boot/xen-<version>-amd64.gz
    (packed: purgkit-load inflates it, as GRUB's 20_linux_xen and
    kexec-tools do), or decompressed into tmp_path."""
    cache = os.path.join(cli.default_cache_dir(), "x86_64")
    package = xen_package()
    if package:
        from purgkit_run.kernel import fetch_package
        try:
            folder = fetch_package(ARCHES["x86_64"], package,
                                   cli.default_cache_dir())
        except KernelError as error:
            pytest.fail(f"cannot fetch {package}: {error}", pytrace=False)
    else:
        # Offline: one unpacked hypervisor in the cache will do.
        cached = sorted(glob.glob(os.path.join(cache,
                                               "xen-hypervisor-*-amd64")))
        if len(cached) != 1:
            pytest.fail(f"apt names no hypervisor for {XEN_METAPACKAGE} "
                        f"and the cache holds {cached!r}", pytrace=False)
        folder = cached[0]
    images = sorted(glob.glob(os.path.join(folder, "boot", "xen-*.gz")))
    if len(images) != 1:
        pytest.fail(f"{folder}/boot holds {images!r}, not one xen-*.gz",
                    pytrace=False)
    if packed:
        return images[0]
    name = os.path.basename(images[0])[:-len(".gz")]
    path = tmp_path / name
    with gzip.open(images[0]) as packed:
        path.write_bytes(packed.read())
    return str(path)


def e820(console, pattern, source):
    """The (start, end, type) ranges a prefixed console lists."""
    ranges = []
    for line in console.splitlines():
        if not line.startswith(source):
            continue
        match = pattern.search(line)
        if match:
            start, end, kind = match.groups()
            ranges.append((int(start, 16), int(end, 16),
                           E820_NAMES.get(kind, kind)))
    return ranges


def boot_xen(run_purgkit, kernel_for, tmp_path, payload_type, packed):
    """Boot Xen with the Debian kernel as dom0; `packed`: Xen and the dom0
    module are given gzip-compressed, as GRUB users have them."""
    xen = xen_image(tmp_path, packed)
    dom0 = kernel_for("x86_64")
    if packed:
        with open(dom0, "rb") as plain, \
                gzip.open(tmp_path / "vmlinuz.gz", "wb") as squeezed:
            squeezed.write(plain.read())
        dom0 = str(tmp_path / "vmlinuz.gz")
    result = run_purgkit("x86_64", [
        xen, f"--type={payload_type}", f"--append={XEN_APPEND}",
        f"--module={dom0} {DOM0_APPEND}"],
        expect=["purgkit: sha256 ok",
                f"purgkit: {payload_type}: entering",
                "new:(XEN) Bootloader: purgkit",
                f"new:(XEN) Command line: {XEN_APPEND}",
                "new:(XEN) Multiboot-e820 RAM map:",
                "new:re:\\(XEN\\)\\s+Xen  kernel: 64-bit",
                "new:re:\\(XEN\\)\\s+Dom0 kernel: 64-bit",
                # The whole dom0 line: --expect matches text as it
                # arrives, and the run ends at the last match.
                f"new:] Command line: {DOM0_APPEND}"],
        qemu_args=QEMU_CPU, timeout=100)
    assert result.code == 0, result.why
    console = result.console
    # The whole line, its first word included: nothing before or after.
    shown = [line.split("Command line: ", 1)[1]
             for line in console.splitlines()
             if line.startswith("new| (XEN) Command line: ")]
    assert shown == [XEN_APPEND], result.why
    # Dom0's Linux got the module's arguments: the module string was the
    # file's name, then them, and Xen dropped the name.
    dom0 = [line.split("] Command line: ", 1)[1]
            for line in console.splitlines()
            if line.startswith("new| [") and "] Command line: " in line]
    assert dom0 == [DOM0_APPEND], result.why
    # The map Xen uses is the one the firmware gave the old kernel.
    old = e820(console, OLD_E820, "old| ")
    new = e820(console, XEN_E820, "new| ")
    assert old and new == old, (old, new)
    return result


def test_xen_gz_over_multiboot1_gets_whole_cmdline_e820_and_dom0_args(
        run_purgkit, kernel_for, tmp_path):
    # Debian's xen-*.gz and a gzipped dom0, inflated by purgkit-load.
    boot_xen(run_purgkit, kernel_for, tmp_path, "multiboot", packed=True)


def test_xen_over_multiboot2_gets_whole_cmdline_e820_and_dom0_args(
        run_purgkit, kernel_for, tmp_path):
    boot_xen(run_purgkit, kernel_for, tmp_path, "multiboot2", packed=False)
