# SPDX-License-Identifier: MIT
"""purgkit-load's ppc64 payload types on a recorded QEMU pSeries machine
(qemu-pseries-2G.memmap and .dtb, made by record.c/record.py): dry runs,
no privilege, no QEMU.  Each test is a promise a ppc64 user relies on."""

import gzip
import re
import json
import os
import shutil
import subprocess
import sys

import pytest

import payloads

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


def test_linux_kernel_lies_an_odd_number_of_64k_pages_from_0(tmp_path):
    """The kernel copies itself down to 0 first; at a large power of two
    from 0 both ends of that copy share every set of a set-indexed TLB
    (QEMU's TCG took 0.2 s longer).  So it goes at an odd multiple of
    64 KiB, whatever the running kernel's end."""
    with open(MEMMAP) as f:
        recorded = f.read()
    for end in range(0x2880000, 0x2880000 + 4 * 0x10000, 0x10000):
        shifted = tmp_path / f"end-{end:x}.memmap"
        shifted.write_text(recorded.replace("kernel-end 0x2880000",
                                            f"kernel-end {end:#x}"))
        assert f"kernel-end {end:#x}" in shifted.read_text()
        result = subprocess.run(
            [loader(), "--dry-run", "--json", f"--memmap={shifted}",
             kernel(), f"--dtb={DTB}"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        dest = segment(json.loads(result.stdout), "kernel")["dest"]
        assert dest >= end and dest % 0x20000 == 0x10000, hex(dest)


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


# ---- payloads below the running kernel's end (staged, copied home) ----

def contract():
    """The trampoline<->loader contract, from its one source (the headers,
    printed by sdk/gen/contract-json.c into build/host/contract.json)."""
    with open(os.path.join(BUILD, "host", "contract.json")) as f:
        return json.load(f)


def place_max():
    """PK_PPC64_PLACE_MAX, purgkit/arch/ppc64/lowmem.h."""
    return contract()["constants"]["PK_PPC64_PLACE_MAX"]


def unpack(raw, structure, byteorder):
    """One structure of the contract, field by field as contract.json
    lays it out: an integer per scalar field, the raw bytes of each
    element of an array field."""
    layout = contract()["structs"][structure]
    assert len(raw) == layout["size"], structure
    fields = {}
    for name, (offset, size, element) in layout["fields"].items():
        if size == element:
            fields[name] = int.from_bytes(raw[offset:offset + size],
                                          byteorder)
        else:
            fields[name] = [raw[at:at + element]
                            for at in range(offset, offset + size, element)]
    return fields


def place_fields(p, byteorder):
    raw = bytes.fromhex(patch(p, "pk_ppc64_place_table")["bytes"])
    return unpack(raw, "pk_ppc64_place_table", byteorder)


def place_header(p, byteorder="little"):
    """pk_ppc64_place_table's head as patched: count, dcache_block,
    icache_block, secondaries, wait_ticks (struct in lowmem.h)."""
    table = place_fields(p, byteorder)
    assert len(table["entry"]) == place_max()
    return [table[f] for f in ("count", "dcache_block", "icache_block",
                               "secondaries", "wait_ticks")]


def place_table(p, byteorder="little"):
    """(count, dblock, iblock, entries), each entry (src, dest, filesz,
    memsz)."""
    table = place_fields(p, byteorder)
    entries = []
    for raw in table["entry"][:table["count"]]:
        entry = unpack(raw, "pk_ppc64_place", byteorder)
        entries.append(tuple(entry[f] for f in ("src", "dest", "filesz",
                                                "memsz")))
    return table["count"], table["dcache_block"], table["icache_block"], \
        entries


def staged(p):
    return [s for s in p["segments"] if "final" in s]


def check_staging_is_safe(p):
    """kexec gets only destinations it takes; every final range lies
    below every segment, so no copy home overwrites what it needs."""
    finals = [(s["final"]["dest"], s["final"]["dest"] + s["final"]["memsz"])
              for s in staged(p)]
    for s in p["segments"]:
        assert KERNEL_END <= s["dest"] and s["dest"] + s["memsz"] <= RMA_TOP
        for start, end in finals:
            assert s["dest"] >= end, (s, start, end)


@pytest.mark.parametrize("elf", ["payload-4m-le.elf", "payload-4m-be.elf"])
def test_payload_below_kernel_end_is_staged_and_listed_for_the_copy(elf):
    p = plan(payload(elf), "--secondary-entry=0x400080")
    [s] = staged(p)
    assert s["final"]["dest"] == 0x400000 == p["payload_entry"]
    assert s["final"]["filesz"] == s["bufsz"] <= s["final"]["memsz"]
    check_staging_is_safe(p)
    count, _, _, entries = place_table(p)
    assert count == 1
    assert entries == [(s["dest"], 0x400000, s["bufsz"],
                        s["final"]["memsz"])]
    # The trampoline enters the payload at its own address.
    regs = bytes.fromhex(patch(p, "pk_ppc64_regs")["bytes"])
    assert int.from_bytes(regs[32 * 8:33 * 8], "little") == 0x400000


def test_payload_at_0_is_staged_for_address_0():
    p = plan(payload("payload-0-le.elf"))
    [s] = staged(p)
    assert s["final"]["dest"] == 0 and s["final"]["memsz"] >= LOW
    check_staging_is_safe(p)
    assert place_table(p)[3][0][1] == 0


def test_big_endian_trampoline_gets_the_table_in_its_byte_order(tmp_path):
    be = tmp_path / "be.memmap"
    be.write_text(open(MEMMAP).read().replace("arch ppc64le", "arch ppc64"))
    p = subprocess.run([loader(), "--dry-run", "--json", f"--memmap={be}",
                        "--arch=ppc64", payload("payload-4m-be.elf")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    p = json.loads(p.stdout)
    [s] = staged(p)
    count, _, _, entries = place_table(p, "big")
    assert count == 1 and entries[0][:2] == (s["dest"], 0x400000)


def test_cache_blocks_and_secondaries_come_from_the_device_tree():
    """QEMU's POWER9 (-smp 4) says 128-byte blocks, four CPUs and a 512 MHz
    timebase: the trampoline waits up to 30 s for the three secondaries to
    leave the low copy.  Without a device tree: the smallest block, and
    0s (a fixed wait)."""
    assert place_header(plan(payload("payload-4m-le.elf"),
                             f"--dtb={DTB}"))[1:] == [
        128, 128, 3, 512000000 * 30]
    assert place_header(plan(payload("payload-4m-le.elf")))[1:] == [
        0, 0, 0, 0]


def test_trampoline_clock_is_the_device_trees_timebase(tmp_path):
    """The trampoline reports its time in timebase ticks; the loader
    patches their rate (pk_timebase_hz) from the cpu node's
    timebase-frequency, for every payload type.  Without a tree to read
    it stays 0, which the trampoline takes as 512 MHz."""
    source = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", DTB],
                            capture_output=True, text=True,
                            check=True).stdout
    assert "timebase-frequency = <0x1e848000>;" in source   # 512 MHz
    dtb = tmp_path / "tb.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb)],
                   input=source.replace("timebase-frequency = <0x1e848000>",
                                        "timebase-frequency = <0x1dcd6500>"),
                   text=True, check=True)
    for args in ([kernel()], [payload("payload-le.elf")],
                 [payload("payload-4m-le.elf")]):
        p = plan(*args, f"--dtb={dtb}")
        assert patch(p, "pk_timebase_hz")["value"] == 500000000, args
    assert patch(plan(payload("payload-le.elf")),
                 "pk_timebase_hz")["value"] == 0


def test_payload_above_kernel_end_is_not_staged():
    p = plan(payload("payload-le.elf"))
    assert staged(p) == []
    assert place_table(p)[0] == 0


def test_dry_run_text_shows_staging_and_final_address():
    result = subprocess.run([loader(), "--dry-run", f"--memmap={MEMMAP}",
                             payload("payload-4m-le.elf")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.search(r"0x00000000[0-9a-f]{8}  0x[0-9a-f]{8}  [0-9a-f]{64}  "
                     r".*payload-4m-le.elf.*\n\s+staged; the trampoline "
                     r"copies it to 0x0000000000400000 ", result.stdout), \
        result.stdout


def test_raw_binary_straddling_kernel_end_is_staged_whole(tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x60\x00\x00\x00" * 0x8000)     # 128 KiB of nops
    p = plan(str(blob), "--type=raw", f"--address=0x{KERNEL_END - 0x10000:x}")
    [s] = staged(p)
    assert s["final"]["dest"] == KERNEL_END - 0x10000
    assert s["final"]["memsz"] == 0x20000
    check_staging_is_safe(p)


def test_more_low_segments_than_the_table_holds_are_refused(tmp_path):
    many = tmp_path / "many.elf"
    loads = [(0x400000 + n * 0x20000, b"\x60\0\0\0" * 4, 0x10)
             for n in range(place_max() + 1)]
    many.write_bytes(payloads.elf(loads, 0x400000, elf_class=64,
                                  machine=21))
    line = refused(str(many), "--type=elf")
    assert f"more than {place_max()} segments below the running kernel's " \
        "end 0x2880000" in line


def test_memory_log_over_a_staged_segments_home_is_refused():
    # The memory log is a kexec segment of its own, so below the running
    # kernel's end (where a staged payload goes home) it is refused like
    # any other segment there, before anything is staged over it.
    line = refused(payload("payload-4m-le.elf"),
                   "--console=hvterm", "--console=memlog,0x400000")
    assert "(memory log (--console=memlog,0x400000)) at 0x400000 is below " \
        f"the running kernel's end 0x{KERNEL_END:x}" in line


def test_no_room_to_stage_is_refused(tmp_path):
    tight = tmp_path / "tight.memmap"
    tight.write_text(open(MEMMAP).read().replace(
        "real-mode-limit 0x80000000", f"real-mode-limit 0x{KERNEL_END:x}"))
    result = subprocess.run([loader(), "--dry-run", f"--memmap={tight}",
                             payload("payload-4m-le.elf")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines()
             if "detected payload type" not in line]
    assert len(lines) == 1 and "no room to stage" in lines[0], result.stderr


def test_trampoline_without_a_placement_table_is_refused():
    linux_ro = need(os.path.join(BUILD, "ppc64le", "trampolines", "linux.ro"),
                    "run `make`")
    line = refused(payload("payload-4m-le.elf"), "--type=elf",
                   f"--purgatory={linux_ro}")
    assert "has no pk_ppc64_place_table, so it cannot copy segments " \
        "below the running kernel's end 0x2880000" in line


@pytest.mark.parametrize("arch,byteorder", [("ppc64le", "little"),
                                            ("ppc64", "big")])
def test_low_copy_sends_secondaries_into_the_placed_trampoline(
        tmp_path, arch, byteorder):
    """The doubleword at 0xf8 of the 0x100 bytes kexec copies to 0
    (PK_PPC64_LOW_HOLD) is where secondaries go from 0x60: it must be
    inside the trampoline as placed, so nothing waits in low memory."""
    memmap = tmp_path / "map.memmap"
    memmap.write_text(open(MEMMAP).read().replace("arch ppc64le\n", ""))
    dump = tmp_path / "segments"
    result = subprocess.run([loader(), "--dry-run", "--json",
                             f"--memmap={memmap}", f"--arch={arch}",
                             f"--dump-segments={dump}",
                             payload("payload-0-le.elf")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    p = json.loads(result.stdout)
    tramp = segment(p, "trampoline")
    image = (dump / f"segment-{tramp['index']}.bin").read_bytes()
    hold = int.from_bytes(image[0xf8:0x100], byteorder)
    assert tramp["dest"] + LOW <= hold < tramp["dest"] + tramp["memsz"]
    # Staged above the trampoline's code: the copy to 0 cannot reach it.
    assert staged(p)[0]["final"]["dest"] + staged(p)[0]["final"]["memsz"] \
        <= tramp["dest"]
