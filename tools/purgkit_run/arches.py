# SPDX-License-Identifier: MIT
"""What differs between the architectures purgkit-run can boot."""

import platform
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
    triplet: str               # GNU/Debian multiarch triplet (TRIPLET_<name>
                               # of mk/targets/<name>.mk)
    # --crash: crashkernel= for the old kernel (room for a Debian kernel and
    # a small initrd, as the capture kernel unpacks them) and guest RAM
    crash_kernel: str = "256M"
    crash_memory: str = "2G"
    # The machine has ISA I/O ports: isa-debug-exit (port 0xf4, how test
    # payloads end a run) and the debug console (port 0xe9).
    isa_ports: bool = False
    # The runtime's fault dump (docs/debugging.md): the register that
    # holds the faulting instruction's address, named when purgkit-run
    # symbolises the dump (with <triplet>-addr2line).
    fault_pc: str = "pc"
    # purgkit-run --gdb: gdb-multiarch's "set architecture" and "set
    # endian" for this machine (before any file tells gdb).
    gdb_architecture: str = None
    gdb_endian: str = "little"
    # Debian suites its kernel comes from, (mirror, suite) pairs; empty:
    # the release the harness runs on (kernel.DEBIAN_SUITES)
    debian_suites: tuple = ()
    # Kernel arguments that make the kernel print from its first moments,
    # before its console driver is up: bench-kexec gives them to the new
    # kernel, whose first line it times (empty: none).
    early_console: str = ""

    @property
    def cross_prefix(self):
        """gcc's prefix for this architecture here: none on a host of the
        architecture (uname -m), else "<triplet>-", as mk/targets.mk
        chooses it for the build."""
        return "" if platform.machine() == self.name else self.triplet + "-"


# Other names people know an architecture by (Debian's, the kernel's).
ALIASES = {"arm64": "aarch64"}

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
        triplet="x86_64-linux-gnu",
        isa_ports=True,
        early_console="earlyprintk=serial,ttyS0",
        fault_pc="rip",
        gdb_architecture="i386:x86-64",
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
        triplet="powerpc64le-linux-gnu",
        crash_kernel="512M",
        crash_memory="2G",
        fault_pc="srr0",
        gdb_architecture="powerpc:common64",
    ),
    "aarch64": Arch(
        name="aarch64",
        dpkg_arch="arm64",
        kernel_metapackage="linux-image-arm64",
        qemu="qemu-system-aarch64",
        # GICv3 so that -machine virtualization=on (the old kernel at
        # EL2) works with more than 8 CPUs too
        machine=["-M", "virt,gic-version=3"],
        cpu="max",
        kvm_host="aarch64",
        console="ttyAMA0",
        default_memory="1G",
        default_timeout=300.0,
        triplet="aarch64-linux-gnu",
        crash_kernel="256M",
        crash_memory="2G",
        # the PL011 that the device tree's /chosen/stdout-path names
        early_console="earlycon",
        fault_pc="elr",
        gdb_architecture="aarch64",
    ),
    # Debian 12 has no riscv64 port: the kernel comes from Debian 13, and
    # so do the static purgkit-load's libraries (SYSROOT_SUITE_riscv64).
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
        triplet="riscv64-linux-gnu",
        debian_suites=(("http://deb.debian.org/debian", "trixie"),
                       ("http://deb.debian.org/debian-security",
                        "trixie-security")),
        # the SBI console, before the 16550 driver is up
        early_console="earlycon=sbi",
        fault_pc="sepc",
        gdb_architecture="riscv:rv64",
    ),
}
