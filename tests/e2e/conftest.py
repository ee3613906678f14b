# SPDX-License-Identifier: MIT
"""Fixtures for the end-to-end tests (the helpers are in e2e_support.py).

Nothing here skips: a missing QEMU, Debian kernel or build output makes the
test FAIL with a message saying what is missing and how to get it (the
only skips are test_accel.py's, for facts of the host: e2e_support.py).
"""

import pytest

from e2e_support import (build_output, debian_kernel, init_binary,
                         run_purgkit as _run_purgkit)
from purgkit_run.initramfs import build_stage2_initramfs


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "qemu: boots QEMU (slow; one at a time)")


@pytest.fixture
def run_purgkit():
    """The helper ``run_purgkit(arch, load_args, expect, ...)`` (see
    e2e_support.run_purgkit)."""
    return _run_purgkit


@pytest.fixture
def built():
    """``built(arch, relative)``: a build output's path, or the test fails."""
    return build_output


@pytest.fixture
def stage2_initrd(tmp_path):
    """``stage2_initrd(arch)``: path of an initramfs holding only
    purgkit-init, for a second kernel booted with purgkit.stage=2."""
    def make(arch):
        path = tmp_path / f"stage2-{arch}.cpio"
        path.write_bytes(build_stage2_initramfs(init_binary(arch)))
        return str(path)
    return make


@pytest.fixture
def kernel_for():
    """``kernel_for(arch)``: the Debian kernel's host path."""
    return debian_kernel
