# SPDX-License-Identifier: MIT
"""BIOS services after kexec (issue 23): the 16-bit hand-offs give the
firmware back the interrupt state it set up at boot (both 8259s at vectors
0x08 and 0x70 with its lines open, the PIT at 18.2 Hz, the local APIC in
virtual wire mode), so that a real-mode payload whose BIOS calls wait for
the timer runs after Linux as it does after a cold boot.

The project's bios_ticks payload counts the BIOS's timer ticks (INT 1Ah)
over one second of the CMOS clock; iPXE's ipxe.lkrn, entered through the
Linux boot protocol's 16-bit entry, runs a command-line script that sleeps
(its timer is the BIOS's) and prints a line after the sleep; syslinux's
memdisk emulates a floppy whose boot sector loads bios_ticks through
INT 13h, the chain a DOS-era boot disk takes.
"""

import os
import re

import pytest

from e2e_support import BUILD, cli
from purgkit_run.arches import ARCHES
from purgkit_run.kernel import KernelError, fetch_package

pytestmark = pytest.mark.qemu


def payload(name):
    """A built test payload (tests/payloads/x86_64/), or the test fails."""
    path = f"{BUILD}/payloads/x86_64/{name}"
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: run `make payloads`", pytrace=False)
    return path


def bios_ticks_payload():
    """purgkit-load's arguments for tests/payloads/x86_64/bios_ticks.c."""
    return [payload("bios_ticks.bin"), "--type=raw", "--address=0x8000",
            "--mode=16"]


def debian_file(package, path):
    try:
        folder = fetch_package(ARCHES["x86_64"], package,
                               cli.default_cache_dir())
    except KernelError as error:
        pytest.fail(f"cannot fetch Debian's {package}: {error}",
                    pytrace=False)
    return f"{folder}/{path}"


def ticks_reported(console):
    found = re.search(r"payload: BIOS ticks in one RTC second: (\d+)",
                      console)
    return int(found.group(1)) if found else None


def test_bios_timer_ticks_at_18_hz_in_a_real_mode_payload(run_purgkit):
    result = run_purgkit("x86_64", bios_ticks_payload(), expect=[
        "purgkit: raw16: entering 0000:8000 in real mode",
        "BIOS interrupt state restored", "payload: bios_ticks running",
        "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    assert 10 <= ticks_reported(result.console) <= 27, result.console


def test_without_the_restore_the_bios_timer_stands_still(run_purgkit):
    """--no-bios-irq-restore keeps the old kernel's state: every 8259 line
    masked, so the BIOS never counts a tick (what issue 23 found)."""
    result = run_purgkit("x86_64", bios_ticks_payload() + [
        "--no-bios-irq-restore"], expect=[
        "interrupt controllers as the old kernel left them",
        "payload: BIOS ticks in one RTC second: 0",
        "PAYLOAD RESULT: FAIL"])
    assert result.code == 0, result.why


def test_ipxe_script_sleeps_then_goes_on_through_the_real_mode_entry(
        run_purgkit):
    """iPXE runs its command line as a script.  The line after the sleep
    is built from a variable, so it cannot match the command line itself
    wherever that is printed."""
    script = "set state awake ; echo sleeping ; sleep 1 ; echo now-${state}"
    result = run_purgkit("x86_64", [
        debian_file("ipxe", "boot/ipxe.lkrn"), "--real-mode",
        f"--append={script}"],
        expect=["BIOS interrupt state restored", "iPXE initialising devices",
                "sleeping", "now-awake"], timeout=90)
    assert result.code == 0, result.why


FLOPPY_SIZE = 1440 * 1024        # memdisk takes this size for a 1.44 MB floppy


def test_memdisk_boots_a_floppy_whose_payload_counts_bios_ticks(
        run_purgkit, tmp_path):
    """memdisk (boot protocol 2.03, --real-mode) hooks INT 13h and boots
    the image's boot sector (tests/payloads/x86_64/floppy_boot.S), which
    reads bios_ticks from the next sectors through that INT 13h."""
    with open(payload("floppy_boot.bin"), "rb") as f:
        boot = f.read()
    with open(payload("bios_ticks.bin"), "rb") as f:
        ticks = f.read()
    assert len(boot) <= 510 and len(ticks) <= 4 * 512
    floppy = tmp_path / "floppy.img"
    floppy.write_bytes((boot.ljust(510, b"\0") + b"\x55\xaa" +
                        ticks).ljust(FLOPPY_SIZE, b"\0"))
    result = run_purgkit("x86_64", [
        debian_file("syslinux-common", "usr/lib/syslinux/memdisk"),
        "--real-mode", f"--initrd={floppy}"], expect=[
        "BIOS interrupt state restored", "Disk is fd0, 1440 K",
        "payload: bios_ticks running", "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    assert 10 <= ticks_reported(result.console) <= 27, result.console
