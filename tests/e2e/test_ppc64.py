# SPDX-License-Identifier: MIT
"""ppc64 end to end: a little-endian Debian kernel on QEMU pseries (-smp 4)
kexecs, through purgkit-load, into the ppc64 trampolines.

What a user checks on the hypervisor console (every purgkit line below
came through the SDK's hvterm backend, H_PUT_TERM_CHAR):
  - the trampoline verified the image, then handed off;
  - the payload runs in the endianness it was built for, on the primary
    CPU whose number it got in r3, with the registers the loader was given;
  - every secondary CPU arrived at the payload's secondary entry, or
    stayed held when none was given;
  - a payload linked below the running kernel's end (or over address 0,
    where kexec puts its low copy) is copied home after the check, and
    its secondaries reach it;
  - a corrupted segment is refused before anything of it runs;
  - a Linux kernel booted through the "linux" trampoline brings all CPUs up.
The payloads are tests/payloads/ppc64 (built little- and big-endian).
"""

import os
import re
import shutil
import subprocess

import pytest

from e2e_support import BUILD

pytestmark = pytest.mark.qemu

ARCH = "ppc64le"
SMP = 4
SECONDARIES = SMP - 1


def payload(name):
    path = f"{BUILD}/payloads/ppc64/{name}"
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: run `make payloads`", pytrace=False)
    return path


def symbol(elf, name):
    """The address of a payload symbol, from its ELF symbol table."""
    out = subprocess.run(["nm", elf], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == name:
            return int(fields[0], 16)
    pytest.fail(f"{elf} has no symbol {name}", pytrace=False)


def raw_args(elf, *extra, release=True):
    args = [elf, "--type=elf", f"--reg=r4={SECONDARIES if release else 0}",
            "--reg=r5=0x5eed"]
    if release:
        args.append(f"--secondary-entry=0x{symbol(elf, 'payload_secondary'):x}")
    return args + list(extra)


def arrived_cpus(console):
    match = re.search(r"new\| payload: (\d+) of (\d+) secondaries arrived: "
                      r"cpus([ \d]*)", console)
    assert match, "the payload never said which secondaries arrived"
    return int(match.group(1)), sorted(int(c) for c in match.group(3).split())


def primary_cpu(console):
    match = re.search(r"new\| payload: \w+-endian primary cpu (\d+)", console)
    assert match, "the payload never said which CPU is the primary"
    return int(match.group(1))


@pytest.mark.parametrize("endian,elf", [("little", "payload-le.elf"),
                                        ("big", "payload-be.elf")])
def test_raw_payload_runs_in_its_endianness_with_registers_and_secondaries(
        run_purgkit, endian, elf):
    result = run_purgkit(ARCH, raw_args(payload(elf)), expect=[
        "new:purgkit: sha256 ok",
        f"new:purgkit: raw: primary is cpu",
        f"new:payload: {endian}-endian primary cpu",
        "payload: done"], smp=SMP)
    assert result.code == 0, result.why
    console = result.console
    msr_le = 1 if endian == "little" else 0
    assert f"-endian primary cpu {primary_cpu(console)} msr_le {msr_le}" \
        in console
    # r3 is the primary's CPU number; r4, r5 what the loader was told.
    assert re.search(rf"payload: r3=0x0*{primary_cpu(console):x} "
                     rf"r4=0x0*{SECONDARIES:x} r5=0x0*5eed ", console), \
        result.why
    got, cpus = arrived_cpus(console)
    assert got == SECONDARIES, result.why
    assert cpus == sorted(set(range(SMP)) - {primary_cpu(console)})


def test_secondaries_stay_held_without_a_secondary_entry(run_purgkit):
    result = run_purgkit(ARCH, raw_args(payload("payload-le.elf"),
                                        release=False),
                         expect=[f"purgkit: raw: primary is cpu",
                                 "payload: done"], smp=SMP)
    assert result.code == 0, result.why
    # The count is a snapshot when the primary prints: the old kernel
    # sends secondaries to 0x60 at their own pace, so under a loaded host
    # one may still be on its way.  What "held" promises is below: none
    # is released and none reaches the payload.
    held = re.search(r"purgkit: raw: primary is cpu \d+; (\d+) "
                     r"secondaries held", result.console)
    assert held and int(held.group(1)) <= SECONDARIES, result.why
    assert "purgkit: raw: secondaries to" not in result.console
    assert arrived_cpus(result.console) == (0, [])


def test_big_endian_trampoline_switches_endianness_at_entry(run_purgkit,
                                                            built):
    """The ELFv1 big-endian raw trampoline, entered by a little-endian
    kernel: the primary (at the entry) and every secondary (at 0x60) flip
    MSR[LE] themselves, then the little-endian payload gets them back."""
    result = run_purgkit(ARCH, raw_args(
        payload("payload-le.elf"), "--arch=ppc64",
        f"--purgatory={built('ppc64', 'trampolines/raw.ro')}"), expect=[
        "new:purgkit: sha256 ok", "payload: little-endian primary cpu",
        "payload: done"], smp=SMP)
    assert result.code == 0, result.why
    assert arrived_cpus(result.console)[0] == SECONDARIES, result.why


def placed(console, address):
    """The trampoline's line for the copy to address, after the check;
    a copy over the low copy comes after every secondary left it."""
    match = re.search(rf"purgkit: place: 0x{address:x}-0x[0-9a-f]+ from "
                      r"0x[0-9a-f]+", console)
    assert match, f"the trampoline never said it copied to 0x{address:x}"
    assert console.index("purgkit: sha256 ok") < match.start(), \
        "the copy came before the SHA-256 check"
    if address == 0:
        left = console.find(f"purgkit: place: all {SECONDARIES} "
                            "secondaries left the low copy")
        assert 0 <= left < match.start(), \
            "the low copy was overwritten before every secondary left it"
    return match


@pytest.mark.parametrize("address,endian,elf", [
    (0x400000, "little", "payload-4m-le.elf"),
    (0x400000, "big", "payload-4m-be.elf"),
    (0, "little", "payload-0-le.elf"),
    (0, "big", "payload-0-be.elf")],
    ids=["at-4MiB-le", "at-4MiB-be", "at-0-le", "at-0-be"])
def test_payload_below_the_kernels_end_is_copied_home_and_gets_every_cpu(
        run_purgkit, address, endian, elf):
    """Linked at 4 MiB, inside the running kernel: kexec will not load
    there, so the loader stages it and the trampoline copies it home.
    Linked at 0, the copy also overwrites the 0x100 bytes kexec put at
    physical 0 (where secondaries were sent), so they must already wait
    in the trampoline's image, and still be released into the payload."""
    result = run_purgkit(ARCH, raw_args(payload(elf)), expect=[
        "new:purgkit: sha256 ok", f"new:purgkit: place: 0x{address:x}-",
        f"new:payload: {endian}-endian primary cpu", "payload: done"],
        smp=SMP)
    assert result.code == 0, result.why
    placed(result.console, address)
    got, cpus = arrived_cpus(result.console)
    assert got == SECONDARIES, result.why
    assert cpus == sorted(set(range(SMP)) - {primary_cpu(result.console)})


def test_big_endian_trampoline_copies_a_payload_at_0_home(run_purgkit,
                                                          built):
    """The ELFv1 big-endian raw trampoline reads its placement table in
    its own byte order and copies a big-endian payload over address 0."""
    result = run_purgkit(ARCH, raw_args(
        payload("payload-0-be.elf"), "--arch=ppc64",
        f"--purgatory={built('ppc64', 'trampolines/raw.ro')}"), expect=[
        "new:purgkit: sha256 ok", "new:purgkit: place: 0x0-",
        "payload: big-endian primary cpu", "payload: done"], smp=SMP)
    assert result.code == 0, result.why
    placed(result.console, 0)
    assert arrived_cpus(result.console)[0] == SECONDARIES, result.why


def test_corrupted_staged_payload_is_refused_before_it_is_copied_home(
        run_purgkit):
    """The copy home comes after the check: a flipped bit in the staged
    copy stops everything before a byte of low memory is written.  The
    plan is trampoline (top-down, placed last), then the staging copy
    above it, so the staged segment is 1; the loader's line says so."""
    result = run_purgkit(ARCH, raw_args(payload("payload-4m-le.elf"),
                                        "--test-corrupt-segment=1"),
                         expect=["purgkit: SHA-256 MISMATCH",
                                 "refusing to start the payload"], smp=SMP)
    assert result.code == 0, result.why
    assert re.search(r"flipped a bit of segment 1 \([^)]*payload-4m-le\.elf",
                     result.console), result.why
    assert "purgkit: place:" not in result.console
    assert "payload:" not in result.console.split("SHA-256 MISMATCH")[1]


def test_corrupted_payload_is_refused_before_it_runs(run_purgkit):
    result = run_purgkit(ARCH, raw_args(payload("payload-le.elf"),
                                        "--test-corrupt-segment=0"),
                         expect=["purgkit: SHA-256 MISMATCH",
                                 "refusing to start the payload"], smp=SMP)
    assert result.code == 0, result.why
    assert "payload:" not in result.console.split("SHA-256 MISMATCH")[1]


def test_linux_trampoline_boots_linux_on_every_cpu(run_purgkit, kernel_for,
                                                   stage2_initrd):
    append = "console=hvc0 panic=-1 purgkit.stage=2 purgkit-ppc64-linux"
    result = run_purgkit(ARCH, [
        kernel_for(ARCH), "--type=linux",
        f"--initrd={stage2_initrd(ARCH)}", f"--append={append}"], expect=[
        "new:purgkit: sha256 ok",
        "new:purgkit: linux: primary is cpu",
        "new:Linux version",
        f"purgkit-init: second kernel up, cmdline: {append}",
        f"purgkit-init: online cpus: 0-{SMP - 1} ({SMP})"], smp=SMP)
    assert result.code == 0, result.why
    assert "little-endian" in result.console.split(
        "purgkit: linux: primary is cpu", 1)[1].splitlines()[0]


def test_own_linux_trampoline_from_the_example_boots_linux(
        run_purgkit, kernel_for, stage2_initrd, tmp_path):
    """examples/linux-ppc64, built out of tree as a user builds it, stands
    in for the built-in linux trampoline: it reads the tree and the memory
    map, and the new kernel comes up on every CPU."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    prefix = tmp_path / "prefix"
    subprocess.run(["make", "-s", "-C", root, "install", f"PREFIX={prefix}",
                    f"TARGETS={ARCH}"], check=True, capture_output=True)
    work = tmp_path / "linux-ppc64"
    shutil.copytree(f"{root}/examples/linux-ppc64", work)
    subprocess.run(["make", "-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}",
                    f"PURGKIT_TARGET={ARCH}"], check=True,
                   capture_output=True)
    append = "console=hvc0 panic=-1 purgkit.stage=2 my-own-linux"
    result = run_purgkit(ARCH, [
        kernel_for(ARCH), "--type=linux", f"--purgatory={work}/my-linux.ro",
        f"--initrd={stage2_initrd(ARCH)}", f"--append={append}"], expect=[
        "new:purgkit: sha256 ok",
        f'new:my-linux: bootargs "{append}"',
        "new:my-linux: entering the kernel at",
        f"purgkit-init: second kernel up, cmdline: {append}",
        f"purgkit-init: online cpus: 0-{SMP - 1} ({SMP})"], smp=SMP)
    assert result.code == 0, result.why
    ram = re.search(r"my-linux: (\d+) memory range\(s\) in the tree, "
                    r"(\d+) MiB of RAM free", result.console)
    # purgkit-run's pseries guest has 2 GiB.
    assert ram and int(ram.group(1)) >= 1 and int(ram.group(2)) >= 1024, \
        result.console


def test_big_endian_linux_trampoline_boots_a_little_endian_kernel(
        run_purgkit, kernel_for, stage2_initrd, built):
    """The ELFv1 big-endian linux trampoline between two little-endian
    kernels: endian switch at entry, and back to little-endian for Linux."""
    append = "console=hvc0 panic=-1 purgkit.stage=2 be-trampoline"
    result = run_purgkit(ARCH, [
        kernel_for(ARCH), "--type=linux", "--arch=ppc64",
        f"--purgatory={built('ppc64', 'trampolines/linux.ro')}",
        f"--initrd={stage2_initrd(ARCH)}", f"--append={append}"], expect=[
        "new:purgkit: sha256 ok",
        "new:purgkit: linux: primary is cpu",
        f"purgkit-init: second kernel up, cmdline: {append}",
        f"purgkit-init: online cpus: 0-{SMP - 1} ({SMP})"], smp=SMP)
    assert result.code == 0, result.why


def test_opal_console_and_linux_on_powernv(run_purgkit, kernel_for,
                                           stage2_initrd):
    """PowerNV (skiboot): the trampoline prints through OPAL (a big-endian
    firmware called from a little-endian trampoline and back), and passes
    OPAL to the next kernel.  QEMU takes the last -M, so this machine
    replaces purgkit-run's pseries."""
    append = "console=hvc0 panic=-1 purgkit.stage=2 powernv"
    result = run_purgkit(ARCH, [
        kernel_for(ARCH), "--type=linux", "--console=opal",
        f"--initrd={stage2_initrd(ARCH)}", f"--append={append}"], expect=[
        "new:purgkit: sha256 ok",
        "new:purgkit: linux: primary is cpu",
        f"purgkit-init: second kernel up, cmdline: {append}",
        "purgkit-init: online cpus: 0-1 (2)"], smp=2,
        extra_options=["--expect-old", "OPAL v", "--qemu-arg=-M",
                       "--qemu-arg=powernv9"], timeout=400)
    assert result.code == 0, result.why


def build_test_trampoline(tmp_path, name):
    """tests/e2e/trampolines/NAME.ro for ppc64le, built out of tree
    against an installed purgkit, as a user builds one."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    prefix = tmp_path / "prefix"
    subprocess.run(["make", "-s", "-C", root, "install", f"PREFIX={prefix}",
                    f"TARGETS={ARCH}"], check=True, capture_output=True)
    work = tmp_path / "work"
    subprocess.run(["cp", "-r", f"{root}/tests/e2e/trampolines", str(work)],
                   check=True)
    subprocess.run(["make", "-s", "-C", str(work), f"{name}.ro",
                    f"PURGKIT_PREFIX={prefix}", f"PURGKIT_TARGET={ARCH}"],
                   check=True, capture_output=True)
    return work / f"{name}.ro", f"{root}/tests/e2e/trampolines/{name}.c"


def line_of(source, marker):
    with open(source) as f:
        return next(n for n, text in enumerate(f, 1) if marker in text)


def test_a_fault_in_the_trampoline_prints_its_state_and_halts(run_purgkit,
                                                              tmp_path):
    """A program interrupt (trap) in a trampoline of one's own: the
    runtime's vector prints the vector, where (image base + offset, in
    trap_here) and the registers, and halts; purgkit-run ends the run at
    once (exit 8) and names trap.c and the line of the trap."""
    ro, source = build_test_trampoline(tmp_path, "trap")
    line = line_of(source, "TRAP LINE")
    result = run_purgkit(ARCH, raw_args(payload("payload-le.elf"),
                                        f"--purgatory={ro}"), smp=SMP)
    assert result.code == 8, result.why
    assert "trap: about to execute trap" in result.console
    assert "purgkit: CPU exception 0x700 (program)" in result.console, \
        result.why
    assert re.search(r"purgkit: fault at [0-9a-f]{16} = image [0-9a-f]+ "
                     r"\+ 0x[0-9a-f]+, in trap_here\+0x[0-9a-f]+",
                     result.console), result.why
    assert re.search(r"r14 0000000011223344  r15 000000000badc0de",
                     result.console), result.why
    assert "payload:" not in result.console
    assert "the trampoline halted: CPU exception 0x700 (program)" in \
        result.reason, result.why
    assert re.search(rf"in trap_here \(\S*trap\.c:{line}\)$",
                     result.reason), result.stderr
    assert re.search(rf"\(srr0\) is trap_here \(\S*trap\.c:{line}\)",
                     result.stderr), result.stderr


def test_a_panic_in_the_trampoline_ends_the_run_and_names_its_line(
        run_purgkit, tmp_path):
    """pk_panic in a trampoline of one's own, built out of tree: the
    runtime says where it was called (image base + offset, in give_up,
    from the loader's table) and halts; purgkit-run ends the run at once
    (exit 8) and names panic.c and the line of the call."""
    ro, source = build_test_trampoline(tmp_path, "panic")
    line = line_of(source, "PANIC LINE")
    result = run_purgkit(ARCH, raw_args(payload("payload-le.elf"),
                                        f"--purgatory={ro}"), smp=SMP)
    assert result.code == 8, result.why
    assert "panic: about to give up" in result.console
    assert re.search(r"purgkit: called at [0-9a-f]{16} = image [0-9a-f]+ "
                     r"\+ 0x[0-9a-f]+, in give_up\+0x[0-9a-f]+",
                     result.console), result.why
    assert "payload" not in result.console.split("panic: about")[1]
    assert "the trampoline halted: fatal: panic test: giving up (42)" \
        in result.reason, result.why
    assert re.search(rf"in give_up \(\S*panic\.c:{line}\)$",
                     result.reason), result.stderr


def test_gdb_stops_in_the_placed_trampoline_and_steps_to_the_hand_off(
        run_purgkit, tmp_path):
    """The same on ppc64le (pseries, real mode, -smp 4): gdb-multiarch
    stops at pk_trampoline_main of the raw trampoline as placed, reads the
    patched secondary entry, runs to the hand-off and detaches; the
    payload and its secondaries run as without gdb."""
    elf = payload("payload-le.elf")
    script = tmp_path / "trampoline.gdb"
    script.write_text("continue\n"
                      "print/x pk_secondary_entry\n"
                      "hbreak pk_ppc64_enter\n"
                      "continue\n"
                      "detach\n")
    result = run_purgkit(ARCH, raw_args(elf), smp=SMP,
                         expect=["payload: done"],
                         extra_options=["--gdb-script", str(script)])
    assert result.code == 0, result.why
    text = "\n".join(line[len("gdb| "):]
                     for line in result.console.splitlines()
                     if line.startswith("gdb| "))
    assert re.search(r"hit Breakpoint 1, pk_trampoline_main \(\) at "
                     r"trampolines/ppc64/raw\.c:\d+", text), text
    assert f"$1 = {symbol(elf, 'payload_secondary'):#x}" in text, text
    assert re.search(r"hit Breakpoint 2, pk_ppc64_enter ", text), text
    assert "[Inferior 1 (process 1) detached]" in text


MSR_BITS = {"SF": 63, "HV": 60, "VEC": 25, "EE": 15, "FP": 13, "IR": 5,
            "DR": 4, "RI": 1, "LE": 0}


def test_machine_state_at_pk_trampoline_main_is_the_table(run_purgkit,
                                                          tmp_path):
    """A trampoline of its own (little-endian) reads MSR, r1, r2 and the
    held secondaries at pk_trampoline_main; each must be what
    docs/contract-ppc64.md's table says."""
    ro, _ = build_test_trampoline(tmp_path, "state-ppc64")
    result = run_purgkit(ARCH, raw_args(payload("payload-le.elf"),
                                        f"--purgatory={ro}"), smp=SMP,
                         expect=["state: done"])
    assert result.code == 0, result.why
    seen = {}
    for line in result.console.splitlines():
        match = re.match(r"new\| state: (\w+) (0x.*)$", line)
        if match:
            seen[match.group(1)] = [int(v, 16) for v in
                                    match.group(2).split()]
    start, end = seen.pop("image")
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    with open(f"{root}/docs/contract-ppc64.md") as f:
        section = f.read().split("### Machine state at "
                                 "`pk_trampoline_main`")[1]
    table = {}
    for line in section.split("\n## ")[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("register", "---"):
            table[cells[0]] = cells[1]
    msr = seen["MSR"][0]
    bits = re.findall(r"\b([A-Z]+)=([01])\b", table["MSR"].split(" (")[0])
    assert len(bits) >= 5, table["MSR"]
    for name, bit in bits:
        assert (msr >> MSR_BITS[name]) & 1 == int(bit), \
            f"MSR {msr:#x}: {name} is not {bit}"
    for register in ("r1", "r2"):
        assert table[register].startswith("in the image")
        assert start <= seen[register][0] < end, register
    assert table["held"].startswith("the secondaries: every CPU but the "
                                    "primary")
    assert seen["held"][0] == SECONDARIES
