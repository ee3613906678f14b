# SPDX-License-Identifier: MIT
"""The crash path: a Debian kernel booted with crashkernel= loads a Debian
capture kernel through purgkit-load -p, panics (sysrq 'c'), and the
trampoline checks the capture segments and starts the capture kernel,
whose init reads /proc/vmcore as a dump tool would (purgkit-init's dump
check): an ET_CORE ELF, the old kernel's RAM in its PT_LOADs, one
NT_PRSTATUS per CPU, VMCOREINFO, every byte readable to the end.

Every test runs on each architecture purgkit-run kexecs on (its arch table,
where the target row builds the static loader: KEXEC_ARCHES); the variants
(VARIANT_ARCHES) run on x86_64 in make check and on the others in make
check-slow.  What differs is one row of CRASH below.  On ppc64le (pseries, POWER9,
TCG) the capture kernel runs in the reservation from a device tree
confined to it, and the trampoline backs up the first 64 KiB of memory,
which the dump then reads from the backup (docs/contract-ppc64.md,
section 9).
"""

import re

import pytest

from build_targets import row
from e2e_support import ARCHES, KEXEC_ARCHES, ROOT, VARIANT_ARCHES
from test_x86_64 import build_out_of_tree

SMP = 2
LOADER_FAILED = 5      # purgkit-run's exit code for a failed loader
ENDED = 7              # ... for QEMU ending before the run succeeded
VMCORE = re.compile(
    r"new\| purgkit-init: vmcore: ELF ET_CORE machine (\d+), (\d+) PT_LOAD "
    r"\((\d+) bytes of RAM\), (\d+) NT_PRSTATUS, VMCOREINFO OSRELEASE=(\S+)")
# The dead kernel's init_uts_ns read by virtual address (p_vaddr), as a
# debugger reads the dump.
UTS_NS = re.compile(r"new\| purgkit-init: vmcore: init_uts_ns at 0x[0-9a-f]+ "
                    r"reads release (\S+)")
# A pointer of the dead kernel into its direct map (node 0's pg_data_t),
# inside the RAM PT_LOADs' p_vaddr ranges: their base is the kernel's.
# (mem_section where VMCOREINFO has no node_data: arm64.)
DIRECT_MAP_POINTER = (r"purgkit-init: vmcore: (node_data\[0\]|mem_section) "
                      r"at 0x")
# The whole line: the run ends when it matches, so it must be complete.
VMCORE_READ_PATTERN = ("new:re:purgkit-init: vmcore: read \\d+ of \\d+ bytes "
                       "to the end")
READ = re.compile(r"new\| purgkit-init: vmcore: read (\d+) of (\d+) bytes "
                  r"to the end")


# What the crash path looks like on each architecture purgkit-run boots
# (its arch table, tools/purgkit_run/arches.py, has the reservation,
# crashkernel=, and the guest RAM, purgkit-run --crash's defaults):
#   capture_options   the capture kernel's command line after console=,
#                     panic=-1 and purgkit.stage=2
#   reservation_says  what the old kernel says as it reserves the
#                     memory (a regular expression; {mb}: its size in MiB)
#   e_machine         the dump's ELF machine
#   starting          what the trampoline prints, in order, as it starts
#                     the capture kernel after its check
#   going_on          text that means the trampoline went on past the
#                     check (none may follow a mismatch)
#   loaded_at         what says the capture kernel ran where it was loaded
#   ram_loads         how many PT_LOADs the RAM takes: (at least, at most)
#   ram_hole          RAM outside the reservation the dump may leave out
#   example           examples/<folder>: a user trampoline for the crash
#                     path, built against an installed purgkit
#   example_logs      what it logs (a regular expression)
#   no_reservation    how purgkit-load says there is no reservation
CRASH = {
    "x86_64": dict(
        capture_options="irqpoll nr_cpus=1 reset_devices",
        reservation_says=r"Reserving {mb}MB of memory at \d+MB for "
                         r"crashkernel",
        e_machine=62,                                   # EM_X86_64
        starting=["purgkit: linux: entering"],
        going_on=["purgkit: linux: entering"],
        loaded_at=[],
        # At least two (below and above the reservation).
        ram_loads=(2, None),
        # The firmware's holes: < 1 MiB below 1 MiB and 128 KiB at the top
        # of the first 2 GiB.
        ram_hole=1 << 20,
        example="crash-log",
        example_logs=r"crash-log: the old kernel panicked; capture kernel "
                     r"at 0x[0-9a-f]+, \d+ e820 ranges, "
                     r"elfcorehdr=0x[0-9a-f]+",
        no_reservation="/proc/iomem has no 'Crash kernel' range"),
    # pseries, POWER9, TCG: the trampoline backs up the first 64 KiB of
    # memory, which the dump reads from the backup.
    "ppc64le": dict(
        capture_options="nr_cpus=1 reset_devices",
        reservation_says=r"Reserving {mb}MB of memory at 512MB for "
                         r"crashkernel",
        e_machine=21,                                   # EM_PPC64
        starting=["purgkit: linux: primary is cpu",
                  "re:purgkit: linux: crash: first 0x10000 bytes of memory "
                  "backed up to 0x[0-9a-f]+"],
        going_on=["backed up", "purgkit: linux: primary is cpu"],
        loaded_at=[r"purgkit: linux: primary is cpu \d+; kernel at "
                   r"0x20000000,"],
        # Every byte of the memory nodes but the reservation (RTAS and the
        # old kernel's image included): the backed-up first 64 KiB, the
        # rest below the reservation, and above it.
        ram_loads=(3, 3),
        ram_hole=0,
        example="crash-log-ppc64",
        example_logs=r"crash-log: the old kernel panicked on cpu \d+; "
                     r"capture kernel at 0x20000000, first 0x10000 bytes "
                     r"saved at 0x[0-9a-f]+, elfcorehdr=0x[0-9a-f]+",
        no_reservation="the device tree has no "
                       "/proc/device-tree/chosen/linux,crashkernel-base"),
    # QEMU virt, -cpu max, TCG: one RAM node, the reservation where the
    # kernel finds room for it (below 4 GiB); the "reserved" ranges
    # /proc/iomem nests in System RAM are RAM of the dump.
    "aarch64": dict(
        capture_options="nr_cpus=1 reset_devices",
        reservation_says=r"crashkernel reserved: 0x[0-9a-f]+ - 0x[0-9a-f]+ "
                         r"\({mb} MB\)",
        e_machine=183,                                  # EM_AARCH64
        starting=["purgkit: linux: entering the Image at"],
        going_on=["purgkit: linux: entering the Image at"],
        loaded_at=[],
        # The RAM outside the reservation (below it, and above it unless
        # the kernel put it at the top), and the image's own mapping.
        ram_loads=(2, 3),
        ram_hole=0,
        example="crash-log-aarch64",
        example_logs=r"crash-log: the old kernel panicked at EL1; capture "
                     r"kernel at 0x[0-9a-f]+, device tree at 0x[0-9a-f]+, "
                     r"elfcorehdr=0x[0-9a-f]+",
        no_reservation="/proc/iomem has no 'Crash kernel' range"),
    # QEMU virt, OpenSBI, TCG: one RAM node; the device tree's reserved
    # memory (OpenSBI's PMP-protected region at the bottom of RAM) is
    # not the kernel's and not in the dump.
    "riscv64": dict(
        capture_options="nr_cpus=1 reset_devices",
        reservation_says=r"crashkernel reserved: 0x[0-9a-f]+ - 0x[0-9a-f]+ "
                         r"\({mb} MB\)",
        e_machine=243,                                  # EM_RISCV
        starting=["purgkit: linux: hart"],
        going_on=["purgkit: linux: hart"],
        loaded_at=[],
        # The RAM outside the reservation (below it, and above it unless
        # the kernel put it at the top), and the image's own mapping.
        ram_loads=(2, 3),
        # OpenSBI's region: 512 KiB with Debian 12's OpenSBI 1.1, up to
        # 2 MiB with later ones.
        ram_hole=2 << 20,
        example="crash-log-riscv64",
        example_logs=r"crash-log: the old kernel panicked on hart \d+; "
                     r"capture kernel at 0x[0-9a-f]+, device tree at "
                     r"0x[0-9a-f]+, elfcorehdr=0x[0-9a-f]+",
        no_reservation="/proc/iomem has no 'Crash kernel' range"),
}


def crash(arch):
    """arch's row of CRASH; a missing row fails the test naming it."""
    return row(CRASH, "tests/e2e/test_kdump.py CRASH", arch)


def size(text):
    """Bytes in a size as QEMU and crashkernel= write it: 256M, 2G."""
    return int(text[:-1]) << {"K": 10, "M": 20, "G": 30}[text[-1]]


def capture_append(arch):
    """The capture kernel's command line on arch."""
    return (f"console={ARCHES[arch].console} panic=-1 purgkit.stage=2 "
            f"{crash(arch)['capture_options']}")


def reserved(arch):
    """Bytes of purgkit-run --crash's reservation on arch."""
    return size(ARCHES[arch].crash_kernel)


def crash_memory(arch):
    """Bytes of guest RAM of purgkit-run --crash on arch."""
    return size(ARCHES[arch].crash_memory)


def crash_run(run_purgkit, kernel_for, stage2_initrd, arch, extra=(),
              expect=(), options=()):
    """A --crash run of `arch`'s Debian kernel loading itself with -p
    (purgkit-run's --crash), with purgkit-run `options` besides."""
    return run_purgkit(
        arch,
        [kernel_for(arch), "--type=linux",
         f"--initrd={stage2_initrd(arch)}",
         f"--append={capture_append(arch)}", *extra],
        expect=list(expect), smp=SMP, timeout=170,
        extra_options=["--crash", *options])


def kernel_release(kernel):
    """6.1.0-57-amd64 from .../vmlinuz-6.1.0-57-amd64 (ppc64el: vmlinux-)."""
    return re.split(r"vmlinu[xz]-", kernel)[-1]


def assert_dump_reads_by_address_to_the_end(result, release, ram):
    """What every architecture's dump must also do: read by virtual address
    (init_uts_ns holds the release, node_data[0] points into the direct
    map), and to its last byte."""
    uts = UTS_NS.search(result.console)
    assert uts and uts.group(1) == release, result.why
    vmcore_lines = "\n".join(l for l in result.console.splitlines()
                             if "purgkit-init: vmcore:" in l)
    assert re.search(DIRECT_MAP_POINTER + r"[0-9a-f]+ points to 0x[0-9a-f]+ "
                     r"in the direct map", result.console), vmcore_lines
    done, size = map(int, READ.search(result.console).groups())
    assert done == size and size > int(ram), "every byte, to the end"


def assert_ram_is_in_the_dump(arch, result):
    """The dump's RAM: all of the guest's outside the reservation, less
    the firmware's holes, in as many PT_LOADs as the arch takes."""
    found = VMCORE.search(result.console)
    assert found, result.why
    loads, ram = int(found.group(2)), int(found.group(3))
    least, most = crash(arch)["ram_loads"]
    assert least <= loads and (most is None or loads <= most), \
        (loads, found.group(0))
    outside = crash_memory(arch) - reserved(arch)
    assert outside - crash(arch)["ram_hole"] <= ram <= outside, ram
    return found


def reservation_pattern(arch):
    """What the old kernel says as it reserves the crash kernel's memory."""
    return crash(arch)["reservation_says"].format(mb=reserved(arch) >> 20)


def assert_capture_kernel_read_the_whole_vmcore(run_purgkit, kernel_for,
                                                stage2_initrd, arch,
                                                options=(), starting=()):
    """Panic the old kernel (purgkit-run `options` besides --crash): the
    trampoline starts the capture kernel, which reads the whole dump, as
    it must be.  The run's result, for checks of one's own."""
    facts = crash(arch)
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd, arch, options=options,
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                *(starting or facts["starting"]),
                "new:purgkit-init: second kernel up, cmdline: "
                f"{capture_append(arch)} elfcorehdr=0x",
                VMCORE_READ_PATTERN])
    assert result.code == 0, result.why
    assert re.search(reservation_pattern(arch), result.console), result.why
    # The capture kernel ran where it was loaded, in the reservation.
    for loaded_at in facts["loaded_at"]:
        assert re.search(loaded_at, result.console), result.why
    found = assert_ram_is_in_the_dump(arch, result)
    machine, loads, ram, prstatus, release = found.groups()
    assert int(machine) == facts["e_machine"]
    assert int(prstatus) == SMP, "one NT_PRSTATUS per CPU"
    assert release == kernel_release(kernel_for(arch))
    assert_dump_reads_by_address_to_the_end(result, release, ram)
    return result


@pytest.mark.qemu
@pytest.mark.parametrize("arch", KEXEC_ARCHES)
def test_capture_kernel_reads_the_whole_vmcore_after_a_panic(
        run_purgkit, kernel_for, stage2_initrd, arch):
    assert_capture_kernel_read_the_whole_vmcore(run_purgkit, kernel_for,
                                                stage2_initrd, arch)


@pytest.mark.qemu
@pytest.mark.parametrize("arch", VARIANT_ARCHES)
def test_corrupted_capture_kernel_is_refused_and_never_runs(
        run_purgkit, kernel_for, stage2_initrd, arch):
    # Segment 0 is the capture kernel, the lowest in the reservation.
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd, arch,
        extra=["--test-corrupt-segment=0"],
        expect=["new:sysrq triggered crash",
                "purgkit: SHA-256 MISMATCH",
                "re:purgkit:   region 0: 0x[0-9a-f]+\\.\\.0x[0-9a-f]+ "
                "\\(\\d+ bytes\\) CHANGED",
                "purgkit: refusing to start the payload; halted"])
    assert result.code == 0, result.why
    assert "test hook: flipped a bit of segment 0 (kernel" in result.console
    after = result.console.split("SHA-256 MISMATCH", 1)[1]
    # Only region 0 changed; the others are checked and said to be so.
    assert re.search(r"region [1-9]\d*: .* ok", after), result.why
    assert "CHANGED" not in after.split("CHANGED", 1)[1]
    for going_on in crash(arch)["going_on"]:
        assert going_on not in after
    assert "second kernel up" not in after


@pytest.mark.qemu
@pytest.mark.parametrize("arch", VARIANT_ARCHES)
def test_user_trampoline_logs_in_the_crash_path(
        run_purgkit, kernel_for, stage2_initrd, tmp_path, arch):
    facts = crash(arch)
    work = build_out_of_tree(tmp_path, f"{ROOT}/examples/{facts['example']}",
                             "crash-log", target=arch)
    result = crash_run(
        run_purgkit, kernel_for, stage2_initrd, arch,
        extra=[f"--purgatory={work}/crash-log.ro"],
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                "re:" + facts["example_logs"], VMCORE_READ_PATTERN])
    assert result.code == 0, result.why
    logged = re.search(r"crash-log: .* elfcorehdr=(0x[0-9a-f]+)",
                       result.console).group(1)
    assert f"{capture_append(arch)} elfcorehdr={logged}" in result.console
    assert_ram_is_in_the_dump(arch, result)


@pytest.mark.qemu
def test_gdb_stops_in_the_crash_paths_trampoline(run_purgkit, kernel_for,
                                                 stage2_initrd, tmp_path):
    """purgkit-run --crash --gdb-script: the probe boot loads with -p
    without a panic, to learn where the capture trampoline goes in the
    reservation; in the real run gdb stops at pk_trampoline_main after
    the panic, reads the capture kernel's entry the loader patched, and
    the capture kernel then reads its dump as without gdb."""
    script = tmp_path / "crash.gdb"
    script.write_text("continue\n"
                      "print/x pk_linux_entry\n"
                      "detach\n")
    result = run_purgkit(
        "x86_64",
        [kernel_for("x86_64"), "--type=linux",
         f"--initrd={stage2_initrd('x86_64')}",
         f"--append={capture_append('x86_64')}"],
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                VMCORE_READ_PATTERN], smp=SMP, timeout=170,
        extra_options=["--crash", "--gdb-script", str(script)])
    assert result.code == 0, result.why
    gdb = "\n".join(line[len("gdb| "):] for line in
                    result.console.splitlines() if line.startswith("gdb| "))
    assert re.search(r"Breakpoint 1, pk_trampoline_main \(\) at "
                     r"trampolines/x86_64/linux\.c:\d+", gdb), gdb
    entry = re.search(r"^\$1 = (0x[0-9a-f]+)$", gdb, re.M)
    assert entry, gdb
    # In the reservation the old kernel announced, as the plan placed it.
    at = re.search(r"Reserving (\d+)MB of memory at (\d+)MB for "
                   r"crashkernel", result.console)
    assert at, result.console
    low = int(at.group(2)) << 20
    assert low <= int(entry.group(1), 16) < low + (int(at.group(1)) << 20)


def load_panic(run_purgkit, kernel_for, stage2_initrd, arch, **run_options):
    """Boot `arch`'s Debian kernel and run purgkit-load -p on it (no
    --crash: the tests say what the old kernel gets)."""
    return run_purgkit(
        arch,
        [kernel_for(arch), f"--initrd={stage2_initrd(arch)}",
         f"--append={capture_append(arch)}", "-p"],
        timeout=120, **run_options)


@pytest.mark.qemu
@pytest.mark.parametrize("arch", VARIANT_ARCHES)
def test_without_crashkernel_the_user_is_told_how_to_reserve(
        run_purgkit, kernel_for, stage2_initrd, arch):
    # A real kernel booted without crashkernel=: no reservation to load to.
    facts = crash(arch)
    result = load_panic(run_purgkit, kernel_for, stage2_initrd, arch,
                        expect=["purgkit-init: second kernel up"])
    assert result.code == LOADER_FAILED, result.why
    assert f"purgkit-load: no crash reservation: {facts['no_reservation']}; " \
        f"boot this kernel with crashkernel={ARCHES[arch].crash_kernel} on " \
        "its command line" in result.reason, result.why
    assert "purgkit-init: executing" not in result.console


@pytest.mark.qemu
@pytest.mark.parametrize("arch", VARIANT_ARCHES)
def test_status_says_a_crash_image_is_loaded_and_no_normal_one(
        run_purgkit, kernel_for, stage2_initrd, arch):
    # Load with -p on a kernel booted with crashkernel=, then, as the
    # exec step, purgkit-load -S -p.
    result = load_panic(
        run_purgkit, kernel_for, stage2_initrd, arch,
        expect=["normal image: not loaded", "crash image: loaded"],
        exec_args=["-S", "-p"],
        cmdline_extra=f"crashkernel={ARCHES[arch].crash_kernel}",
        memory="2G")
    assert result.code == 0, result.why


@pytest.mark.qemu
@pytest.mark.parametrize("arch", VARIANT_ARCHES)
def test_unloaded_capture_kernel_is_gone_and_the_panic_starts_nothing(
        run_purgkit, kernel_for, stage2_initrd, arch):
    # Load with -p; then, as steps: -S -p (loaded), -u -p, -S -p (gone);
    # then the panic: the old kernel has nothing to start, and reboots.
    result = run_purgkit(
        arch,
        [kernel_for(arch), "--type=linux", f"--initrd={stage2_initrd(arch)}",
         f"--append={capture_append(arch)}"],
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
