# SPDX-License-Identifier: MIT
"""memtest86+ from Debian through each entry of the Linux boot protocol.

memtest86+ is a real payload that no one here wrote: a bzImage (boot
protocol 2.12) in two builds, x64 with a 64-bit entry and ia32 without one.
GRUB and kexec-tools boot the ia32 build through the 32-bit entry, or with
--real-mode through its 16-bit setup code.  Each test checks what a user
sees on the serial console: memtest's own screen, drawn with escape
sequences, with the memory it found and its first test running.  That
proves the entry, the command line (without console=ttyS0 memtest prints
nothing on serial) and the memory map (e820 in boot_params for the 64- and
32-bit entries; the BIOS's, asked by memtest's setup code, in real mode).

The package is fetched on first use, the version asked from apt.
"""

import os

import pytest

from e2e_support import cli
from purgkit_run.arches import ARCHES
from purgkit_run.kernel import KernelError, fetch_package

pytestmark = pytest.mark.qemu

# memtest measures its caches' speed before it draws its screen: slow under
# TCG for the ia32 build (about a minute).
TIMEOUT = 150
CONSOLE = "console=ttyS0,115200"
# 1 GiB of guest RAM: memtest reports what the memory map gave it.
SCREEN = ["new:Memtest86+ v", r"new:re:Memory\s+:\s+10[0-9][0-9]MB",
          r"new:re:#0 +\[Address test"]

_memtest = {}


def memtest(build):
    """Path of Debian's memtest86+<build>.bin (x64 or ia32)."""
    if "dir" not in _memtest:
        try:
            _memtest["dir"] = fetch_package(ARCHES["x86_64"], "memtest86+",
                                            cli.default_cache_dir())
        except KernelError as error:
            pytest.fail(f"cannot fetch Debian's memtest86+: {error}",
                        pytrace=False)
    path = os.path.join(_memtest["dir"], "boot", f"memtest86+{build}.bin")
    if not os.path.isfile(path):
        pytest.fail(f"Debian's memtest86+ holds no {path}", pytrace=False)
    return path


def test_memtest_x64_starts_testing_through_the_64_bit_entry(run_purgkit):
    result = run_purgkit("x86_64", [
        memtest("x64"), f"--append={CONSOLE}"],
        expect=["purgkit: sha256 ok",
                "purgkit: linux: entering 0x100200 in 64-bit mode"] + SCREEN,
        timeout=TIMEOUT)
    assert result.code == 0, result.why


def test_memtest_ia32_starts_testing_through_the_32_bit_entry(run_purgkit):
    result = run_purgkit("x86_64", [
        memtest("ia32"), f"--append={CONSOLE}"],
        expect=["purgkit: sha256 ok",
                "purgkit: linux: entering 0x100000 in 32-bit protected "
                "mode"] + SCREEN,
        timeout=TIMEOUT)
    assert result.code == 0, result.why


def test_memtest_ia32_starts_testing_through_the_real_mode_entry(
        run_purgkit):
    result = run_purgkit("x86_64", [
        memtest("ia32"), "--real-mode", f"--append={CONSOLE}"],
        expect=["purgkit: sha256 ok",
                "re:purgkit: linux: entering [0-9a-f]{4}:0000 in real mode"]
        + SCREEN,
        timeout=TIMEOUT)
    assert result.code == 0, result.why
