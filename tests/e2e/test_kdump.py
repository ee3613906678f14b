# SPDX-License-Identifier: MIT
"""The crash path: a Debian kernel booted with crashkernel= loads a Debian
capture kernel through purgkit-load -p, panics (sysrq 'c'), and the
trampoline checks the capture segments and starts the capture kernel,
whose init reads /proc/vmcore as a dump tool would (purgkit-init's dump
check): an ET_CORE ELF, the old kernel's RAM in its PT_LOADs, one
NT_PRSTATUS per CPU, VMCOREINFO, every byte readable to the end.

The same on ppc64le (pseries, POWER9, TCG): the capture kernel runs in
the reservation from a device tree confined to it, and the trampoline
backs up the first 64 KiB of memory, which the dump then reads from the
backup (docs/contract-ppc64.md, section 9).
"""

import re
import shutil
import subprocess

import pytest

from e2e_support import ROOT
from test_x86_64 import build_out_of_tree

SMP = 2
LOADER_FAILED = 5      # purgkit-run's exit code for a failed loader
ENDED = 7              # ... for QEMU ending before the run succeeded
# Guest RAM and reservation: purgkit-run --crash's defaults for x86_64.
MEMORY = 2 << 30
RESERVED = 256 << 20
CAPTURE_APPEND = ("console=ttyS0 panic=-1 purgkit.stage=2 irqpoll "
                  "nr_cpus=1 reset_devices")
VMCORE = re.compile(
    r"new\| purgkit-init: vmcore: ELF ET_CORE machine (\d+), (\d+) PT_LOAD "
    r"\((\d+) bytes of RAM\), (\d+) NT_PRSTATUS, VMCOREINFO OSRELEASE=(\S+)")
# The dead kernel's init_uts_ns read by virtual address (p_vaddr), as a
# debugger reads the dump.
UTS_NS = re.compile(r"new\| purgkit-init: vmcore: init_uts_ns at 0x[0-9a-f]+ "
                    r"reads release (\S+)")
# A pointer of the dead kernel into its direct map (node 0's pg_data_t),
# inside the RAM PT_LOADs' p_vaddr ranges: their base is the kernel's.
NODE_DATA = "purgkit-init: vmcore: node_data[0] at 0x"
# The whole line: the run ends when it matches, so it must be complete.
VMCORE_READ_PATTERN = ("new:re:purgkit-init: vmcore: read \\d+ of \\d+ bytes "
                       "to the end")
READ = re.compile(r"new\| purgkit-init: vmcore: read (\d+) of (\d+) bytes "
                  r"to the end")


# ppc64le: purgkit-run --crash's defaults there (crashkernel=512M, -m 2G).
PPC64_RESERVED = 512 << 20
PPC64_CAPTURE_APPEND = ("console=hvc0 panic=-1 purgkit.stage=2 "
                        "nr_cpus=1 reset_devices")


# What differs between the architectures for the tests that are the same
# on both: the capture kernel's command line, the reservation purgkit-run
# --crash makes by default, and where purgkit-load looks for one.
ARCH = {
    "x86_64": dict(append=CAPTURE_APPEND, crashkernel="256M",
                   no_reservation="/proc/iomem has no 'Crash kernel' range"),
    "ppc64le": dict(append=PPC64_CAPTURE_APPEND, crashkernel="512M",
                    no_reservation="the device tree has no "
                    "/proc/device-tree/chosen/linux,crashkernel-base"),
}


def crash_run(run_purgkit, kernel_for, stage2_initrd, extra=(), expect=(),
              arch="x86_64"):
    append = CAPTURE_APPEND if arch == "x86_64" else PPC64_CAPTURE_APPEND
    return run_purgkit(
        arch,
        [kernel_for(arch), "--type=linux",
         f"--initrd={stage2_initrd(arch)}",
         f"--append={append}", *extra],
        expect=list(expect), smp=SMP, timeout=170,
        extra_options=["--crash"])


def kernel_release(kernel):
    """6.1.0-57-amd64 from .../vmlinuz-6.1.0-57-amd64 (ppc64el: vmlinux-)."""
    return re.split(r"vmlinu[xz]-", kernel)[-1]


def assert_dump_reads_by_address_to_the_end(result, release, ram):
    """What every architecture's dump must also do: read by virtual address
    (init_uts_ns holds the release, node_data[0] points into the direct
    map), and to its last byte."""
    uts = UTS_NS.search(result.console)
    assert uts and uts.group(1) == release, result.why
    assert re.search(re.escape(NODE_DATA) + r"[0-9a-f]+ points to 0x[0-9a-f]+ "
                     r"in the direct map", result.console), result.why
    done, size = map(int, READ.search(result.console).groups())
    assert done == size and size > int(ram), "every byte, to the end"


@pytest.mark.qemu
def test_x86_64_capture_kernel_reads_the_whole_vmcore_after_a_panic(
        run_purgkit, kernel_for, stage2_initrd):
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd,
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                "purgkit: linux: entering",
                "new:purgkit-init: second kernel up, cmdline: "
                f"{CAPTURE_APPEND} elfcorehdr=0x",
                VMCORE_READ_PATTERN])
    assert result.code == 0, result.why
    assert "Reserving 256MB of memory at" in result.console
    found = VMCORE.search(result.console)
    assert found, result.why
    machine, loads, ram, prstatus, release = found.groups()
    assert int(machine) == 62                      # EM_X86_64
    assert int(prstatus) == SMP, "one NT_PRSTATUS per CPU"
    assert release == kernel_release(kernel_for("x86_64"))
    # RAM outside the reservation, less the firmware's holes (< 1 MiB
    # below 1 MiB and 128 KiB at the top of the first 2 GiB).
    assert int(loads) >= 2
    assert MEMORY - RESERVED - (1 << 20) <= int(ram) <= MEMORY - RESERVED
    assert_dump_reads_by_address_to_the_end(result, release, ram)


@pytest.mark.qemu
def test_x86_64_corrupted_capture_kernel_is_refused_and_never_runs(
        run_purgkit, kernel_for, stage2_initrd):
    # Segment 0 is the capture kernel, the lowest in the reservation.
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd,
        extra=["--test-corrupt-segment=0"],
        expect=["new:sysrq triggered crash",
                "purgkit: SHA-256 MISMATCH",
                "re:purgkit:   region 0: 0x[0-9a-f]+\\.\\.0x[0-9a-f]+ "
                "\\(\\d+ bytes\\) CHANGED",
                "purgkit: refusing to start the payload; halted"])
    assert result.code == 0, result.why
    assert "test hook: flipped a bit of segment 0 (kernel" in result.console
    after = result.console.split("SHA-256 MISMATCH", 1)[1]
    assert re.search(r"region [1-9]\d*: .* ok", after), result.why
    assert "CHANGED" not in after.split("CHANGED", 1)[1]
    assert "purgkit: linux: entering" not in after
    assert "second kernel up" not in after


@pytest.mark.qemu
def test_x86_64_user_trampoline_logs_in_the_crash_path(
        run_purgkit, kernel_for, stage2_initrd, tmp_path):
    work = build_out_of_tree(tmp_path, f"{ROOT}/examples/crash-log",
                             "crash-log")
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd,
        extra=[f"--purgatory={work}/crash-log.ro"],
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                "re:crash-log: the old kernel panicked; capture kernel at "
                "0x[0-9a-f]+, \\d+ e820 ranges, elfcorehdr=0x[0-9a-f]+",
                VMCORE_READ_PATTERN])
    assert result.code == 0, result.why
    logged = re.search(r"crash-log: .* elfcorehdr=(0x[0-9a-f]+)",
                       result.console).group(1)
    assert f"{CAPTURE_APPEND} elfcorehdr={logged}" in result.console


@pytest.mark.qemu
def test_ppc64le_capture_kernel_reads_the_whole_vmcore_after_a_panic(
        run_purgkit, kernel_for, stage2_initrd):
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd, arch="ppc64le",
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                "purgkit: linux: primary is cpu",
                "re:purgkit: linux: crash: first 0x10000 bytes of memory "
                "backed up to 0x[0-9a-f]+",
                "new:purgkit-init: second kernel up, cmdline: "
                f"{PPC64_CAPTURE_APPEND} elfcorehdr=0x",
                VMCORE_READ_PATTERN])
    assert result.code == 0, result.why
    assert "Reserving 512MB of memory at 512MB for crashkernel" in \
        result.console
    # The capture kernel ran where it was loaded, at the reservation.
    assert re.search(r"purgkit: linux: primary is cpu \d+; kernel at "
                     r"0x20000000,", result.console), result.why
    found = VMCORE.search(result.console)
    assert found, result.why
    machine, loads, ram, prstatus, release = found.groups()
    assert int(machine) == 21                      # EM_PPC64
    assert int(prstatus) == SMP, "one NT_PRSTATUS per CPU"
    assert release == kernel_release(kernel_for("ppc64le"))
    # Every byte of the memory nodes but the reservation (RTAS and the old
    # kernel's image included): the backed-up first 64 KiB, the rest below
    # the reservation, and above it.
    assert int(loads) == 3
    assert int(ram) == MEMORY - PPC64_RESERVED
    assert_dump_reads_by_address_to_the_end(result, release, ram)


@pytest.mark.qemu
def test_ppc64le_corrupted_capture_kernel_is_refused_and_never_runs(
        run_purgkit, kernel_for, stage2_initrd):
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd, arch="ppc64le",
        extra=["--test-corrupt-segment=0"],
        expect=["new:sysrq triggered crash",
                "purgkit: SHA-256 MISMATCH",
                "re:purgkit:   region 0: 0x[0-9a-f]+\\.\\.0x[0-9a-f]+ "
                "\\(\\d+ bytes\\) CHANGED",
                "purgkit: refusing to start the payload; halted"])
    assert result.code == 0, result.why
    assert "test hook: flipped a bit of segment 0 (kernel" in result.console
    after = result.console.split("SHA-256 MISMATCH", 1)[1]
    assert "backed up" not in after
    assert "purgkit: linux: primary is cpu" not in after
    assert "second kernel up" not in after


@pytest.mark.qemu
def test_ppc64le_user_trampoline_backs_up_and_logs_in_the_crash_path(
        run_purgkit, kernel_for, stage2_initrd, tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run(["make", "-s", "-C", ROOT, "install", f"PREFIX={prefix}",
                    "TARGETS=ppc64le"], check=True, capture_output=True)
    work = tmp_path / "crash-log-ppc64"
    shutil.copytree(f"{ROOT}/examples/crash-log-ppc64", work)
    subprocess.run(["make", "-s", "-C", str(work),
                    f"PURGKIT_PREFIX={prefix}"], check=True,
                   capture_output=True)
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd, arch="ppc64le",
        extra=[f"--purgatory={work}/crash-log.ro"],
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                "re:crash-log: the old kernel panicked on cpu \\d+; capture "
                "kernel at 0x20000000, first 0x10000 bytes saved at "
                "0x[0-9a-f]+, elfcorehdr=0x[0-9a-f]+",
                VMCORE_READ_PATTERN])
    assert result.code == 0, result.why
    logged = re.search(r"crash-log: .* elfcorehdr=(0x[0-9a-f]+)",
                       result.console).group(1)
    assert f"{PPC64_CAPTURE_APPEND} elfcorehdr={logged}" in result.console
    found = VMCORE.search(result.console)
    assert found and int(found.group(3)) == MEMORY - PPC64_RESERVED


def load_panic(run_purgkit, kernel_for, stage2_initrd, arch, **run_options):
    """Boot `arch`'s Debian kernel and run purgkit-load -p on it (no
    --crash: the tests say what the old kernel gets)."""
    return run_purgkit(
        arch,
        [kernel_for(arch), f"--initrd={stage2_initrd(arch)}",
         f"--append={ARCH[arch]['append']}", "-p"],
        timeout=120, **run_options)


@pytest.mark.qemu
@pytest.mark.parametrize("arch", sorted(ARCH))
def test_without_crashkernel_the_user_is_told_how_to_reserve(
        run_purgkit, kernel_for, stage2_initrd, arch):
    # A real kernel booted without crashkernel=: no reservation to load to.
    facts = ARCH[arch]
    result = load_panic(run_purgkit, kernel_for, stage2_initrd, arch,
                        expect=["purgkit-init: second kernel up"])
    assert result.code == LOADER_FAILED, result.why
    assert f"purgkit-load: no crash reservation: {facts['no_reservation']}; " \
        f"boot this kernel with crashkernel={facts['crashkernel']} on its " \
        "command line" in result.reason, result.why
    assert "purgkit-init: executing" not in result.console


@pytest.mark.qemu
@pytest.mark.parametrize("arch", sorted(ARCH))
def test_status_says_a_crash_image_is_loaded_and_no_normal_one(
        run_purgkit, kernel_for, stage2_initrd, arch):
    # Load with -p on a kernel booted with crashkernel=, then, as the
    # exec step, purgkit-load -S -p.
    result = load_panic(
        run_purgkit, kernel_for, stage2_initrd, arch,
        expect=["normal image: not loaded", "crash image: loaded"],
        exec_args=["-S", "-p"],
        cmdline_extra=f"crashkernel={ARCH[arch]['crashkernel']}",
        memory="2G")
    assert result.code == 0, result.why


@pytest.mark.qemu
@pytest.mark.parametrize("arch", sorted(ARCH))
def test_unloaded_capture_kernel_is_gone_and_the_panic_starts_nothing(
        run_purgkit, kernel_for, stage2_initrd, arch):
    # Load with -p; then, as steps: -S -p (loaded), -u -p, -S -p (gone);
    # then the panic: the old kernel has nothing to start, and reboots.
    result = run_purgkit(
        arch,
        [kernel_for(arch), "--type=linux", f"--initrd={stage2_initrd(arch)}",
         f"--append={ARCH[arch]['append']}"],
        steps=["-S -p", "-u -p", "-S -p"], smp=SMP, timeout=170,
        extra_options=["--crash"])
    assert result.code == ENDED, result.why
    assert "no capture kernel started" in result.reason, result.why
    position = 0
    for text in ["purgkit-init: step 1: ", "crash image: loaded",
                 "purgkit-init: step 1 exited 0",
                 "purgkit-init: step 2: /bin/purgkit-load -u -p",
                 "purgkit-init: step 2 exited 0",
                 "crash image: not loaded", "purgkit-init: step 3 exited 1",
                 "purgkit-init: executing (crash: sysrq c)",
                 "sysrq triggered crash"]:
        found = result.console.find(text, position)
        assert found >= 0, f"{text!r} missing or out of order\n{result.why}"
        position = found + len(text)
    after = result.console[position:]
    assert "purgkit: " not in after and "second kernel up" not in after
