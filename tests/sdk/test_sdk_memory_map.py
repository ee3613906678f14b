# SPDX-License-Identifier: MIT
"""pk_memory_map(): the table the loader writes (struct pk_memory_map_header
and pk_memory_range, laid out by contract.json), read back on every target
in its own byte order; a table it cannot read gives 0 ranges, never a
guess."""
import json
import struct

import build_targets
from sdk_support import BUILD


def contract():
    with open(BUILD / "host" / "contract.json") as f:
        return json.load(f)


def table(sdk, ranges, magic=None, entry_size=None, pad=b""):
    c = contract()
    order = build_targets.struct_order(sdk.target)
    size = entry_size or c["structs"]["pk_memory_range"]["size"]
    blob = struct.pack(order + "QII",
                       c["constants"]["PK_MEMORY_MAP_MAGIC"]
                       if magic is None else magic, len(ranges), size)
    for base, length, kind in ranges:
        entry = struct.pack(order + "QQII", base, length, kind, 0) + pad
        blob += entry.ljust(size, b"\xee")
    return blob


def read(sdk, blob):
    return sdk.run(b"memmap %d\n" % len(blob) + blob)


def test_every_range_and_its_name(sdk):
    k = contract()["constants"]
    ranges = [(0, 0x9fc00, k["PK_MEMORY_RAM"]),
              (0x9fc00, 0x400, k["PK_MEMORY_RESERVED"]),
              (0x100000, 0x1000, k["PK_MEMORY_ACPI"]),
              (0x101000, 0x1000, k["PK_MEMORY_NVS"]),
              (0x102000, 0x1000, k["PK_MEMORY_UNUSABLE"]),
              (0x200000, 0x3000, k["PK_MEMORY_LOADED"]),
              (0x1_0000_0000, 0x4000_0000, k["PK_MEMORY_PMEM"]),
              (0xfd_0000_0000, 0x1000, 99)]
    lines = read(sdk, table(sdk, ranges))
    names = ["ram", "reserved", "acpi", "nvs", "unusable", "loaded", "pmem",
             "?"]
    assert lines == [f"count {len(ranges)}"] + [
        f"{b:x} {s:x} {t} {n}" for (b, s, t), n in zip(ranges, names)]


def test_a_newer_loaders_longer_entries_are_stepped_over(sdk):
    k = contract()["constants"]
    ranges = [(0x1000, 0x2000, k["PK_MEMORY_RAM"]),
              (0x3000, 0x1000, k["PK_MEMORY_LOADED"])]
    lines = read(sdk, table(sdk, ranges, entry_size=40))
    assert lines == ["count 2", "1000 2000 1 ram", "3000 1000 256 loaded"]


def test_a_table_it_cannot_read_has_no_ranges(sdk):
    k = contract()["constants"]
    one = [(0x1000, 0x2000, k["PK_MEMORY_RAM"])]
    assert read(sdk, table(sdk, one, magic=0x1234)) == ["count 0"]
    assert read(sdk, table(sdk, one, entry_size=16)) == ["count 0"]
    assert read(sdk, table(sdk, one, entry_size=28)) == ["count 0"]
