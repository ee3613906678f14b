# SPDX-License-Identifier: MIT
"""The memory map the loader writes for every trampoline (pk_memory_map(),
struct pk_memory_range in purgkit/patch.h).  Every plan the `plan` fixture
makes is checked by loader_support.check_memory_map; these tests pin what a
trampoline author reads in the cases that differ: the x86_64 map as it is,
the crash path's (only the reservation is free), and big-endian ppc64's
byte order."""
import os

import pytest

from loader_support import (Result, check_memory_map, contract,
                            memory_map_table, read_memmap)
from test_crash_plans import CRASH_MEMMAP, RESERVATION, crash_plan

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("PURGKIT_BUILD",
                       os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                    "build"))
PSERIES = os.path.join(HERE, "ppc64", "qemu-pseries-2G.memmap")


def kinds():
    k = contract()["constants"]
    return {k[name]: name[len("PK_MEMORY_"):].lower() for name in (
        "PK_MEMORY_RAM", "PK_MEMORY_RESERVED", "PK_MEMORY_ACPI",
        "PK_MEMORY_NVS", "PK_MEMORY_UNUSABLE", "PK_MEMORY_PMEM",
        "PK_MEMORY_LOADED")}


def test_multiboot_trampoline_reads_the_map_with_its_segments_carved_out(
        plan):
    p = plan(f"{BUILD}/payloads/x86_64/multiboot.elf", "--type=multiboot")
    ranges = memory_map_table(p, p["_result"])
    names = kinds()
    # What a trampoline printing pk_memory_map() would show: the firmware's
    # low ranges as the file has them, then RAM with the payload, the
    # trampoline and the Multiboot information cut out of it.
    shown = [(a, b, names[t]) for a, b, t in ranges]
    assert shown[:3] == [(0x0, 0x9fc00, "ram"), (0x9fc00, 0xa0000,
                                                 "reserved"),
                         (0xf0000, 0x100000, "reserved")]
    loaded = [(a, b) for a, b, t in shown if t == "loaded"]
    assert loaded == sorted((s["dest"], s["dest"] + s["memsz"])
                            for s in p["segments"])
    assert any(t == "ram" and a >= 0x100000 for a, b, t in shown)


def test_crash_path_map_has_only_the_reservation_free(plan, write):
    p = crash_plan(plan, write, "--append=console=ttyS0")
    ranges = memory_map_table(p, p["_result"])
    names = kinds()
    free = [(a, b) for a, b, t in ranges if names[t] == "ram"]
    assert free, ranges
    for a, b in free:
        assert RESERVATION[0] <= a < b <= RESERVATION[1], (hex(a), hex(b))
    assert [(a, b) for a, b, t in ranges if names[t] == "loaded"] == \
        sorted((s["dest"], s["dest"] + s["memsz"]) for s in p["segments"])


@pytest.mark.parametrize("arch", ["ppc64", "ppc64le"])
def test_ppc64_map_is_in_the_trampolines_byte_order(run, arch, tmp_path):
    """The same pSeries machine running a big- or little-endian kernel
    (the map's "arch" line): the trampoline, and so its map, follow it."""
    memmap = tmp_path / "pseries.memmap"
    with open(PSERIES) as f:
        memmap.write_text(f.read().replace("\narch ppc64le\n",
                                           f"\narch {arch}\n"))
    endian = "be" if arch == "ppc64" else "le"
    result = run("--dry-run", "--json", f"{BUILD}/payloads/ppc64/"
                 f"payload-{endian}.elf", memmap=str(memmap))
    assert result.rc == 0, result.stderr
    p = result.plan
    assert p["arch"] == arch
    ranges = memory_map_table(p, result)
    assert ranges and contract()["constants"]["PK_MEMORY_LOADED"] in \
        [t for _, _, t in ranges]
    check_memory_map(p, result, read_memmap(str(memmap)))
