# SPDX-License-Identifier: MIT
"""Console: pk_vsnprintf against the host C library's snprintf, the
console backend list, pk_print_hex and the memory-log ring."""
import json
import struct
import subprocess

import pytest

from sdk_support import BUILD

ORACLE = BUILD / "host" / "tests" / "sdk" / "printf-oracle"


@pytest.fixture(scope="module")
def oracle_lines():
    if not ORACLE.exists():
        pytest.fail(f"{ORACLE} is missing: run `make check-sdk`")
    return subprocess.run([str(ORACLE)], check=True, stdout=subprocess.PIPE,
                          text=True).stdout.splitlines()


def test_vsnprintf_matches_host_snprintf(sdk, oracle_lines):
    lines = sdk.run(b"printf\n")
    assert len(lines) == len(oracle_lines) > 40
    for got, want in zip(lines, oracle_lines):
        assert got == want, "case, return value, buffer"


def test_printf_reaches_each_backend_once(sdk):
    lines = sdk.run(b"console\n")
    assert lines == [
        "printf to-console -17 0beef|write|c|00017f80abff",
        "returned 28",
    ]


# The magic as purgkit/patch.h defines it (build/host/contract.json is
# printed from that header), which test_memlog_ring sees the SDK write.
with open(BUILD / "host" / "contract.json") as _f:
    MEMLOG_MAGIC = json.load(_f)["constants"]["PK_MEMLOG_MAGIC"]


def memlog(sdk, total, text):
    return sdk.run(b"memlog %d %d\n" % (total, len(text)) + text)


@pytest.mark.parametrize("total,text", [
    (32 + 64, b"short line\n"),                 # no wrap
    (32 + 16, b"exactly sixteen!"),             # fills the ring
    (32 + 10, b"0123456789abcdefghijklmnopq"),  # wraps more than once
    (32 + 1, b"xyz"),                           # one-byte ring
])
def test_memlog_ring(sdk, total, text):
    """Header fields, and ring[i % size] holds the last byte written at
    each position; nothing past the ring is touched."""
    size = total - 32
    ring = bytearray(b"\xee" * size)
    for i, c in enumerate(text):
        ring[i % size] = c
    lines = memlog(sdk, total, text)
    assert lines == [
        f"magic {MEMLOG_MAGIC:x} size {size} head {len(text)} reserved 0",
        f"ring {ring.hex()}",
        "after ee",
    ]


def test_memlog_refuses_a_ring_without_room(sdk):
    assert memlog(sdk, 32, b"abc") == ["registered 0"]


def test_memlog_magic_spells_purgklog():
    # patch.h's promise: PK_MEMLOG_MAGIC, the value test_memlog_ring reads
    # back from the header the SDK wrote, is "PURGKLOG" as little-endian
    # bytes (what a debugger searching memory finds on x86_64/ppc64le).
    assert struct.pack("<Q", MEMLOG_MAGIC) == b"PURGKLOG"
