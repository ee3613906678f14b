# SPDX-License-Identifier: MIT
"""Fixtures for purgkit-load tests: run the loader, read its plan back."""
import hashlib
import json
import os
import subprocess
import sys

import pytest

import build_targets


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

X86_MEMMAP = os.path.join(HERE, "memmaps", "qemu-x86_64-pc-1G.memmap")
X86_PAGE = 4096
MAX_SEGMENTS = 16
# Per loader arch (the plan's "arch"): the address the trampoline must end
# below, or None where no fixed one applies.  x86_64's 32- and 16-bit
# hand-offs run with its code below 4 GiB; ppc64's limit is the machine's
# real-mode area, which the ppc64 plan tests check against their maps;
# aarch64's runtime maps what it runs from with 48-bit tables; riscv64's
# runs untranslated (satp = 0) from wherever it is placed.
TRAMPOLINE_CEILING = {
    "x86_64": 1 << 32,
    "ppc64le": None,
    "ppc64": None,
    "aarch64": 1 << 48,
    "riscv64": None,
}


BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(ROOT, "build"))


def contract():
    """The trampoline<->loader contract, from its one source (the headers,
    printed by sdk/gen/contract-json.c into build/host/contract.json)."""
    with open(os.path.join(BUILD, "host", "contract.json")) as f:
        return json.load(f)


def registers(record, structure, byteorder="little"):
    """A register block the loader patched, field by field as the
    contract lays it out: {"rax": value, ...}; array fields (ppc64 gpr)
    as lists."""
    layout = contract()["structs"][structure]
    raw = bytes.fromhex(record["bytes"])
    assert len(raw) == layout["size"], structure
    fields = {}
    for name, (offset, size, element) in layout["fields"].items():
        values = [int.from_bytes(raw[at:at + element], byteorder)
                  for at in range(offset, offset + size, element)]
        fields[name] = values if size != element else values[0]
    return fields


def loader_path():
    return os.environ.get("PURGKIT_LOAD",
                          os.path.join(ROOT, "build", "host-asan", "bin",
                                       "purgkit-load"))


class Result:
    def __init__(self, proc, dump_dir=None):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.dump_dir = dump_dir

    @property
    def plan(self):
        return json.loads(self.stdout)

    def segment_bytes(self, index):
        with open(os.path.join(self.dump_dir, f"segment-{index}.bin"),
                  "rb") as f:
            return f.read()

    def error_line(self):
        """The one line a failure prints (sanitizer noise would fail)."""
        lines = [l for l in self.stderr.splitlines()
                 if "detected payload type" not in l]
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("purgkit-load: ")
        return lines[0]


def memmap_number(text):
    """A number as the memory map grammar has it (docs/loader.md): 0x
    hex, else decimal, as /sys/firmware/memmap prints them."""
    return int(text, 16) if text.lower().startswith("0x") else int(text, 10)


def read_memmap(path):
    """The memory map file, parsed here independently of the loader."""
    ranges, page = [], None
    with open(path) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if not line:
                continue
            words = line.split(None, 2)
            try:
                start, end = memmap_number(words[0]), memmap_number(words[1])
            except ValueError:
                if words[0] == "page-size":
                    page = int(words[1], 0)
                continue
            ranges.append((start, end + 1, words[2]))
    return {"ranges": ranges, "page": page}


def in_ram(memmap, start, end):
    """Is [start, end) covered by System RAM (adjacent ranges joined)?"""
    at = start
    for lo, hi, kind in sorted(memmap["ranges"]):
        if kind != "System RAM" or hi <= at:
            continue
        if lo > at:
            return False
        at = hi
        if at >= end:
            return True
    return at >= end


def check_segment_rules(p, memmap):
    """kexec_load's rules, checked from the JSON alone."""
    page = memmap["page"] or p["page_size"]
    segs = p["segments"]
    assert 0 < len(segs) <= MAX_SEGMENTS
    for s in segs:
        assert s["dest"] % page == 0, s
        assert s["memsz"] % page == 0 and s["memsz"] > 0, s
        assert s["bufsz"] <= s["memsz"], s
        assert s["dest"] >= p["kernel_end"], s
        assert in_ram(memmap, s["dest"], s["dest"] + s["memsz"]), s
    spans = sorted((s["dest"], s["dest"] + s["memsz"]) for s in segs)
    for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
        assert a1 <= b0, f"overlap {a0:#x}-{a1:#x} and {b0:#x}-{b1:#x}"
    tramp = [s for s in segs if s["trampoline"]]
    assert len(tramp) == 1
    t = tramp[0]
    assert t["dest"] == p["trampoline"]["address"]
    assert t["memsz"] >= p["trampoline"]["size"]
    assert t["dest"] <= p["entry"] < t["dest"] + t["memsz"]
    ceiling = build_targets.row(
        TRAMPOLINE_CEILING, "tests/loader/loader_support.py "
        "TRAMPOLINE_CEILING", p["arch"])
    if ceiling is not None:
        assert t["dest"] + t["memsz"] <= ceiling


# The memory map file's type names (docs/loader.md) as the contract's
# PK_MEMORY_* numbers (purgkit/patch.h, through contract.json).
MEMMAP_TYPE_CONSTANTS = {
    "System RAM": "PK_MEMORY_RAM", "Reserved": "PK_MEMORY_RESERVED",
    "ACPI Tables": "PK_MEMORY_ACPI",
    "ACPI Non-volatile Storage": "PK_MEMORY_NVS",
    "Unusable memory": "PK_MEMORY_UNUSABLE",
    "Persistent Memory": "PK_MEMORY_PMEM",
}


def memory_map_table(p, result):
    """The memory map the loader wrote for the trampoline
    (pk_memory_map_table, struct pk_memory_map_header in purgkit/patch.h)
    as [(base, end, type)], read from the dumped trampoline segment; None
    when the trampoline has no pk_memory_map_table."""
    try:
        record = patch(p, "pk_memory_map_table")
    except KeyError:
        return None
    c = contract()
    order = build_targets.struct_order(p["arch"])
    t = [s for s in p["segments"] if s["trampoline"]][0]
    data = result.segment_bytes(t["index"])
    at = record["value"] - t["dest"]
    header = c["structs"]["pk_memory_map_header"]
    magic, count, entry_size = [int.from_bytes(
        data[at + off:at + off + size],
        "big" if order == ">" else "little")
        for off, size, _ in header["fields"].values()]
    assert magic == c["constants"]["PK_MEMORY_MAP_MAGIC"]
    assert entry_size == c["structs"]["pk_memory_range"]["size"]
    ranges = []
    for i in range(count):
        entry = at + header["size"] + i * entry_size
        base, size, kind, _ = struct_fields(
            data[entry:entry + entry_size],
            c["structs"]["pk_memory_range"], order)
        ranges.append((base, base + size, kind))
    return ranges


def struct_fields(data, structure, order):
    return [int.from_bytes(data[off:off + size],
                           "big" if order == ">" else "little")
            for off, size, _ in structure["fields"].values()]


def check_memory_map(p, result, memmap):
    """What the trampoline reads as pk_memory_map(): sorted, not
    overlapping, every segment exactly once as PK_MEMORY_LOADED, RAM only
    where the memory map file has RAM and never under a segment, and (on a
    normal load) every byte of the file's RAM either free RAM or loaded."""
    ranges = memory_map_table(p, result)
    if ranges is None:
        return
    k = contract()["constants"]
    loaded = sorted((s["dest"], s["dest"] + s["memsz"])
                    for s in p["segments"])
    assert [(a, b) for a, b, t in ranges if t == k["PK_MEMORY_LOADED"]] \
        == loaded
    for (a0, a1, _), (b0, b1, _) in zip(ranges, ranges[1:]):
        assert a0 < a1 <= b0 < b1, (hex(a0), hex(a1), hex(b0), hex(b1))
    for a, b, t in ranges:
        if t == k["PK_MEMORY_RAM"]:
            assert in_ram(memmap, a, b), (hex(a), hex(b))
    if p.get("crash") or not memmap["ranges"]:
        return
    for lo, hi, kind in memmap["ranges"]:
        want = k[MEMMAP_TYPE_CONSTANTS.get(kind, "PK_MEMORY_RESERVED")]
        covered = sorted((max(a, lo), min(b, hi), t) for a, b, t in ranges
                         if a < hi and b > lo)
        at = lo
        for a, b, t in covered:
            assert a == at, f"{lo:#x}-{hi:#x} {kind}: hole at {at:#x}"
            assert t in (want, k["PK_MEMORY_LOADED"]), (hex(a), t, kind)
            at = b
        assert at == hi, f"{lo:#x}-{hi:#x} {kind}: ends at {at:#x}"


def patch(p, symbol):
    for rec in p["patches"]:
        if rec["symbol"] == symbol:
            return rec
    raise KeyError(symbol)


def check_verification(p, result):
    """Regions patched = the checked segments; digest over their bytes."""
    regions = bytes.fromhex(patch(p, "pk_verify_regions")["bytes"])
    region = contract()["structs"]["pk_region"]
    # What was loaded is hashed, not the zero tail up to memsz (the kernel
    # zero-fills it): docs/loader.md, "Verification".
    checked = [s for s in p["segments"] if s["verify"] and s["bufsz"]]
    digest = hashlib.sha256()

    def field(i, name):
        offset, size, _ = region["fields"][name]
        at = region["size"] * i + offset
        return int.from_bytes(regions[at:at + size], "little")

    for i, s in enumerate(checked):
        assert (field(i, "start"), field(i, "size")) == (s["dest"],
                                                         s["bufsz"])
        data = result.segment_bytes(s["index"])
        assert len(data) == s["bufsz"]
        assert hashlib.sha256(data).hexdigest() == s["sha256"]
        digest.update(data)
    used = region["size"] * len(checked)
    assert regions[used:] == bytes(len(regions) - used)
    assert digest.hexdigest() == p["verify"]["digest"]
    assert patch(p, "pk_verify_digest")["bytes"] == p["verify"]["digest"]
    assert patch(p, "pk_verify_enabled")["value"] == (
        1 if p["verify"]["enabled"] else 0)
