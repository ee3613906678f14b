# SPDX-License-Identifier: MIT
"""--accel: TCG, KVM, or KVM only where a guest really runs.

TCG is the default: the same run gives the same result on every host.  KVM
is faster, and only KVM with ``-cpu host`` lets a trampoline use the host
CPU's SHA extensions (QEMU's TCG has none).  But /dev/kvm can exist where
KVM cannot run a guest: on one nested-virtualisation host it opened,
created VMs, ran SeaBIOS, and the Linux guest then hung silently after
"Probing EDD".  So "auto" boots the run's own kernel under KVM first and
takes KVM only if that kernel prints its banner.
"""

import os
import platform
import shutil
import tempfile
import time

from .console import KERNEL_LOG_LINE
from .qemu import qemu_command, run_qemu

ACCELS = ("tcg", "kvm", "auto")
# A kernel under working KVM prints its banner within a second or two; on
# a busy host give it ample time.  This is also how long "kvm" waits for
# the old kernel's first line before calling the guest hung.
KVM_BANNER_SECONDS = 20.0


class AccelError(Exception):
    """--accel=kvm cannot work here; the message says why."""


def kvm_unusable(arch):
    """Why KVM cannot run ``arch`` on this host, or None if it may."""
    host = platform.machine()
    if arch.kvm_host is None or arch.kvm_host != host:
        return (f"KVM runs only an x86_64 guest on an x86_64 host (guest "
                f"{arch.name}, host {host})")
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as error:
        return f"/dev/kvm: {error.strerror}"
    os.close(fd)
    return None


def last_words(lines):
    """The last console line that says something, quoted, for a reason."""
    for text in reversed(lines):
        if text.strip():
            return repr(text.strip()[-80:])
    return "nothing"


def probe_kvm(arch, kernel, seconds=KVM_BANNER_SECONDS):
    """Boot ``kernel`` (no initrd) under KVM until it prints a kernel log
    line.  Returns (True, how long it took) or (False, why not)."""
    work = tempfile.mkdtemp(prefix="purgkit-run-kvm-probe-")
    lines = []
    try:
        stderr_path = os.path.join(work, "qemu.stderr")
        cmd = qemu_command(arch, kernel, None,
                           f"console={arch.console} panic=-1", "256M", 1,
                           accel="kvm")
        start = time.monotonic()
        status = run_qemu(
            cmd, lambda text, source: lines.append(text),
            lambda: any(KERNEL_LOG_LINE.match(t) for t in lines),
            start + seconds, stderr_path=stderr_path)
        if any(KERNEL_LOG_LINE.match(t) for t in lines):
            return True, f"{time.monotonic() - start:.1f} s"
        if status is not None:
            with open(stderr_path, errors="replace") as f:
                complaint = f.read().strip().splitlines()
            return False, (f"QEMU failed under KVM (status {status}): "
                           + (complaint[-1] if complaint else "no message"))
        return False, (f"the probe guest printed no kernel line in "
                       f"{seconds:g} s under KVM (last line: "
                       f"{last_words(lines)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def choose_accel(arch, wanted, kernel, note):
    """The accelerator to use: "tcg" or "kvm".  ``note`` is told what
    "auto" chose and why; AccelError when "kvm" cannot work here."""
    if wanted == "tcg":
        return "tcg"
    unusable = kvm_unusable(arch)
    if wanted == "kvm":
        if unusable:
            raise AccelError(f"--accel=kvm: {unusable}; use --accel=tcg")
        return "kvm"
    if unusable:
        note(f"--accel=auto: TCG ({unusable})")
        return "tcg"
    works, detail = probe_kvm(arch, kernel)
    if works:
        note(f"--accel=auto: KVM (a probe boot printed the kernel's first "
             f"line after {detail})")
        return "kvm"
    note(f"--accel=auto: TCG (KVM does not run this kernel here: {detail})")
    return "tcg"
