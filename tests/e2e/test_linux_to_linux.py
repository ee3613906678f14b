# SPDX-License-Identifier: MIT
"""A Debian kernel kexecs itself through purgkit-load's linux type.

The second kernel gets a small initramfs (purgkit-init alone) and a command
line carrying purgkit.stage=2 and a marker; its init prints the command line
it was given and the CPUs it brought up.  This is what a user checks first:
the new kernel runs, with exactly my initrd and my command line, on all CPUs.
"""

import re
import uuid

import pytest

from build_targets import row
from e2e_support import KEXEC_ARCHES
from purgkit_run.arches import ARCHES

SMP = 4


@pytest.mark.qemu
@pytest.mark.parametrize("arch", KEXEC_ARCHES)
def test_linux_kexecs_linux_with_initrd_cmdline_and_all_cpus(
        arch, run_purgkit, kernel_for, stage2_initrd):
    marker = uuid.uuid4().hex[:12]
    append = (f"console={ARCHES[arch].console} panic=-1 purgkit.stage=2 "
              f"marker={marker}")
    result = run_purgkit(
        arch,
        [kernel_for(arch), "--type=linux", f"--initrd={stage2_initrd(arch)}",
         f"--append={append}"],
        expect=["new:Linux version",
                f"purgkit-init: second kernel up, cmdline: {append}",
                f"purgkit-init: online cpus: 0-{SMP - 1} ({SMP})"],
        smp=SMP)
    assert result.code == 0, result.why
    second = result.console.split("old| purgkit-init: executing", 1)[1]
    assert f"new| purgkit-init: second kernel up, cmdline: {append}" in second
    assert f"marker={marker}" in second
    check_trampoline_timing(arch, result.console)


def tsc_mhz(console):
    """x86_64: "tsc: Detected 2596.151 MHz processor"."""
    m = re.search(r"tsc: Detected ([0-9.]+) MHz", console)
    return float(m.group(1))


def timebase_mhz(console):
    """ppc64: "clocksource: timebase mult[1f40000] shift[24]": mult /
    2^shift nanoseconds per tick."""
    m = re.search(r"clocksource: timebase mult\[([0-9a-f]+)\] "
                  r"shift\[([0-9]+)\]", console)
    return (1 << int(m.group(2))) * 1000 / int(m.group(1), 16)


def arch_timer_mhz(console):
    """aarch64: "arch_timer: cp15 timer(s) running at 62.50MHz (virt)."."""
    m = re.search(r"arch_timer: cp15 timer\(s\) running at ([0-9.]+)MHz",
                  console)
    return float(m.group(1))


def sched_clock_mhz(console):
    """riscv64: the time CSR at the tree's timebase-frequency, "sched_clock:
    64 bits at 10MHz, resolution 100ns, ..."."""
    m = re.search(r"sched_clock: 64 bits at ([0-9.]+)MHz", console)
    return float(m.group(1))


# Per arch: how the old kernel says the clock rate the trampoline uses.
OLD_KERNEL_CLOCK = {
    "x86_64": tsc_mhz,
    "ppc64le": timebase_mhz,
    "aarch64": arch_timer_mhz,
    "riscv64": sched_clock_mhz,
}


def old_kernel_clock_mhz(arch, console):
    """The clock rate the old kernel measured or was told."""
    return row(OLD_KERNEL_CLOCK, "tests/e2e/test_linux_to_linux.py "
               "OLD_KERNEL_CLOCK", arch)(console)


def check_trampoline_timing(arch, console):
    """What a user reads to know where the time between the kernels went:
    the trampoline reports entry to hand-off and the check's bytes and
    rate, on a clock that agrees with the old kernel's."""
    hashed = re.search(r"new\| purgkit: sha256 \(\S+\) of \d+ regions?, "
                       r"(\d+) bytes", console)
    timing = re.search(r"new\| purgkit: time: entry to hand-off "
                       r"(\d+)\.(\d{3}) ms; sha256 (\d+) bytes in "
                       r"(\d+)\.(\d{3}) ms, (\d+) MB/s \(clock (\d+) MHz\)",
                       console)
    assert hashed and timing, "no timing report from the trampoline"
    total_us = int(timing.group(1)) * 1000 + int(timing.group(2))
    hash_us = int(timing.group(4)) * 1000 + int(timing.group(5))
    assert int(timing.group(3)) == int(hashed.group(1))
    assert 0 < hash_us <= total_us
    assert int(timing.group(6)) == int(timing.group(3)) // hash_us
    old_mhz = old_kernel_clock_mhz(arch, console)
    assert abs(int(timing.group(7)) - old_mhz) <= 0.05 * old_mhz, \
        (timing.group(0), old_mhz)
