# SPDX-License-Identifier: MIT
"""Fixtures for the SDK unit tests: which targets were built, and how to
run their sdk-test program (natively, or under qemu-user on a CPU model
with the family's vector unit, so the accelerated path runs)."""
import os
import pathlib
import subprocess

import pytest

import build_targets


ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("PURGKIT_BUILD", "build")
# Every target with a row (build/targets.json); `make check-sdk` narrows
# them to the ones it built (PK_SDK_TARGETS).
ALL_TARGETS = build_targets.TARGETS
TARGETS = tuple(os.environ.get("PK_SDK_TARGETS", " ".join(ALL_TARGETS)).split())

# The qemu-user options for a family's programs when they do not run
# natively: a CPU model with the family's vector unit, so that the
# accelerated SHA-256 engine runs too (POWER8: vector crypto; x86_64's
# "max": SHA-NI).
QEMU_USER_OPTIONS = {
    "x86_64": ["-cpu", "max"],
    "ppc64": ["-cpu", "power8"],
    # "max": every extension QEMU has, the SHA-256 instructions among them.
    "aarch64": ["-cpu", "max"],
    # A hart with the scalar crypto extension Zknh, and its ISA string for
    # the program (riscv64 reads its extensions in the device tree).
    "riscv64": ["-cpu", "rv64,zknh=true",
                "-E", "PK_TEST_RISCV64_ISA=rv64imac_zicsr_zifencei_zknh"],
}

# The accelerated SHA-256 engine of each family (enum pk_sha256_engine,
# read from build/host/contract.json).
ACCEL_ENGINE = {
    "x86_64": "PK_SHA256_X86_SHANI",
    "ppc64": "PK_SHA256_PPC_VCRYPTO",
    "aarch64": "PK_SHA256_ARM_SHA2",
    "riscv64": "PK_SHA256_RISCV_ZKNH",
}
PORTABLE = build_targets.constant("PK_SHA256_PORTABLE")


def runner(target):
    """The command prefix that runs target's static programs here:
    nothing on the host's own architecture, else its qemu-user program
    (build/targets.json) with the family's options."""
    if build_targets.native(target):
        return []
    options = build_targets.row(
        QEMU_USER_OPTIONS, "tests/sdk/sdk_support.py QEMU_USER_OPTIONS",
        build_targets.arch(target))
    return [build_targets.fact("qemu_user", target)] + options


def accel(target):
    """The number of target's accelerated SHA-256 engine."""
    name = build_targets.row(ACCEL_ENGINE, "tests/sdk/sdk_support.py "
                             "ACCEL_ENGINE", build_targets.arch(target))
    return build_targets.constant(name)


# The /proc/cpuinfo flag that says the host CPU has a family's
# accelerated engine, for targets that run natively; None where cpuinfo
# has no such flag (POWER reports vector crypto in AT_HWCAP2 only: a
# native POWER host without it fails the engine tests, it is not skipped).
HOST_CPUINFO_FLAG = {
    "x86_64": "sha_ni",
    "ppc64": None,
    "aarch64": "sha2",
    # riscv64: the ISA string's extensions, not a flag word (a native
    # host without Zknh fails the engine tests, it is not skipped).
    "riscv64": None,
}


def host_cpu_lacks_accel(target):
    """Why this CPU cannot run target's accelerated engine (a reason to
    skip, naming the missing cpuinfo flag), or None.  Only a native
    target depends on the host CPU: qemu-user's CPU models have it."""
    if not build_targets.native(target):
        return None
    flag = build_targets.row(HOST_CPUINFO_FLAG, "tests/sdk/sdk_support.py "
                             "HOST_CPUINFO_FLAG", build_targets.arch(target))
    if flag is None:
        return None
    with open("/proc/cpuinfo") as f:
        if flag in f.read().split():
            return None
    return (f"this CPU has no accelerated SHA-256 for {target} "
            f"(no {flag} in /proc/cpuinfo)")


class SdkTest:
    def __init__(self, target):
        self.target = target
        self.binary = BUILD / target / "tests" / "sdk" / "sdk-test"
        if not self.binary.exists():
            pytest.fail(f"{self.binary} is missing: run `make check-sdk`")

    def run(self, script, timeout=600):
        """Feed script (bytes) to sdk-test; return its stdout lines."""
        proc = subprocess.run(runner(self.target) + [str(self.binary)],
                              input=script, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
        out = proc.stdout.decode("ascii", "replace")
        assert proc.returncode == 0, (
            f"sdk-test ({self.target}) exited {proc.returncode}: "
            f"{out[-2000:]}{proc.stderr.decode(errors='replace')}")
        return out.splitlines()

    def force(self, engine):
        return b"force %d\n" % engine


def engines_for(target):
    """(name, id) of the engines to exercise on target."""
    return [("portable", PORTABLE), ("accelerated", accel(target))]
