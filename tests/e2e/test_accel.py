# SPDX-License-Identifier: MIT
"""purgkit-run --accel: TCG by default, KVM with -cpu host where it really
runs a guest, and "auto" that probes before it trusts /dev/kvm.

On a nested-virtualisation host /dev/kvm may open and run SeaBIOS while a
Linux guest hangs silently after "Probing EDD", or QEMU may abort setting
an MSR of -cpu host: the tests that need a working KVM are skipped there,
with the probe's reason, and the others prove that such a host ends in TCG
or in a clear reason."""

import re
import subprocess

import pytest

from e2e_support import BUILD, PURGKIT_RUN, debian_kernel, require_qemu
from purgkit_run.accel import (AccelError, choose_accel, kvm_unusable,
                               probe_kvm)
from purgkit_run.arches import ARCHES
from purgkit_run.qemu import qemu_command

MULTIBOOT = f"{BUILD}/payloads/x86_64/multiboot.elf"
SCREEN = f"{BUILD}/payloads/x86_64/screen.elf"
_probe = {}


def kvm_probe():
    """(works, detail) of one KVM probe boot per session."""
    if not _probe:
        arch = ARCHES["x86_64"]
        unusable = kvm_unusable(arch)
        _probe["result"] = (False, unusable) if unusable else \
            probe_kvm(arch, debian_kernel("x86_64"))
    return _probe["result"]


def test_tcg_is_the_default_and_kvm_runs_the_host_cpu():
    arch = ARCHES["x86_64"]
    tcg = qemu_command(arch, "k", "i", "c", "1G", 1)
    kvm = qemu_command(arch, "k", "i", "c", "1G", 1, accel="kvm")
    assert tcg[1:3] == ["-accel", "tcg"] and "max" in tcg
    assert kvm[1:3] == ["-accel", "kvm"]
    assert kvm[kvm.index("-cpu") + 1] == "host"
    assert choose_accel(arch, "tcg", "k", print) == "tcg"


def test_kvm_for_a_ppc64le_guest_on_this_host_is_refused_saying_why():
    with pytest.raises(AccelError) as error:
        choose_accel(ARCHES["ppc64le"], "kvm", "k", print)
    assert re.fullmatch(r"--accel=kvm: KVM runs only an x86_64 guest on an "
                        r"x86_64 host \(guest ppc64le, host \S+\); use "
                        r"--accel=tcg", str(error.value))
    notes = []
    assert choose_accel(ARCHES["ppc64le"], "auto", "k", notes.append) == \
        "tcg"
    assert notes[0].startswith("--accel=auto: TCG (KVM runs only")


def test_an_unknown_accel_is_a_usage_error():
    result = subprocess.run([PURGKIT_RUN, "--arch", "x86_64", "--accel",
                             "hvf", "--", "x"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "argument --accel: invalid choice: 'hvf'" in result.stderr


@pytest.mark.qemu
def test_auto_says_which_accelerator_it_chose_and_the_run_passes(
        run_purgkit):
    works, detail = kvm_probe()
    result = run_purgkit("x86_64", [MULTIBOOT, "--type=multiboot"],
                         ["PAYLOAD RESULT: PASS"],
                         extra_options=["--accel=auto"])
    assert result.code == 0, result.why
    chosen = [line for line in result.stderr.splitlines()
              if line.startswith("purgkit-run: --accel=auto: ")]
    assert len(chosen) == 1, result.stderr
    if works:
        assert chosen[0].startswith("purgkit-run: --accel=auto: KVM ("), \
            chosen
        assert " -accel kvm " in result.stderr
    else:
        assert chosen[0].startswith("purgkit-run: --accel=auto: TCG ("), \
            chosen
        assert " -accel tcg " in result.stderr


@pytest.mark.qemu
def test_kvm_trampoline_reports_the_sha_ni_engine(run_purgkit):
    """Only KVM with -cpu host gives a real purgatory the SHA extensions
    (TCG has none): the multiboot trampoline must pick x86-sha-ni."""
    works, detail = kvm_probe()
    if not works:
        pytest.skip(f"KVM does not run a guest on this host: {detail}")
    with open("/proc/cpuinfo") as f:
        if " sha_ni" not in f.read():
            pytest.skip("this host CPU has no SHA extensions (sha_ni)")
    result = run_purgkit(
        "x86_64", [MULTIBOOT, "--type=multiboot"],
        ["purgkit: sha256 (x86-sha-ni) of", "purgkit: sha256 ok",
         "PAYLOAD RESULT: PASS"], extra_options=["--accel=kvm"])
    assert result.code == 0, result.why


@pytest.mark.qemu
def test_kvm_that_cannot_run_the_guest_ends_with_a_clear_reason(tmp_path):
    """Where the probe says KVM does not work, --accel=kvm still ends, fast,
    and its last line says what happened under KVM."""
    works, detail = kvm_probe()
    if works:
        pytest.skip("KVM works on this host: nothing to fail")
    require_qemu("x86_64")
    result = subprocess.run(
        [PURGKIT_RUN, "--arch", "x86_64", "--accel=kvm", "--kernel",
         debian_kernel("x86_64"), "--expect", "PAYLOAD RESULT: PASS", "--",
         MULTIBOOT, "--type=multiboot"], capture_output=True, text=True,
        timeout=240)
    last = result.stderr.splitlines()[-1]
    assert result.returncode != 0, last
    assert last.startswith("purgkit-run: FAIL: "), last
    assert "kvm" in last.lower(), last


@pytest.mark.qemu
def test_kvm_guest_that_prints_no_kernel_line_is_stopped_with_the_reason():
    """The watchdog of --accel=kvm, on any host whose /dev/kvm opens: the
    "old kernel" is the screen test payload booted by QEMU's own Multiboot
    loader, which draws its report and stops, and never prints a kernel log
    line (as a Linux hung after "Probing EDD" does not).  The -cpu property
    lets QEMU start where KVM rejects -cpu host's ARCH_CAPABILITIES MSR;
    the payload does not care."""
    unusable = kvm_unusable(ARCHES["x86_64"])
    if unusable:
        pytest.skip(f"KVM cannot be tried on this host: {unusable}")
    require_qemu("x86_64")
    result = subprocess.run(
        [PURGKIT_RUN, "--arch", "x86_64", "--accel=kvm", "--kernel", SCREEN,
         "--qemu-arg=-cpu", "--qemu-arg=host,-arch-capabilities",
         "--expect", "never printed", "--", "x"],
        capture_output=True, text=True, timeout=240)
    last = result.stderr.splitlines()[-1]
    assert result.returncode == 3, last
    assert re.fullmatch(r"purgkit-run: FAIL: --accel=kvm: no kernel line in "
                        r"20 s \(last line: '.*'\): the guest seems hung "
                        r"under this KVM; use --accel=tcg, or --accel=auto "
                        r"to probe", last), last
