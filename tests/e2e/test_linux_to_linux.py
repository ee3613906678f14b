# SPDX-License-Identifier: MIT
"""A Debian kernel kexecs itself through purgkit-load's linux type.

The second kernel gets a small initramfs (purgkit-init alone) and a command
line carrying purgkit.stage=2 and a marker; its init prints the command line
it was given and the CPUs it brought up.  This is what a user checks first:
the new kernel runs, with exactly my initrd and my command line, on all CPUs.
"""

import uuid

import pytest

from purgkit_run.arches import ARCHES

SMP = 4


@pytest.mark.qemu
@pytest.mark.parametrize("arch", ["x86_64", "ppc64le"])
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
