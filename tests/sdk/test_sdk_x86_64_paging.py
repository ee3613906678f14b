# SPDX-License-Identifier: MIT
"""pk_x86_64_map_uncached, the engine of pk_x86_64_map_mmio, on page
tables in ordinary memory shaped as the old kernel leaves them: what a
device address translates to afterwards, and that the memory around it
keeps its mapping and its caching."""
import pytest

from sdk_support import SdkTest

GIB, MIB, KIB = 1 << 30, 1 << 20, 1 << 10
NONE, GIGA, TWO_MEG = 0, 1, 2     # the harness's starting tables
HPET = 0xFED00000


@pytest.fixture
def sdk():
    return SdkTest("x86_64")


def map_and_probe(sdk, levels, kind, base, size, probes):
    words = ["paging", levels, kind, base, size, *probes]
    lines = sdk.run(" ".join(str(w) for w in words).encode() + b"\n")
    head = lines[0].split()
    result = {}
    for line in lines[1:]:
        w = line.split()
        result[int(w[0])] = None if w[1] == "none" else (
            int(w[1]), int(w[2]), w[4] == "1", w[6] == "1")
    return int(head[1]), int(head[3]), result


@pytest.mark.parametrize("levels", [4, 5])
def test_hpet_inside_a_1g_page_is_split_down_to_4k_and_uncached(sdk,
                                                                levels):
    rc, tables, at = map_and_probe(
        sdk, levels, GIGA, HPET, 0x400,
        [HPET, HPET + 0x3ff, HPET + 4 * KIB, HPET - 4 * KIB, 3 * GIB,
         0xFEC00000, 0xFEE00000, 2 * GIB + 5])
    assert rc == 0
    # One page directory for the 1 GiB page, one page table for the
    # 2 MiB page around the HPET.
    assert tables == 2
    assert at[HPET] == (HPET, 4 * KIB, True, False)
    assert at[HPET + 0x3ff] == (HPET + 0x3ff, 4 * KIB, True, False)
    # Its neighbours: the same addresses, still cached.
    assert at[HPET + 4 * KIB] == (HPET + 4 * KIB, 4 * KIB, False, False)
    assert at[HPET - 4 * KIB] == (HPET - 4 * KIB, 4 * KIB, False, False)
    assert at[3 * GIB] == (3 * GIB, 2 * MIB, False, False)
    assert at[0xFEE00000] == (0xFEE00000, 2 * MIB, False, False)
    # Another 1 GiB page is untouched.
    assert at[2 * GIB + 5] == (2 * GIB + 5, GIB, False, False)


def test_unmapped_device_gets_new_tables_and_2m_pages_where_it_can(sdk):
    # A 3 MiB range at 1 GiB + 1 MiB above a 2 MiB-page map of 0-1 GiB:
    # 1 MiB in 4 KiB pages, then one whole 2 MiB page.
    base = GIB + 1 * MIB
    rc, tables, at = map_and_probe(
        sdk, 4, TWO_MEG, base, 3 * MIB,
        [base, base + MIB - 1, GIB + 2 * MIB, GIB + 4 * MIB - 1,
         GIB + 4 * MIB, GIB, 512 * MIB])
    assert rc == 0
    assert tables == 2          # a page directory, one page table
    assert at[base] == (base, 4 * KIB, True, False)
    assert at[base + MIB - 1] == (base + MIB - 1, 4 * KIB, True, False)
    assert at[GIB + 2 * MIB] == (GIB + 2 * MIB, 2 * MIB, True, False)
    assert at[GIB + 4 * MIB - 1][2] is True
    assert at[GIB + 4 * MIB] is None        # past the range: not mapped
    assert at[GIB] is None                  # before it, in its 2 MiB
    assert at[512 * MIB] == (512 * MIB, 2 * MIB, False, False)


def test_a_large_page_wholly_inside_is_made_uncached_as_it_is(sdk):
    rc, tables, at = map_and_probe(sdk, 4, TWO_MEG, 4 * MIB, 2 * MIB,
                                   [4 * MIB, 6 * MIB - 1, 6 * MIB])
    assert (rc, tables) == (0, 0)
    assert at[4 * MIB] == (4 * MIB, 2 * MIB, True, False)
    assert at[6 * MIB] == (6 * MIB, 2 * MIB, False, False)


def test_nothing_to_map_and_what_cannot_be_mapped(sdk):
    rc, tables, _ = map_and_probe(sdk, 4, NONE, HPET, 0, [])
    assert (rc, tables) == (0, 0)
    # Past the lower canonical half (47 bits with 4 levels).
    rc, _, _ = map_and_probe(sdk, 4, NONE, 1 << 47, 4096, [])
    assert rc == -1
    rc, _, _ = map_and_probe(sdk, 4, NONE, (1 << 47) - 4096, 8192, [])
    assert rc == -1
    # ... which 5 levels reach.
    rc, _, at = map_and_probe(sdk, 5, NONE, 1 << 47, 4096, [1 << 47])
    assert rc == 0 and at[1 << 47] == (1 << 47, 4 * KIB, True, False)
