# SPDX-License-Identifier: MIT
"""kexec_file_load on a real kernel, with and without lockdown (x86_64).

Debian's amd64 kernel (6.1) has CONFIG_KEXEC_FILE and KEXEC_BZIMAGE_VERIFY_
SIG (not KEXEC_SIG_FORCE), and its bzImage is signed by Debian's Secure
Boot key.  Three boots:

- UEFI Secure Boot as Debian boots it (purgkit-run --secure-boot: OVMF
  with Microsoft's keys, signed shim and GRUB): the kernel locks itself
  down and trusts Debian's CA (shim's MOK list), so kexec_file_load of
  Debian's kernel (-s, -a) loads and runs, and kexec_load is refused up
  front;
- lockdown=integrity on QEMU's BIOS: the kernel has only its ephemeral
  module key built in, so Debian's signature does not verify: EPERM,
  named, and -a does not fall back to the kexec_load lockdown forbids;
- no lockdown: -a falls back on a real EINVAL, and prefers kexec_file_load;
  -s -p loads a capture kernel (KEXEC_FILE_ON_CRASH) and -s -u -p drops it.

Loads run as steps (purgkit-run --step) before the exec; the last is the
one that runs, and its command line carries a marker the second kernel
prints.  A command line of 2030 bytes is one the kernel's kexec_file
bzImage loader refuses with EINVAL (it keeps room for "elfcorehdr=" in the
2047 bytes cmdline_size allows) and kexec_load of purgkit's linux type
accepts: a real errno that -a falls back on.  (kexec_load under lockdown=
integrity, refused before anything is built: test_kexec_refusals.py.)
"""

import shlex
import uuid

import pytest

from purgkit_run.arches import ARCHES

pytestmark = pytest.mark.qemu

ARCH = "x86_64"
LOADER_FAILED = 5      # purgkit-run's exit code for a failed loader
EINVAL_WHY = ("kexec_file_load: the kernel refused the arguments (invalid "
              "argument)")


def command_line(marker, length=None):
    """The second kernel's command line; padded to `length` bytes."""
    line = (f"console={ARCHES[ARCH].console} panic=-1 purgkit.stage=2 "
            f"marker={marker}")
    if length:
        line += " pad=" + "x" * (length - len(line) - 5)
        assert len(line) == length
    return line


def step(*args):
    return shlex.join(args)


def second_phase(result):
    return result.console.split("old| purgkit-init: executing", 1)[1]


def step_output(result, number):
    """The console lines of loader step `number`, its exit line last."""
    text = result.console.split(f"purgkit-init: step {number}: ", 1)[1]
    return text.split(f"purgkit-init: step {number} exited ", 1)[0], \
        int(text.split(f"purgkit-init: step {number} exited ", 1)[1]
            .split("\n", 1)[0])


LOCKDOWN_REFUSAL = (
    "purgkit-load: kexec_load is forbidden by kernel lockdown (integrity "
    "mode, /sys/kernel/security/lockdown), and so is any custom "
    "trampoline: -s loads a signed Linux kernel through kexec_file_load, "
    "which runs the kernel's own purgatory")


def test_under_secure_boot_only_kexec_file_loads_and_it_execs(
        run_purgkit, kernel_for, stage2_initrd):
    """Debian's kernel booted as Debian boots under UEFI Secure Boot (OVMF
    with Microsoft's keys, signed shim and GRUB): locked down, with
    Debian's CA from shim's MOK list, so kexec_file_load of Debian's own
    kernel verifies, while kexec_load is refused up front."""
    kernel, initrd = kernel_for(ARCH), stage2_initrd(ARCH)
    final = command_line(uuid.uuid4().hex[:12])
    result = run_purgkit(
        ARCH,
        [kernel, "-s", f"--initrd={initrd}",
         f"--append={command_line(uuid.uuid4().hex[:12])}"],
        expect=["new:Linux version",
                f"purgkit-init: second kernel up, cmdline: {final}"],
        steps=[
            # 1: kexec_load (purgkit's trampoline): refused up front.
            step("-l", kernel, f"--initrd={initrd}"),
            # 2: -a where kexec_file_load answers EINVAL: the fallback,
            # kexec_load, is what lockdown forbids.
            step("-a", "-l", kernel, f"--initrd={initrd}",
                 f"--append={command_line('x', 2030)}"),
            # 3: -a where it does not: kexec_file_load.
            step("-a", "-l", kernel, f"--initrd={initrd}",
                 f"--append={command_line(uuid.uuid4().hex[:12])}"),
            # 4, 5: -u under lockdown unloads with KEXEC_FILE_UNLOAD.
            step("-u"),
            step("-S"),
            # 6: -s again; its image is the one that runs.
            step("-s", "-l", kernel, f"--initrd={initrd}",
                 f"--append={final}"),
        ],
        extra_options=["--secure-boot"], timeout=600)
    assert result.code == 0, result.why
    before = result.console.split("old| purgkit-init: executing", 1)[0]
    assert "Kernel is locked down from EFI Secure Boot" in before
    assert "Loaded X.509 cert 'Debian Secure Boot CA" in before
    # The load (-s) worked: the init went on to the steps.
    assert "purgkit-init: step 1: " in before

    out, status = step_output(result, 1)
    assert status == 1 and LOCKDOWN_REFUSAL in out
    # Said before the payload was read.
    assert "detected payload type" not in out
    out, status = step_output(result, 2)
    assert status == 1
    assert "purgkit-load: -a: kexec_file_load cannot do this load " \
           f"({EINVAL_WHY}" in out
    assert LOCKDOWN_REFUSAL.replace("purgkit-load: ", "") in out
    out, status = step_output(result, 3)
    assert status == 0
    assert "purgkit-load: -a: loaded with kexec_file_load (the kernel's " \
           "own purgatory)" in out
    out, status = step_output(result, 4)
    assert status == 0
    assert "purgkit-load: kernel lockdown (integrity mode) forbids " \
           "kexec_load: unloading with kexec_file_load" in out
    out, status = step_output(result, 5)
    assert status == 1 and "normal image: not loaded" in out
    out, status = step_output(result, 6)
    assert status == 0 and "purgkit-load: " not in out

    second = second_phase(result)
    assert f"new| purgkit-init: second kernel up, cmdline: {final}" in second
    # The kernel's own purgatory ran: no purgkit trampoline said a word.
    assert "new| purgkit: " not in second


def test_plain_lockdown_refuses_debian_kernel_for_its_signature(
        run_purgkit, kernel_for, stage2_initrd):
    """lockdown=integrity on QEMU's BIOS: the kernel has only its build's
    ephemeral module key built in ("Loaded X.509 cert 'Build time
    autogenerated kernel key'"); Debian's certificate comes from shim
    under Secure Boot, so here the signature does not verify, the kernel
    says EPERM, and -a does not fall back to the kexec_load lockdown
    forbids (kexec-tools falls back on no EPERM either)."""
    kernel = kernel_for(ARCH)
    result = run_purgkit(
        ARCH, [kernel, "-a", f"--initrd={stage2_initrd(ARCH)}",
               f"--append={command_line(uuid.uuid4().hex[:12])}"],
        expect=["new:Linux version"],
        extra_options=["--lockdown=integrity"])
    assert result.code == LOADER_FAILED, result.why
    assert "Kernel is locked down from command line" in result.console
    assert "purgkit-init: executing" not in result.console
    # The kernel's own word for it (security/lockdown, kexec_file.c).
    assert "Lockdown: purgkit-load: kexec of unsigned images is " \
           "restricted" in result.console
    name = "/purgkit/files/" + kernel.rsplit("/", 1)[1]
    assert result.reason == (
        "purgkit-run: FAIL: loader failed (exit 1): purgkit-load: "
        f"kexec_file_load: the kernel could not verify {name}'s signature, "
        "and kernel lockdown (integrity mode) loads only a verified kernel: "
        "sign it with a key the kernel trusts (.builtin_trusted_keys, "
        ".secondary_trusted_keys, or the .platform keyring from UEFI "
        "db/MOK)")
    assert "using kexec_load" not in result.console
    assert "Loaded X.509 cert 'Debian Secure Boot" not in result.console


def test_without_lockdown_a_falls_back_on_einval_and_prefers_kexec_file(
        run_purgkit, kernel_for, stage2_initrd):
    kernel, initrd = kernel_for(ARCH), stage2_initrd(ARCH)
    last = uuid.uuid4().hex[:12]
    final = command_line(last)
    long_line = command_line(uuid.uuid4().hex[:12], 2030)
    result = run_purgkit(
        ARCH,
        [kernel, "-a", f"--initrd={initrd}", f"--append={long_line}"],
        expect=["new:Linux version",
                f"purgkit-init: second kernel up, cmdline: {final}"],
        steps=[step("-a", "-l", kernel, f"--initrd={initrd}",
                    f"--append={command_line(uuid.uuid4().hex[:12])}"),
               # 2-5: a capture kernel (KEXEC_FILE_ON_CRASH) into the
               # crashkernel= reservation, then KEXEC_FILE_UNLOAD of it.
               step("-s", "-p", "-l", kernel, f"--initrd={initrd}",
                    "--append=console=ttyS0 nr_cpus=1 irqpoll"),
               step("-S", "-p"),
               step("-s", "-u", "-p"),
               step("-S", "-p"),
               # 6: -s; its image is the one that runs.
               step("-s", "-l", kernel, f"--initrd={initrd}",
                    f"--append={final}")],
        cmdline_extra="crashkernel=256M")
    assert result.code == 0, result.why
    before = result.console.split("old| purgkit-init: executing", 1)[0]
    assert "Kernel is locked down" not in before
    loading = before.split("purgkit-init: step 1: ", 1)[0]
    # The kernel's EINVAL, then kexec_load of the same load, which worked
    # (the init goes on to the steps only after a load that exits 0).
    assert f"purgkit-load: -a: using kexec_load: {EINVAL_WHY}" in loading
    assert "detected payload type 'linux'" in loading

    out, status = step_output(result, 1)
    assert status == 0
    assert "purgkit-load: -a: loaded with kexec_file_load (the kernel's " \
           "own purgatory)" in out
    out, status = step_output(result, 2)
    assert status == 0 and "purgkit-load: " not in out
    out, status = step_output(result, 3)
    assert status == 0 and "crash image: loaded" in out
    out, status = step_output(result, 4)
    assert status == 0 and "purgkit-load: " not in out
    out, status = step_output(result, 5)
    assert status == 1 and "crash image: not loaded" in out
    out, status = step_output(result, 6)
    assert status == 0 and "purgkit-load: " not in out
    second = second_phase(result)
    assert f"new| purgkit-init: second kernel up, cmdline: {final}" in second
    assert "new| purgkit: " not in second
