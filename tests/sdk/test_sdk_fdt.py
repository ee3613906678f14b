# SPDX-License-Identifier: MIT
"""Device-tree header helpers, from both byte orders, against struct."""
import struct

import pytest

import build_targets

FIELDS = ("magic totalsize off_dt_struct off_dt_strings off_mem_rsvmap "
          "version last_comp_version boot_cpuid_phys size_dt_strings "
          "size_dt_struct").split()


def header(version, **kw):
    values = dict(magic=0xd00dfeed, totalsize=0x12345, off_dt_struct=0x38,
                  off_dt_strings=0x1000, off_mem_rsvmap=0x28,
                  version=version, last_comp_version=16,
                  boot_cpuid_phys=0x01020304, size_dt_strings=0x1ff,
                  size_dt_struct=0xfc4)
    values.update(kw)
    return struct.pack(">10I", *(values[f] for f in FIELDS)), values


@pytest.mark.parametrize("version", [17, 3, 2])
def test_read_and_set_boot_cpuid(sdk, version):
    blob, values = header(version)
    lines = sdk.run(b"fdt %d\n" % 0x8badf00d + blob)
    if version < 3:
        values["size_dt_strings"] = 0
    if version < 17:
        values["size_dt_struct"] = 0
    assert lines[0] == "read 0 " + " ".join(
        f"{values[f]:x}" if f == "magic" else str(values[f]) for f in FIELDS)
    # Only boot_cpuid_phys (offset 28) changes, stored big-endian.
    want = blob[:28] + struct.pack(">I", 0x8badf00d) + blob[32:]
    assert lines[1] == f"set 0 {want.hex()}"
    assert lines[2] == "be32 %x be64 %x" % (
        byteswapped32(sdk, 0x11223344),
        byteswapped64(sdk, 0x1122334455667788))


def sdk_order(sdk):
    return build_targets.struct_order(sdk.target)


def byteswapped32(sdk, v):
    # pk_be32_to_cpu: the value whose big-endian bytes are v's native ones.
    return struct.unpack(">I", struct.pack(sdk_order(sdk) + "I", v))[0]


def byteswapped64(sdk, v):
    return struct.unpack(">Q", struct.pack(sdk_order(sdk) + "Q", v))[0]


@pytest.mark.parametrize("blob", [
    header(17, magic=0xedfe0dd0)[0],    # little-endian magic: not an FDT
    header(1)[0],                       # too old to have boot_cpuid_phys
])
def test_rejects_bad_headers_untouched(sdk, blob):
    lines = sdk.run(b"fdt 7\n" + blob)
    assert lines[0] == "read -1"
    assert lines[1] == f"set -1 {blob.hex()}"
