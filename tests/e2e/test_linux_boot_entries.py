# SPDX-License-Identifier: MIT
"""A Debian kernel through the Linux boot protocol's other entries.

A modern bzImage keeps the 32-bit entry (code32_start) and the 16-bit
real-mode setup code beside its 64-bit entry; --mode=32 and --real-mode
make purgkit-load use them.  The second kernel comes up with exactly the
command line and initrd it was given, as through the 64-bit entry
(test_linux_to_linux.py).
"""

import uuid

import pytest

from purgkit_run.arches import ARCHES

pytestmark = pytest.mark.qemu


@pytest.mark.parametrize("mode_args, entering", [
    (["--mode=32"], "in 32-bit protected mode"),
    (["--real-mode"], "in real mode"),
], ids=["32-bit", "real-mode"])
def test_debian_kernel_boots_with_initrd_and_cmdline_through_entry(
        mode_args, entering, run_purgkit, kernel_for, stage2_initrd):
    marker = uuid.uuid4().hex[:12]
    append = (f"console={ARCHES['x86_64'].console} panic=-1 "
              f"purgkit.stage=2 marker={marker}")
    result = run_purgkit(
        "x86_64",
        [kernel_for("x86_64"), f"--initrd={stage2_initrd('x86_64')}",
         f"--append={append}"] + mode_args,
        expect=["purgkit: linux: entering", entering, "new:Linux version",
                f"purgkit-init: second kernel up, cmdline: {append}"])
    assert result.code == 0, result.why
    second = result.console.split("old| purgkit-init: executing", 1)[1]
    assert f"new| purgkit-init: second kernel up, cmdline: {append}" in second
    assert f"marker={marker}" in second
