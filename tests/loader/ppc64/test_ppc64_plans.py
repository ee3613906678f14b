# SPDX-License-Identifier: MIT
"""purgkit-load's ppc64 payload types on a recorded QEMU pSeries machine
(qemu-pseries-2G.memmap and .dtb, made by record.c/record.py): dry runs,
no privilege, no QEMU.  Each test is a promise a ppc64 user relies on."""

import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(ROOT, "build"))
LOADER = os.environ.get("PURGKIT_LOAD",
                        os.path.join(BUILD, "host", "bin", "purgkit-load"))
MEMMAP = os.path.join(HERE, "qemu-pseries-2G.memmap")
DTB = os.path.join(HERE, "qemu-pseries-2G.dtb")
KERNEL_END = 0x2880000
RMA_TOP = 0x80000000
LOW = 0x100          # the bytes kexec copies to physical 0
KEEP = 0x0c          # PK_PPC64_ENTRY_KEEP


def need(path, how):
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: {how}", pytrace=False)
    return path


def loader():
    return need(LOADER, "run `make` (or set PURGKIT_LOAD)")


def payload(name):
    return need(os.path.join(BUILD, "payloads", "ppc64", name),
                "run `make payloads`")


def kernel():
    """The Debian ppc64el vmlinux the end-to-end tests boot, fetched (or
    found in the cache) by purgkit-run's own code."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from purgkit_run import cli
    from purgkit_run.arches import ARCHES
    from purgkit_run.kernel import KernelError, fetch_kernel
    try:
        return fetch_kernel(ARCHES["ppc64le"], cli.default_cache_dir())
    except KernelError as error:
        pytest.fail(f"no Debian ppc64el kernel to plan with: {error}",
                    pytrace=False)


def plan(*args, dump=None):
    command = [loader(), "--dry-run", "--json", f"--memmap={MEMMAP}"]
    if dump:
        command.append(f"--dump-segments={dump}")
    result = subprocess.run(command + list(args), capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(*args):
    result = subprocess.run([loader(), "--dry-run", f"--memmap={MEMMAP}"] +
                            list(args), capture_output=True, text=True)
    assert result.returncode != 0, result.stdout
    lines = [line for line in result.stderr.splitlines()
             if "detected payload type" not in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def patch(p, name):
    for item in p["patches"]:
        if item["symbol"] == name:
            return item
    raise AssertionError(f"{name} was not patched")


def segment(p, what):
    for s in p["segments"]:
        if s["what"].startswith(what):
            return s
    raise AssertionError(f"no {what} segment")


def test_linux_plan_stays_in_real_mode_area_above_both_kernels(tmp_path):
    initrd = tmp_path / "initrd.cpio"
    initrd.write_bytes(b"070701" + b"0" * 4000)
    p = plan(kernel(), f"--dtb={DTB}", f"--initrd={initrd}",
             "--append=console=hvc0 root=/dev/ram0")
    assert p["type"] == "linux" and p["type_detected"]
    k = segment(p, "kernel")
    # The new kernel copies itself down to 0: nothing may sit below its end.
    for s in p["segments"]:
        assert s["dest"] >= KERNEL_END and s["dest"] >= k["memsz"], s
        assert s["dest"] + s["memsz"] <= RMA_TOP, s
        assert s["verify"] != s["trampoline"], s
    assert p["entry"] == segment(p, "trampoline")["dest"]
    assert patch(p, "pk_linux_entry")["value"] == k["dest"] == \
        p["payload_entry"]
    assert patch(p, "pk_linux_dtb")["value"] == segment(p, "device tree")[
        "dest"]
    assert patch(p, "pk_kernel_le")["value"] == 1
    assert patch(p, "pk_opal_base")["value"] == 0


def test_linux_low_bytes_are_the_kernels_behind_our_entry_branch(tmp_path):
    p = plan(kernel(), f"--dtb={DTB}", dump=str(tmp_path))
    index = segment(p, "trampoline")["index"]
    tramp = (tmp_path / f"segment-{index}.bin").read_bytes()
    image = (tmp_path / f"segment-{segment(p, 'kernel')['index']}.bin"
             ).read_bytes()
    # Secondaries run the kernel's own __secondary_hold from the low copy.
    assert tramp[KEEP:LOW] == image[KEEP:LOW]
    # The first word stays the endian-neutral tdi 0,0,0x48 (LE bytes) and
    # the next one our branch, not the kernel's.
    assert tramp[0:4] == bytes.fromhex("48000008")
    assert tramp[4:8] != image[4:8]


def test_linux_device_tree_has_cmdline_initrd_and_reserves(tmp_path):
    if not shutil.which("dtc"):
        pytest.fail("dtc is not installed (device-tree-compiler)",
                    pytrace=False)
    initrd = tmp_path / "initrd.cpio"
    initrd.write_bytes(b"x" * 100000)
    p = plan(kernel(), f"--dtb={DTB}", f"--initrd={initrd}",
             "--append=console=hvc0 marker=ppc64", dump=str(tmp_path))
    rd = segment(p, "initrd")
    dts = subprocess.run(
        ["dtc", "-q", "-I", "dtb", "-O", "dts",
         str(tmp_path / f"segment-{segment(p, 'device tree')['index']}.bin")],
        check=True, capture_output=True, text=True).stdout
    assert 'bootargs = "console=hvc0 marker=ppc64";' in dts
    start, end = rd["dest"], rd["dest"] + 100000

    def cells(value):
        return f"<0x{value >> 32:02x} 0x{value & 0xffffffff:x}>"

    assert f"linux,initrd-start = {cells(start)};" in dts
    assert f"linux,initrd-end = {cells(end)};" in dts
    assert f"/memreserve/\t0x{start:016x} 0x{100000:016x};" in dts
    assert "/memreserve/\t0x000000002fff0000" in dts      # RTAS


def test_linux_device_tree_reserves_every_reserved_range(tmp_path):
    """Firmware's /reserved-ranges all reach the reserve map, not only the
    first (adding a reserve entry moves the property being read)."""
    if not shutil.which("dtc"):
        pytest.fail("dtc is not installed (device-tree-compiler)",
                    pytrace=False)
    source = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", DTB],
                            check=True, capture_output=True,
                            text=True).stdout
    head, brace, rest = source.partition("/ {")
    ranges = ("\treserved-ranges = <0x0 0x10000000 0x0 0x10000 "
              "0x0 0x20000000 0x0 0x30000 0x0 0x40000000 0x0 0x50000>;")
    dtb = tmp_path / "ranges.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb)],
                   input=head + brace + "\n" + ranges + rest, check=True,
                   capture_output=True, text=True)
    p = plan(kernel(), f"--dtb={dtb}", dump=str(tmp_path))
    dts = subprocess.run(
        ["dtc", "-q", "-I", "dtb", "-O", "dts",
         str(tmp_path / f"segment-{segment(p, 'device tree')['index']}.bin")],
        check=True, capture_output=True, text=True).stdout
    for base, size in ((0x10000000, 0x10000), (0x20000000, 0x30000),
                       (0x40000000, 0x50000)):
        assert f"/memreserve/\t0x{base:016x} 0x{size:016x};" in dts


def test_gzipped_vmlinux_is_detected_and_loaded_like_the_plain_one(tmp_path):
    packed = tmp_path / "vmlinux.gz"
    with open(kernel(), "rb") as src, gzip.open(packed, "wb", 1) as dst:
        shutil.copyfileobj(src, dst)
    plain = plan(kernel(), f"--dtb={DTB}")
    zipped = plan(str(packed), f"--dtb={DTB}")
    assert zipped["type"] == "linux"
    assert segment(zipped, "kernel")["sha256"] == \
        segment(plain, "kernel")["sha256"]


def test_elf_payload_gets_its_endianness_registers_and_secondary_entry():
    p = plan(payload("payload-be.elf"), "--reg=r4=3", "--reg=r1=0x9000000",
             "--secondary-entry=0x8000060")
    assert p["type"] == "elf"
    regs = bytes.fromhex(patch(p, "pk_ppc64_regs")["bytes"])
    # The layout from its one source (purgkit/regs.h, through
    # build/host/contract.json).
    with open(os.path.join(BUILD, "host", "contract.json")) as f:
        layout = json.load(f)["structs"]["pk_ppc64_regs"]
    assert len(regs) == layout["size"]
    fields = layout["fields"]

    def le(offset, width=8):     # the ppc64le trampoline: little-endian data
        return int.from_bytes(regs[offset:offset + width], "little")

    gpr, _, width = fields["gpr"]
    assert le(gpr + 1 * width, width) == 0x9000000
    assert le(gpr + 4 * width, width) == 3
    assert le(*fields["nia"][:2]) == 0x8000000
    assert le(*fields["msr_le"][:2]) == 0                     # big-endian
    assert patch(p, "pk_secondary_entry")["value"] == 0x8000060
    assert patch(p, "pk_ppc64_cpu_in_r3")["value"] == 1
    le_plan = plan(payload("payload-le.elf"), "--reg=r3=7")
    regs = bytes.fromhex(patch(le_plan, "pk_ppc64_regs")["bytes"])
    assert le(*fields["msr_le"][:2]) == 1                     # little
    assert patch(le_plan, "pk_ppc64_cpu_in_r3")["value"] == 0
    assert patch(le_plan, "pk_secondary_entry")["value"] == 0


def test_raw_binary_needs_an_address_and_goes_there(tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x60\x00\x00\x00" * 64)
    assert "--address" in refused(str(blob), "--type=raw")
    p = plan(str(blob), "--type=raw", "--address=0x9000000")
    assert segment(p, str(blob))["dest"] == 0x9000000
    assert p["payload_entry"] == 0x9000000


def test_bad_inputs_get_one_clear_line(tmp_path):
    assert "r11" in refused(payload("payload-le.elf"), "--reg=r11=1")
    assert "msr_le" in refused(payload("payload-le.elf"), "--reg=msr_le=2")
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(b"\x7fELF" + b"\0" * 4000)[:-20])
    assert "broken.gz" in refused(str(broken), "--type=linux")
    assert "FIXUP_ENDIAN" in refused(payload("payload-le.elf"),
                                     "--type=linux", f"--dtb={DTB}")
    notdtb = tmp_path / "not.dtb"
    notdtb.write_bytes(b"\0" * 64)
    assert "not a flattened device tree" in refused(kernel(),
                                                   f"--dtb={notdtb}")


def test_segments_above_the_real_mode_limit_are_refused(tmp_path):
    small = tmp_path / "small-rma.memmap"
    small.write_text(open(MEMMAP).read().replace(
        "real-mode-limit 0x80000000", "real-mode-limit 0x4000000"))
    result = subprocess.run([loader(), "--dry-run", f"--memmap={small}",
                             payload("payload-le.elf")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "0x4000000" in result.stderr


def test_opal_console_without_opal_is_refused():
    """The raw and elf types do not look for OPAL: asking for its console
    there would print nothing, so the plan is refused, naming why."""
    line = refused("-l", payload("payload-le.elf"), "--type=elf",
                   "--console=opal")
    assert "--console=opal: this plan has no OPAL base and entry" in line
