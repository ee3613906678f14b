# SPDX-License-Identifier: MIT
"""Helpers for the end-to-end tests: purgkit-run, build outputs, kernels.

Import them as ``from e2e_support import ...`` (not ``from conftest``:
other test folders have a conftest.py of their own, and only one module
can be called "conftest").  The fixtures in conftest.py wrap them.

Nothing here skips.  A missing QEMU, Debian kernel or build output makes the
test FAIL with a message saying what is missing and how to get it
(``make deps``, ``make``): a skipped end-to-end test is a promise nobody
checked.  The only skips of the end-to-end tests are test_accel.py's, for
facts of the host that no install changes (KVM that cannot run a guest
here, a CPU without SHA-NI), each with its reason;
test_harness.py::test_only_host_facts_skip_an_end_to_end_test keeps it so.

Tests that boot QEMU are marked ``qemu`` (``-m "not qemu"`` deselects them);
run them one at a time (pytest's default), never in parallel.

    def test_something(run_purgkit, built):    # fixtures from conftest.py
        result = run_purgkit("x86_64", ["--type=raw", built("x86_64",
                             "trampolines/raw.ro")], expect=["hello"])
        assert result.code == 0, result.why
"""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "tools")
PURGKIT_RUN = os.path.join(TOOLS, "purgkit-run")
sys.path.insert(0, TOOLS)

from purgkit_run.arches import ARCHES  # noqa: E402
from purgkit_run.kernel import KernelError, fetch_kernel  # noqa: E402
from purgkit_run import cli  # noqa: E402

BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(ROOT, "build"))


def _kexec_arches():
    """The arches purgkit-run boots whose target row builds the static
    purgkit-load the guest runs (STATIC_TOOLS in mk/targets/<t>.mk):
    every test that kexecs runs on each of them.  An arch whose row says
    "no" is booted by its own tests only."""
    with open(os.path.join(BUILD, "targets.json")) as f:
        static = json.load(f)["static_tools"]
    return sorted(a for a in ARCHES if static.get(a) == "yes")


KEXEC_ARCHES = _kexec_arches()

# For the variants of a kind of test that every arch has in make check
# (the kdump refusals and options): x86_64, the fastest to boot, runs
# them in make check; the other arches in make check-slow, which keeps
# make check within its 30 minutes as arches are added.
VARIANT_ARCHES = [pytest.param(a, marks=() if a == "x86_64" else
                               pytest.mark.slow) for a in KEXEC_ARCHES]


def build_output(arch, relative):
    """Path of build/<arch>/<relative>; fails the test if it was not built."""
    path = os.path.join(BUILD, arch, relative)
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: run `make` first "
                    f"(or `make TARGET={arch}`)", pytrace=False)
    return path


def require_qemu(arch):
    """Fail the test unless the arch's QEMU is installed."""
    binary = ARCHES[arch].qemu
    if not shutil.which(binary):
        pytest.fail(f"{binary} is not installed: run `make deps`",
                    pytrace=False)
    return binary


_kernels = {}


def debian_kernel(arch):
    """The cached Debian kernel for ``arch`` (fetched once per session)."""
    if arch not in _kernels:
        try:
            _kernels[arch] = fetch_kernel(ARCHES[arch],
                                          cli.default_cache_dir())
        except KernelError as error:
            pytest.fail(f"no Debian kernel for {arch}: {error}",
                        pytrace=False)
    return _kernels[arch]


def init_binary(arch):
    """purgkit-init for ``arch`` (built, or compiled by the harness)."""
    return cli.find_init(ARCHES[arch], BUILD, cli.default_cache_dir(),
                         lambda text: None)


@dataclass
class RunOutcome:
    """What one purgkit-run gave: exit code, console, one-line verdict."""
    code: int
    console: str       # the prefixed console (stdout)
    stderr: str        # purgkit-run's own notes, verdict last
    reason: str        # the verdict line ("PASS: ..." / "FAIL: ...")

    @property
    def why(self):
        """A failure message for assertions: verdict plus console tail."""
        tail = "\n".join(self.console.splitlines()[-40:])
        return f"{self.reason}\n--- console (last lines) ---\n{tail}"


def run_purgkit(arch, load_args, expect=(), *, smp=1, memory=None,
                 timeout=None, loader=None, kernel=None, exec_args=None,
                 steps=(), cmdline_extra=None, qemu_args=(),
                 extra_options=()):
    """Run tools/purgkit-run and return a RunOutcome.

    ``load_args`` are the purgkit-load arguments after "-l" (host paths;
    purgkit-run copies the files into the initramfs).  ``loader`` defaults to
    build/<arch>/bin/purgkit-load, ``kernel`` to the cached Debian kernel.
    The command runs as a subprocess exactly as a user runs it.
    """
    require_qemu(arch)
    kernel = kernel or debian_kernel(arch)
    loader = loader or build_output(arch, "bin/purgkit-load")
    command = [PURGKIT_RUN, "--arch", arch, "--smp", str(smp),
               "--kernel", kernel, "--loader", loader]
    if memory:
        command += ["--memory", memory]
    if timeout:
        command += ["--timeout", str(timeout)]
    for pattern in expect:
        command += ["--expect", pattern]
    for arg in exec_args or ():
        command.append(f"--exec-arg={arg}")  # "-S" is no option of ours
    for step in steps:
        command.append(f"--step={step}")
    if cmdline_extra:
        command += ["--cmdline-extra", cmdline_extra]
    for arg in qemu_args:
        command.append(f"--qemu-arg={arg}")
    command += list(extra_options) + ["--"] + list(load_args)
    limit = (timeout or ARCHES[arch].default_timeout) + 120
    process = subprocess.Popen(command, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except BaseException:
        # SIGTERM first: purgkit-run then stops its QEMU (SIGKILL would not
        # let it, and QEMU runs in its own session).
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        raise
    verdicts = [line for line in stderr.splitlines()
                if line.startswith(("purgkit-run: PASS", "purgkit-run: FAIL"))]
    reason = verdicts[-1] if verdicts else stderr.strip()[-500:]
    return RunOutcome(process.returncode, stdout, stderr, reason)
