# SPDX-License-Identifier: MIT
"""What a user is told, on a real kernel, when kexec_load may not be used:
no CAP_SYS_BOOT, kexec disabled by sysctl, kernel lockdown.  Each is one
line from purgkit-load naming the cause, a non-zero exit, and nothing
loaded (the init stops at the loader's failure; no exec is attempted)."""

import pytest

from e2e_support import BUILD

pytestmark = pytest.mark.qemu

PAYLOAD = f"{BUILD}/payloads/x86_64/multiboot.elf"
LOADER_FAILED = 5      # purgkit-run's exit code for a failed loader


def refused(run_purgkit, cmdline_extra):
    result = run_purgkit("x86_64", [PAYLOAD, "--type=multiboot"],
                         expect=["PAYLOAD RESULT"],
                         cmdline_extra=cmdline_extra)
    assert result.code == LOADER_FAILED, result.why
    assert "purgkit-init: executing" not in result.console
    return result.reason


def test_without_cap_sys_boot_the_user_is_told_to_be_root(run_purgkit):
    reason = refused(run_purgkit, "purgkit.test.no_cap_sys_boot")
    assert "purgkit-load: kexec_load: permission denied: this process " \
           "lacks CAP_SYS_BOOT (run as root, or use --dry-run)" in reason


def test_sysctl_kexec_load_disabled_is_named(run_purgkit):
    reason = refused(run_purgkit, "sysctl.kernel.kexec_load_disabled=1")
    assert "kexec_load is disabled by sysctl " \
           "kernel.kexec_load_disabled=1" in reason


def test_lockdown_is_named_with_its_mode(run_purgkit):
    reason = refused(run_purgkit, "lockdown=integrity")
    # Said before the payload is read: lockdown refuses every kexec_load.
    assert "purgkit-load: kexec_load is forbidden by kernel lockdown " \
           "(integrity mode, /sys/kernel/security/lockdown), and so is any " \
           "custom trampoline: -s loads a signed Linux kernel through " \
           "kexec_file_load" in reason
