# SPDX-License-Identifier: MIT
"""riscv64: the raw trampoline as purgkit-load plans it, run on QEMU's virt
machine under OpenSBI (Debian's QEMU firmware), before any riscv64 Linux
kexec exists in the tests.

OpenSBI enters its next stage as kexec enters an image (S-mode, satp = 0,
a0 = the hart id, a1 = a device tree; docs/contract-riscv64.md), so the
plan's segments, each put at its destination by QEMU's loader device, run
as they would after a kexec once OpenSBI's next stage (a three-instruction
stub QEMU loads as -kernel) jumps to the plan's (kexec's) entry: the
trampoline checks the SHA-256 of what was loaded, then enters the payload:
the project's own, which prints a0, a1 and the tree's magic and powers
the machine off, or Debian 13's riscv64 kernel with the plan's tree.
What differs from a kexec: the tree in a1 is QEMU's (OpenSBI's), not the
plan's, and stvec/sp are OpenSBI's.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import sys

import pytest

from e2e_support import BUILD, ROOT, debian_kernel

sys.path.insert(0, os.path.join(ROOT, "tests", "loader"))
import payloads  # noqa: E402  (the loader tests' ELF writer)

EM_RISCV = 243

LOADER = os.path.join(BUILD, "host", "bin", "purgkit-load")
PAYLOAD = os.path.join(BUILD, "payloads", "riscv64", "payload.elf")
PLANS = os.path.join(ROOT, "tests", "loader", "riscv64")
MEMMAP = os.path.join(PLANS, "qemu-virt-512M.memmap")
DTB = os.path.join(PLANS, "qemu-virt-512M.dtb")


# OpenSBI's next stage: QEMU's -kernel ELF, entered at its lowest address
# (QEMU 7.2 takes that, not e_entry), which no plan here uses.
STUB_AT = 0x9f000000


def plan_segments(tmp_path, *extra, payload=PAYLOAD, kind="elf"):
    """purgkit-load's dry run: the plan, and QEMU -device loader options
    that put each dumped segment at its destination."""
    for path in (LOADER, payload):
        if not os.path.isfile(path):
            pytest.fail(f"{path} is missing: run `make check` (or `make "
                        "all payloads`)", pytrace=False)
    tmp_path.mkdir(parents=True, exist_ok=True)
    dump = tmp_path / "segments"
    p = subprocess.run([LOADER, "--dry-run", "--json", "--arch=riscv64",
                        f"--memmap={MEMMAP}", f"--dtb={DTB}",
                        f"--dump-segments={dump}", f"--type={kind}", *extra,
                        payload], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout)
    devices = []
    for s in plan["segments"]:
        assert not s["dest"] <= STUB_AT < s["dest"] + s["memsz"], s
        devices += ["-device", "loader,file=%s,addr=%#x,force-raw=on" % (
            dump / f"segment-{s['index']}.bin", s["dest"])]
    # auipc t0, 0; ld t0, 16(t0); jr t0; nop; then the entry: a0 and a1
    # pass through untouched.
    code = struct.pack("<IIIIQ", 0x00000297, 0x0102b283, 0x00028067,
                       0x00000013, plan["entry"])
    stub = tmp_path / "stub.elf"
    stub.write_bytes(payloads.elf([(STUB_AT, code, 0x1000)], STUB_AT,
                                  elf_class=64, machine=EM_RISCV))
    return plan, ["-kernel", str(stub)] + devices


def qemu_command(args):
    qemu = shutil.which("qemu-system-riscv64")
    if not qemu:
        pytest.fail("qemu-system-riscv64 is not installed: run `make deps`",
                    pytrace=False)
    return [qemu, "-accel", "tcg", "-M", "virt", "-m", "512", "-smp", "2",
            "-nographic", "-no-reboot", "-bios", "default"] + args


def boot(args, timeout=120):
    """Until the payload powers the machine off (or reboots it)."""
    p = subprocess.run(qemu_command(args), capture_output=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    return p.stdout.decode("utf-8", "replace")


def boot_until_quiet(args):
    """A refused image halts the hart and never powers off: stop QEMU
    after a while and return what it printed."""
    proc = subprocess.Popen(qemu_command(args), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.decode("utf-8", "replace")


@pytest.mark.qemu
def test_trampoline_checks_and_enters_the_payload(tmp_path):
    plan, args = plan_segments(tmp_path)
    out = boot(args)
    assert "purgkit: sha256 ok" in out, out
    lines = [l for l in out.splitlines() if l.startswith("payload: ")]
    assert len(lines) == 1, out
    words = dict(w.split("=") for w in lines[0].split()[2:])
    # a0 = the hart OpenSBI started the next stage on (its cold-boot
    # lottery picks any of them), as the runtime read it at entry.
    hart = re.search(r"purgkit: raw: hart (\d+);", out)
    assert hart, out
    assert int(words["a0"], 16) == int(hart.group(1))
    assert int(words["tree-magic"], 16) == 0xd00dfeed
    assert int(words["a1"], 16) != 0


@pytest.mark.qemu
def test_a_changed_segment_is_refused_before_the_payload(tmp_path):
    plan, _ = plan_segments(tmp_path)
    payload_index = [i for i, s in enumerate(plan["segments"])
                     if s["verify"] and s["bufsz"] and
                     "payload.elf" in s["what"]][0]
    _, args = plan_segments(tmp_path / "corrupt",
                            f"--test-corrupt-segment={payload_index}")
    out = boot_until_quiet(args)
    assert "purgkit: SHA-256 MISMATCH: the loaded image is not what" in out, out
    assert "payload: " not in out, out



@pytest.mark.qemu
def test_debian_kernel_through_the_linux_trampoline(tmp_path):
    """Debian 13's riscv64 kernel (an Image that is also a PE), checked
    and entered by the linux trampoline with the plan's tree: it reads our
    bootargs, brings both harts up (SBI HSM) and stops at its missing root
    file system, which panic=-1 turns into a reboot QEMU ends on."""
    kernel = debian_kernel("riscv64")
    cmdline = "console=ttyS0 earlycon=sbi panic=-1 purgkit.test=riscv64"
    plan, args = plan_segments(tmp_path, f"--append={cmdline}",
                               payload=kernel, kind="linux")
    out = boot(args, timeout=300)
    assert "purgkit: sha256 ok" in out, out[-3000:]
    assert f"Kernel command line: {cmdline}" in out, out[-3000:]
    assert "smp: Brought up 1 node, 2 CPUs" in out, out[-3000:]
    assert "VFS: Unable to mount root fs" in out, out[-3000:]


@pytest.mark.qemu
def test_uart16550_console_alone(tmp_path):
    """--console=uart16550,ADDR: the trampoline writes to QEMU virt's
    16550 itself, without the SBI console (the two share a serial line
    here; the SBI banner is OpenSBI's, the purgkit lines the UART's)."""
    plan, args = plan_segments(tmp_path, "--console=uart16550,0x10000000")
    out = boot(args)
    assert "purgkit: sha256 ok" in out, out
    assert any(l.startswith("payload: riscv64 ") for l in out.splitlines())
