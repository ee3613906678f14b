# SPDX-License-Identifier: MIT
"""Kernels as distributions ship them, kexec'd through purgkit-load.

A unified kernel image: Debian's amd64 kernel, a zstd-compressed
initramfs and a command line, put in systemd-stub's EFI binary with
objcopy --add-section (as systemd documents it, and ukify does), and
given to purgkit-load alone: the new kernel must come up with the UKI's
initrd and command line.

A zstd-compressed kernel: Debian's arm64 Image (the form the aarch64
linux type reads raw), compressed with zstd(1): purgkit-load
decompresses it through libzstd and the new kernel comes up.  One arch
only: each boot costs a minute or more under TCG.
"""

import subprocess
import uuid

import pytest

from purgkit_run.arches import ARCHES
from uki_images import stub_uki


def zstd(data):
    return subprocess.run(["zstd", "-c", "-q"], input=data,
                          capture_output=True, check=True).stdout


@pytest.mark.qemu
def test_uki_kexecs_with_its_own_initrd_and_command_line(
        run_purgkit, kernel_for, stage2_initrd, tmp_path):
    arch = "x86_64"
    marker = uuid.uuid4().hex[:12]
    cmdline = (f"console={ARCHES[arch].console} panic=-1 purgkit.stage=2 "
               f"marker={marker}")
    with open(kernel_for(arch), "rb") as f:
        kernel = f.read()
    with open(stage2_initrd(arch), "rb") as f:
        initrd = zstd(f.read())     # the kernel unpacks it (RD_ZSTD)
    uki = stub_uki(str(tmp_path), {
        ".osrel": b"ID=debian\nVERSION_ID=12\n",
        ".cmdline": cmdline.encode() + b"\n",
        ".initrd": initrd,
        ".linux": kernel,
    })
    result = run_purgkit(
        arch, [uki],
        expect=["new:Linux version",
                f"purgkit-init: second kernel up, cmdline: {cmdline}"])
    assert result.code == 0, result.why
    assert "detected payload type 'linux'" in result.console
    second = result.console.split("old| purgkit-init: executing", 1)[1]
    assert f"new| purgkit-init: second kernel up, cmdline: {cmdline}" \
        in second


@pytest.mark.qemu
def test_zstd_compressed_arm64_image_kexecs(
        run_purgkit, kernel_for, stage2_initrd, tmp_path):
    arch = "aarch64"
    marker = uuid.uuid4().hex[:12]
    append = (f"console={ARCHES[arch].console} panic=-1 purgkit.stage=2 "
              f"marker={marker}")
    # Debian 12's arm64 vmlinuz is the Image itself; this one is zstd's,
    # as other distributions ship it.
    with open(kernel_for(arch), "rb") as f:
        image = f.read()
    assert image[56:60] == b"ARM\x64"
    packed = tmp_path / "Image.zst"
    packed.write_bytes(zstd(image))
    result = run_purgkit(
        arch,
        [str(packed), "--type=linux", f"--initrd={stage2_initrd(arch)}",
         f"--append={append}"],
        expect=["new:Linux version",
                f"purgkit-init: second kernel up, cmdline: {append}"])
    assert result.code == 0, result.why
    second = result.console.split("old| purgkit-init: executing", 1)[1]
    assert f"marker={marker}" in second
