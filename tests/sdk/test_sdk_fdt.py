# SPDX-License-Identifier: MIT
"""Device-tree helpers: the header from both byte orders against struct, and
the tree reader against dtc's fdtget/fdtdump."""
import os
import struct
import subprocess

import pytest

import build_targets
from sdk_support import ROOT

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


# ---- the tree reader (pk_fdt_open and its walkers, sdk/lib/fdt_read.c) ----
#
# The oracle is dtc's own fdtget/fdtdump: every node, property and value
# the SDK reports must be the one libfdt's tools report, for QEMU's real
# trees of three machines and for a tree written here that has what those
# lack (reservations, aliases, a disabled node, 1-cell buses).

REAL_TREES = {
    "aarch64-virt": "tests/loader/aarch64/qemu-virt-1G.dtb",
    "riscv64-virt": "tests/loader/riscv64/qemu-virt-512M.dtb",
    "ppc64-pseries": "tests/loader/ppc64/qemu-pseries-2G.dtb",
    "ppc64-pseries-drmem": "tests/loader/fuzz/seeds/devtree/"
                           "qemu-pseries-dimm-drmem-v2.dtb",
}

WRITTEN_TREE = """/dts-v1/;
/memreserve/ 0x10000000 0x4000;
/memreserve/ 0x120000000 0x1000;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	model = "purgkit test";
	aliases {
		serial0 = "/soc/serial@9000000";
	};
	chosen {
		bootargs = "console=ttyAMA0 quiet";
		stdout-path = "serial0:115200n8";
	};
	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x20000000>, <0x1 0x0 0x0 0x10000000>;
	};
	memory@80000000 {
		device_type = "memory";
		status = "disabled";
		reg = <0x0 0x80000000 0x0 0x1000>;
	};
	memory@c0000000 {
		device_type = "memory";
		reg = <0x0 0xc0000000 0x0 0x1000000>;
		linux,usable-memory = <0x0 0xc0100000 0x0 0x100000>;
	};
	reserved-memory {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		firmware@48000000 {
			reg = <0x48000000 0x200000>;
			no-map;
		};
		off@49000000 {
			reg = <0x49000000 0x1000>;
			status = "disabled";
		};
		pool {
			size = <0x100000>;
		};
	};
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		compatible = "simple-bus";
		ranges;
		serial@9000000 {
			compatible = "arm,pl011", "arm,primecell";
			reg = <0x9000000 0x1000>;
		};
		empty {
			flag;
		};
	};
};
"""


def dtc_tool(name):
    import shutil
    path = shutil.which(name)
    assert path, f"{name} (device-tree-compiler) is not installed: make deps"
    return path


def written_tree(tmp_path, source=WRITTEN_TREE):
    src = tmp_path / "t.dts"
    src.write_text(source)
    out = tmp_path / "t.dtb"
    subprocess.run([dtc_tool("dtc"), "-I", "dts", "-O", "dtb", "-o", out,
                    src], check=True, capture_output=True)
    return out


def fdtget(tree, *args):
    return subprocess.run([dtc_tool("fdtget"), str(tree), *args],
                          check=True, capture_output=True,
                          text=True).stdout.split("\n")[:-1]


def oracle_dump(tree):
    """The sdk-test "fdtwalk" dump of tree, as fdtget sees it."""
    lines = []

    def node(path):
        lines.append(f"node {path}")
        for prop in fdtget(tree, "-p", path):
            value = fdtget(tree, "-t", "bx", path, prop)[0].split()
            data = bytes(int(b, 16) for b in value)
            lines.append(f"prop {prop} {len(data)} {data.hex()}")
        for child in fdtget(tree, "-l", path):
            node(path.rstrip("/") + "/" + child)

    node("/")
    return lines


def cells_of(tree, path, name, default):
    try:
        return int(fdtget(tree, "-t", "u", path, name)[0])
    except subprocess.CalledProcessError:
        return default


def prop_bytes(tree, path, name):
    try:
        value = fdtget(tree, "-t", "bx", path, name)[0].split()
    except subprocess.CalledProcessError:
        return None
    return bytes(int(b, 16) for b in value)


def entries(data, address_cells, size_cells):
    step = 4 * (address_cells + size_cells)
    for at in range(0, len(data) - step + 1, step):
        a = int.from_bytes(data[at:at + 4 * address_cells], "big")
        s = int.from_bytes(data[at + 4 * address_cells:at + step], "big")
        yield a, s


def enabled(tree, path):
    status = prop_bytes(tree, path, "status")
    return status is None or status.rstrip(b"\0") in (b"okay", b"ok")


def oracle_ranges(tree):
    """The "memory" and "reserved" lines: memory nodes (usable-memory
    first), then /memreserve/ (from fdtdump) and /reserved-memory."""
    import re
    lines = []
    ac, sc = cells_of(tree, "/", "#address-cells", 2), \
        cells_of(tree, "/", "#size-cells", 1)
    count = 0
    for child in fdtget(tree, "-l", "/"):
        path = "/" + child
        kind = prop_bytes(tree, path, "device_type")
        if kind is None or b"memory" not in kind.split(b"\0") or \
                not enabled(tree, path):
            continue
        data = prop_bytes(tree, path, "linux,usable-memory") or \
            prop_bytes(tree, path, "reg") or b""
        for a, s in entries(data, ac, sc):
            lines.append(f"memory {a:x} {s:x}")
            count += 1
    lines.append(f"memory-count {count}")
    count = 0
    dump = subprocess.run([dtc_tool("fdtdump"), str(tree)], check=True,
                          capture_output=True, text=True).stdout
    for a, s in re.findall(r"^/memreserve/ (0x[0-9a-f]+) (0x[0-9a-f]+);",
                           dump, re.M):
        lines.append(f"reserved {int(a, 16):x} {int(s, 16):x}")
        count += 1
    if "reserved-memory" in fdtget(tree, "-l", "/"):
        rac = cells_of(tree, "/reserved-memory", "#address-cells", 2)
        rsc = cells_of(tree, "/reserved-memory", "#size-cells", 1)
        for child in fdtget(tree, "-l", "/reserved-memory"):
            path = "/reserved-memory/" + child
            data = prop_bytes(tree, path, "reg")
            if data is None or not enabled(tree, path):
                continue
            for a, s in entries(data, rac, rsc):
                lines.append(f"reserved {a:x} {s:x}")
                count += 1
    lines.append(f"reserved-count {count}")
    return lines


def walk(sdk, blob, paths=()):
    command = " ".join(["fdtwalk", str(len(blob)), *paths]).encode()
    return sdk.run(command + b"\n" + blob)


@pytest.mark.parametrize("name", sorted(REAL_TREES))
def test_reader_walks_qemus_trees_as_fdtget_does(sdk, name, tmp_path):
    tree = os.path.join(ROOT, REAL_TREES[name])
    with open(tree, "rb") as f:
        blob = f.read()
    # The pseries trees are version 16 with NOP tokens, as SLOF leaves
    # them; fdtget stops early in those, so the oracle reads dtc's
    # version-17 rewrite of the same tree while the SDK reads the original.
    plain = tmp_path / "plain.dtb"
    subprocess.run([dtc_tool("dtc"), "-q", "-I", "dtb", "-O", "dtb", "-o",
                    plain, tree], check=True, capture_output=True)
    lines = walk(sdk, blob)
    assert lines[0] == "open 0"
    want = oracle_dump(plain) + oracle_ranges(plain)
    assert lines[1:] == want


def test_reader_finds_paths_aliases_memory_and_reservations(sdk, tmp_path):
    tree = written_tree(tmp_path)
    lines = walk(sdk, tree.read_bytes(), [
        "/chosen", "/memory", "/memory@80000000", "serial0",
        "serial0:115200n8", "/soc/serial", "/soc/serial@9000000",
        "/soc//empty/", "/reserved-memory/firmware", "/nope",
        "/soc/serial@9000000/x", "nosuchalias", "/soc/serial@9"])
    assert lines[0] == "open 0"
    body = lines[1:]
    assert body[:len(oracle_dump(tree))] == oracle_dump(tree)
    tail = body[len(oracle_dump(tree)):]
    # RAM: both entries of the first node, the capture kernel's usable
    # range instead of the third node's reg, nothing from the disabled one.
    # Reserved: both /memreserve/s, the enabled reserved-memory child with
    # a reg, in its parent's one-cell addressing.
    assert tail == oracle_ranges(tree) + [
        "path /chosen chosen",
        "path /memory memory@40000000 reg 40000000 20000000",
        "path /memory@80000000 memory@80000000 reg 80000000 1000",
        "path serial0 serial@9000000 reg 9000000 1000",
        "path serial0:115200n8 serial@9000000 reg 9000000 1000",
        "path /soc/serial serial@9000000 reg 9000000 1000",
        "path /soc/serial@9000000 serial@9000000 reg 9000000 1000",
        "path /soc//empty/ empty",
        "path /reserved-memory/firmware firmware@48000000 "
        "reg 48000000 200000",
        "path /nope none",
        "path /soc/serial@9000000/x none",
        "path nosuchalias none",
        "path /soc/serial@9 none",
    ]
    assert oracle_ranges(tree) == [
        "memory 40000000 20000000", "memory 100000000 10000000",
        "memory c0100000 100000", "memory-count 3",
        "reserved 10000000 4000", "reserved 120000000 1000",
        "reserved 48000000 200000", "reserved-count 3"]


def struct_token_offset(blob, token, occurrence=0):
    """Offset in blob of the occurrence-th 4-byte-aligned token word."""
    off_struct = struct.unpack(">I", blob[8:12])[0]
    size_struct = struct.unpack(">I", blob[36:40])[0]
    found = -1
    for at in range(off_struct, off_struct + size_struct, 4):
        if struct.unpack(">I", blob[at:at + 4])[0] == token:
            found += 1
            if found == occurrence:
                return at
    raise AssertionError(f"token {token} not found")


def patched(blob, at, data):
    return blob[:at] + data + blob[at + len(data):]


def malformed_trees(good):
    """(what, blob): trees pk_fdt_open must refuse, each one fault."""
    off_struct = struct.unpack(">I", good[8:12])[0]
    off_strings = struct.unpack(">I", good[12:16])[0]
    size_struct = struct.unpack(">I", good[36:40])[0]
    size_strings = struct.unpack(">I", good[32:36])[0]
    end_token = off_struct + size_struct - 4
    first_prop = struct_token_offset(good, 3)
    yield "bad magic", patched(good, 0, b"\xd0\x0d\xfe\xee")
    yield "version 15", patched(good, 20, struct.pack(">I", 15))
    yield "needs a reader newer than 17", patched(good, 24,
                                                 struct.pack(">I", 18))
    yield "totalsize past the blob", patched(
        good, 4, struct.pack(">I", len(good) + 1))
    yield "structure block past totalsize", patched(
        good, 36, struct.pack(">I", len(good)))
    yield "strings block past totalsize", patched(
        good, 32, struct.pack(">I", len(good) - off_strings + 1))
    yield "an unknown token", patched(good, first_prop,
                                      struct.pack(">I", 7))
    yield "no FDT_END", patched(good, end_token, struct.pack(">I", 4))
    yield "a property longer than the block", patched(
        good, first_prop + 4, struct.pack(">I", size_struct))
    yield "a property name past the strings", patched(
        good, first_prop + 8, struct.pack(">I", size_strings))
    yield "END_NODE before the root", patched(
        good, off_struct, struct.pack(">I", 2))
    yield "a second root", patched(
        good, end_token, struct.pack(">II", 1, 0))[:len(good)]
    yield "an unterminated reservation block", patched(
        good, struct.unpack(">I", good[16:20])[0],
        b"\x01" * (off_struct - struct.unpack(">I", good[16:20])[0]))
    # A name with no NUL before the end of the block.
    last_begin = struct_token_offset(good, 1, 1)   # /aliases
    yield "a node name running out of the block", patched(
        good, 36, struct.pack(">I", last_begin + 6 - off_struct))


def test_reader_refuses_each_malformed_tree(sdk, tmp_path):
    good = written_tree(tmp_path).read_bytes()
    assert walk(sdk, good)[0] == "open 0"
    for what, blob in malformed_trees(good):
        assert walk(sdk, blob)[0] == "open -1", what
    # Nesting deeper than PK_FDT_MAX_DEPTH (32, the root is 1).
    deep = "/dts-v1/;\n/ {\n" + "n {\n" * 32 + "};\n" * 32 + "};\n"
    assert walk(sdk, written_tree(tmp_path, deep).read_bytes())[0] == \
        "open -1"
    ok = "/dts-v1/;\n/ {\n" + "n {\n" * 31 + "};\n" * 31 + "};\n"
    assert walk(sdk, written_tree(tmp_path, ok).read_bytes())[0] == "open 0"


def test_reader_refuses_reg_it_cannot_read(sdk, tmp_path):
    """A memory reg that is not whole entries, or cells wider than 64
    bits: -1 from the range walk, never a partial read."""
    ragged = WRITTEN_TREE.replace(
        "reg = <0x0 0x40000000 0x0 0x20000000>, <0x1 0x0 0x0 0x10000000>;",
        "reg = <0x0 0x40000000 0x0 0x20000000 0x1>;")
    lines = walk(sdk, written_tree(tmp_path, ragged).read_bytes())
    assert "memory-count -1" in lines
    wide = WRITTEN_TREE.replace("#address-cells = <1>;\n\t\t#size-cells = "
                                "<1>;\n\t\tranges;\n\t\tfirmware",
                                "#address-cells = <3>;\n\t\t#size-cells = "
                                "<1>;\n\t\tranges;\n\t\tfirmware")
    wide = wide.replace("reg = <0x48000000 0x200000>;",
                        "reg = <0x0 0x0 0x48000000 0x200000>;")
    wide = wide.replace("reg = <0x49000000 0x1000>;",
                        "reg = <0x0 0x0 0x49000000 0x1000>;")
    lines = walk(sdk, written_tree(tmp_path, wide).read_bytes())
    assert "reserved-count -1" in lines
