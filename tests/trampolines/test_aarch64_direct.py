# SPDX-License-Identifier: MIT
"""The aarch64 raw trampoline on a bare QEMU virt machine, no kernel to
kexec from: QEMU enters the placed trampoline as kexec does (MMU, D- and
I-cache off, everything masked; at EL1, or at EL2 with
virtualization=on), with the test payload (tests/payloads/aarch64) in
memory as a loader would have put it.  The payload reports the state the
hand-off gave it over the PL011, then powers the machine off.  What a
user of the raw trampoline relies on: the exception level it asked for,
the MMU and caches off again after the runtime hashed with them on, its
registers, and a payload changed after its
digest was taken never run."""
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import time

import pytest

pytestmark = pytest.mark.qemu

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(ROOT, "build"))
LINK = os.path.join(BUILD, "host", "bin", "purgkit-link")
with open(os.path.join(BUILD, "targets.json")) as _f:
    _TARGETS = json.load(_f)
# Every target of the aarch64 family in the table (none: nothing to run).
AARCH64_TARGETS = [t for t in _TARGETS["all"]
                   if _TARGETS["arch"][t] == "aarch64"]
PAYLOAD = os.path.join(BUILD, "payloads", "aarch64", "payload.elf")
QEMU = "qemu-system-aarch64"

BASE = 0x40200000          # the trampoline, 2 MiB into QEMU virt's RAM
PAYLOAD_AT = 0x60000000    # tests/payloads/aarch64/payloads.mk
UART = 0x9000000           # QEMU virt's PL011


def contract():
    with open(os.path.join(BUILD, "host", "contract.json")) as f:
        return json.load(f)


def raw(target):
    return os.path.join(BUILD, target, "trampolines", "raw.ro")


def need(target):
    for path in (LINK, raw(target), PAYLOAD):
        if not os.path.isfile(path):
            pytest.fail(f"{path} is missing: run `make all payloads`",
                        pytrace=False)
    if not shutil.which(QEMU):
        pytest.fail(f"{QEMU} is not installed (qemu-system-arm)",
                    pytrace=False)


def payload_segment(offset=False):
    """The payload's one PT_LOAD: its bytes, as a loader would load them
    (or where they are in the file)."""
    data = open(PAYLOAD, "rb").read()
    phoff, = struct.unpack_from("<Q", data, 32)
    phnum, = struct.unpack_from("<H", data, 56)
    loads = [struct.unpack_from("<IIQQQQQQ", data, phoff + 56 * i)
             for i in range(phnum)]
    loads = [p for p in loads if p[0] == 1 and p[5]]
    assert len(loads) == 1 and loads[0][3] == PAYLOAD_AT, loads
    if offset:
        return loads[0][2]
    return data[loads[0][2]:loads[0][2] + loads[0][5]]


def regs_bytes(values):
    """struct pk_aarch64_regs laid out as contract.json says."""
    layout = contract()["structs"]["pk_aarch64_regs"]
    raw = bytearray(layout["size"])
    for name, value in values.items():
        offset, size, element = layout["fields"][name]
        for i, v in enumerate(value if isinstance(value, list) else [value]):
            struct.pack_into("<Q", raw, offset + i * element, v)
    return bytes(raw)


def place(tmp_path, target, regs, digest_of):
    """The raw trampoline at BASE as an ELF QEMU boots, patched as
    purgkit-load would: PL011 console, the payload's region and the
    digest of digest_of."""
    files = {
        "regs": regs_bytes(regs),
        "regions": struct.pack("<QQ", PAYLOAD_AT, len(digest_of)) +
        bytes(16 * (contract()["constants"]["PK_MAX_REGIONS"] - 1)),
        "digest": hashlib.sha256(digest_of).digest(),
    }
    for name, data in files.items():
        (tmp_path / (name + ".bin")).write_bytes(data)
    out = tmp_path / "raw.elf"
    mask = contract()["constants"]["PK_CONSOLE_PL011"]
    p = subprocess.run(
        [LINK, "--base", hex(BASE), "--format", "elf", "-o", str(out),
         "--set", f"pk_console_mask={mask}", "--set", f"pk_uart_base={UART}",
         "--set", f"pk_aarch64_regs=@{tmp_path / 'regs.bin'}",
         "--set", f"pk_verify_regions=@{tmp_path / 'regions.bin'}",
         "--set", f"pk_verify_digest=@{tmp_path / 'digest.bin'}",
         raw(target)],
        capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return out


def boot(kernel, payload, virtualization, until, timeout=60):
    """Run QEMU until it powers off or prints `until`; its console."""
    cmd = [QEMU, "-M", f"virt,virtualization={virtualization}",
           "-cpu", "max", "-m", "1G", "-accel", "tcg", "-nographic",
           "-no-reboot", "-kernel", str(kernel),
           "-device", f"loader,file={payload}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    out, deadline = b"", time.monotonic() + timeout
    os.set_blocking(proc.stdout.fileno(), False)
    try:
        while time.monotonic() < deadline:
            chunk = proc.stdout.read() or b""
            out += chunk
            if until.encode() in out or proc.poll() is not None:
                break
            time.sleep(0.1)
        else:
            pytest.fail("no %r within %ds:\n%s" % (
                until, timeout, out.decode(errors="replace")))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        out += proc.stdout.read() or b""
    return out.decode(errors="replace").replace("\r", "")


def payload_state(console):
    m = re.search(r"payload: EL(\d) sctlr.m (\d) sctlr.c (\d) sctlr.i (\d) "
                  r"daif 0x([0-9a-f]+)\npayload: x0=0x([0-9a-f]+) "
                  r"x1=0x([0-9a-f]+) x2=0x([0-9a-f]+) x3=0x([0-9a-f]+)",
                  console)
    assert m, console
    return dict(el=int(m[1]), m=int(m[2]), c=int(m[3]), i=int(m[4]),
                daif=int(m[5], 16), x=[int(m[k], 16) for k in range(6, 10)])


# (QEMU's virtualization=, pk_aarch64_regs.el, the EL kexec's entry
# stands for, the EL the payload must run at)
CASES = [("off", 0, 1, 1), ("on", 0, 2, 2), ("on", 1, 2, 1), ("on", 2, 2, 2)]


@pytest.mark.parametrize("target", AARCH64_TARGETS)
@pytest.mark.parametrize("virtualization,el,entry_el,payload_el", CASES,
                         ids=["EL1", "EL2", "EL2-to-EL1", "EL2-asked"])
def test_raw_hands_over_at_the_asked_level_mmu_and_caches_off(
        tmp_path, target, virtualization, el, entry_el, payload_el):
    need(target)
    segment = payload_segment()
    # x2 = 1: the payload powers off by SMC (QEMU's conduit with an EL2).
    smc = 1 if virtualization == "on" else 0
    regs = {"x": [0x1234, UART, smc, 0x5678, 0, 0, 0, 0],
            "pc": PAYLOAD_AT, "el": el}
    kernel = place(tmp_path, target, regs, segment)
    console = boot(kernel, PAYLOAD, virtualization, "payload: done")
    # QEMU enters EL2 without VHE (HCR_EL2.E2H = 0).
    assert f"purgkit: raw: entered at EL{entry_el} (caches on, " in console, \
        console
    engines = [name for name in contract()["constants"]
               if name.startswith("PK_SHA256_")]
    m = re.search(r"purgkit: sha256 \(([\w-]+)\) of 1 region", console)
    assert m and m[1] in ("portable", "arm-sha2"), (engines, console)
    assert "purgkit: sha256 ok" in console
    state = payload_state(console)
    assert state["el"] == payload_el
    assert (state["m"], state["c"], state["i"]) == (0, 0, 0)
    assert state["daif"] == 0x3c0        # D, A, I, F masked
    assert state["x"] == [0x1234, UART, smc, 0x5678]
    assert "payload: done" in console


@pytest.mark.parametrize("target", AARCH64_TARGETS)
def test_raw_refuses_el2_when_entered_at_el1(tmp_path, target):
    need(target)
    segment = payload_segment()
    regs = {"x": [0, UART, 0, 0, 0, 0, 0, 0], "pc": PAYLOAD_AT, "el": 2}
    kernel = place(tmp_path, target, regs, segment)
    refusal = ("purgkit: fatal: raw: the payload asks for EL2, but kexec "
               "entered the trampoline at EL1")
    console = boot(kernel, PAYLOAD, "off", refusal)
    assert refusal in console, console
    assert "payload:" not in console


@pytest.mark.parametrize("target", AARCH64_TARGETS)
@pytest.mark.parametrize("virtualization", ["off", "on"])
def test_a_payload_changed_after_its_digest_was_taken_never_runs(
        tmp_path, target, virtualization):
    need(target)
    segment = payload_segment()
    regs = {"x": [0, UART, 0, 0, 0, 0, 0, 0], "pc": PAYLOAD_AT}
    kernel = place(tmp_path, target, regs, segment)
    changed = bytearray(open(PAYLOAD, "rb").read())
    changed[payload_segment(offset=True) + 0x100] ^= 1   # a loaded byte
    bad = tmp_path / "changed.elf"
    bad.write_bytes(bytes(changed))
    console = boot(kernel, bad, virtualization, "halted")
    assert "purgkit: SHA-256 MISMATCH" in console, console
    assert f"region 0: {PAYLOAD_AT:#x}..{PAYLOAD_AT + len(segment):#x}" \
        in console, console
    assert "purgkit: refusing to start the payload; halted" in console
    assert "payload:" not in console
