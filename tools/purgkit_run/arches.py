# SPDX-License-Identifier: MIT
"""What differs between the architectures purgkit-run can boot."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Arch:
    """One architecture: its names, its Debian kernel and its QEMU machine."""
    name: str                  # purgkit target name (build/<name>/)
    dpkg_arch: str             # Debian architecture
    kernel_metapackage: str    # depends on linux-image-<abi>-<flavour>
    qemu: str                  # QEMU system emulator
    machine: list              # machine options
    cpu: str                   # -cpu under TCG (under KVM: -cpu host)
    kvm_host: str              # host machine (uname -m) whose KVM runs it
    console: str               # the kernel's console= device
    default_memory: str
    default_timeout: float     # seconds
    cross_prefix: str          # gcc prefix on an x86_64 host ("" = native)
    triplet: str               # Debian multiarch triplet
    # --crash: crashkernel= for the old kernel (room for a Debian kernel and
    # a small initrd, as the capture kernel unpacks them) and guest RAM
    crash_kernel: str = "256M"
    crash_memory: str = "2G"
    # Debian suites its kernel comes from, (mirror, suite) pairs; empty:
    # the release the harness runs on (kernel.DEBIAN_SUITES)
    debian_suites: tuple = ()


ARCHES = {
    "x86_64": Arch(
        name="x86_64",
        dpkg_arch="amd64",
        kernel_metapackage="linux-image-amd64",
        qemu="qemu-system-x86_64",
        machine=["-M", "pc"],
        cpu="max",
        kvm_host="x86_64",
        console="ttyS0",
        default_memory="1G",
        default_timeout=120.0,
        cross_prefix="",
        triplet="x86_64-linux-gnu",
    ),
    "ppc64le": Arch(
        name="ppc64le",
        dpkg_arch="ppc64el",
        kernel_metapackage="linux-image-powerpc64le",
        qemu="qemu-system-ppc64",
        machine=["-M", "pseries"],
        cpu="power9",
        kvm_host=None,             # not tried: TCG only
        console="hvc0",
        default_memory="2G",
        default_timeout=300.0,
        cross_prefix="powerpc64le-linux-gnu-",
        triplet="powerpc64le-linux-gnu",
        crash_kernel="512M",
        crash_memory="2G",
    ),
    # Debian 12 has no riscv64 port: the kernel comes from Debian 13.
    # Only the kernel so far: purgkit-run's kexec runs need the static
    # riscv64 purgkit-load (STATIC_TOOLS_riscv64 is "no" until its trixie
    # sysroot exists), so tests enter it through OpenSBI
    # (tests/e2e/test_riscv64_opensbi.py).
    "riscv64": Arch(
        name="riscv64",
        dpkg_arch="riscv64",
        kernel_metapackage="linux-image-riscv64",
        qemu="qemu-system-riscv64",
        machine=["-M", "virt"],
        cpu="rv64",
        kvm_host="riscv64",
        console="ttyS0",
        default_memory="1G",
        default_timeout=300.0,
        cross_prefix="riscv64-linux-gnu-",
        triplet="riscv64-linux-gnu",
        debian_suites=(("http://deb.debian.org/debian", "trixie"),
                       ("http://deb.debian.org/debian-security",
                        "trixie-security")),
    ),
}
