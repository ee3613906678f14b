# SPDX-License-Identifier: MIT
"""Fixtures for the SDK unit tests: which targets were built, and how to
run their sdk-test program (natively, or under qemu-user on a POWER8
model so the vector-crypto path runs)."""
import os
import pathlib
import subprocess

import pytest


ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = ROOT / os.environ.get("PURGKIT_BUILD", "build")
ALL_TARGETS = ("x86_64", "ppc64le", "ppc64", "riscv64")
TARGETS = tuple(os.environ.get("PK_SDK_TARGETS", " ".join(ALL_TARGETS)).split())

RUNNERS = {
    "x86_64": [],
    "ppc64le": ["qemu-ppc64le", "-cpu", "power8"],
    "ppc64": ["qemu-ppc64", "-cpu", "power8"],
    # A hart with the scalar crypto extension Zknh, and its ISA string for
    # the program (riscv64 reads its extensions in the device tree).
    "riscv64": ["qemu-riscv64", "-cpu", "rv64,zknh=true",
                "-E", "PK_TEST_RISCV64_ISA=rv64imac_zicsr_zifencei_zknh"],
}

# The accelerated engine of each target (enum pk_sha256_engine).
ACCEL = {"x86_64": 1, "ppc64le": 2, "ppc64": 2, "riscv64": 3}
PORTABLE = 0


def host_has_sha_ni():
    with open("/proc/cpuinfo") as f:
        return "sha_ni" in f.read().split()


class SdkTest:
    def __init__(self, target):
        self.target = target
        self.binary = BUILD / target / "tests" / "sdk" / "sdk-test"
        if not self.binary.exists():
            pytest.fail(f"{self.binary} is missing: run `make check-sdk`")

    def run(self, script, timeout=600):
        """Feed script (bytes) to sdk-test; return its stdout lines."""
        proc = subprocess.run(RUNNERS[self.target] + [str(self.binary)],
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
    return [("portable", PORTABLE), ("accelerated", ACCEL[target])]
