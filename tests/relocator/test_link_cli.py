# SPDX-License-Identifier: MIT
"""purgkit-link as people use it: --set, --map, --format elf, --help."""

import os
import stat
import struct
import subprocess

import pytest

import reloclib as R

PATCH = """
	.text
	.p2align 4
	.globl pk_entry
pk_entry:
	ret
	.section .pk.patch, "aw", @progbits
	.p2align 3
	.globl pk_u64, pk_u32, pk_u8, pk_name, pk_blob
pk_u64:	.quad 0x1111111111111111
	.size pk_u64, 8
pk_u32:	.long 0x22222222
	.size pk_u32, 4
pk_u8:	.byte 0x33
	.size pk_u8, 1
	.p2align 3
pk_name: .fill 16, 1, 0x44
	.size pk_name, 16
pk_blob: .fill 5, 1, 0x55
	.size pk_blob, 5
	.bss
	.globl pk_zero
pk_zero: .zero 8
	.size pk_zero, 8
"""


def patch_ro(tmp_path):
    src = tmp_path / "p.s"
    src.write_text(PATCH)
    obj = tmp_path / "p.o"
    R.check(["gcc", "-c", "-o", obj, src])
    ro = tmp_path / "p.ro"
    R.check(["ld", "-r", "-o", ro, obj])
    return ro


def placed(tmp_path, ro, *args, base=0x200000):
    out = tmp_path / "out.bin"
    p = R.link(["--base", hex(base), "--map", "-o", out, ro] + list(args))
    assert p.returncode == 0, p.stderr
    secs, syms, entry = R.parse_map(p.stdout)
    return out.read_bytes(), syms, secs, entry, p.stdout


def at(image, syms, name, base=0x200000):
    addr, size = syms[name]
    return image[addr - base:addr - base + size]


def test_set_integer_string_and_file(tmp_path):
    ro = patch_ro(tmp_path)
    blob = tmp_path / "blob"
    blob.write_bytes(b"\x01\x02\x03\x04\x05")
    image, syms, _, _, _ = placed(
        tmp_path, ro, "--set", "pk_u64=0x0102030405060708",
        "--set", "pk_u32=4000000000", "--set", "pk_u8=255",
        "--set", 'pk_name="root=/dev/sda"', "--set", "pk_blob=@%s" % blob)
    assert at(image, syms, "pk_u64") == struct.pack("<Q", 0x0102030405060708)
    assert at(image, syms, "pk_u32") == struct.pack("<I", 4000000000)
    assert at(image, syms, "pk_u8") == b"\xff"
    assert at(image, syms, "pk_name") == b"root=/dev/sda\0\0\0"
    assert at(image, syms, "pk_blob") == b"\x01\x02\x03\x04\x05"


def test_unpatched_values_and_map(tmp_path):
    ro = patch_ro(tmp_path)
    image, syms, secs, entry, text = placed(tmp_path, ro)
    assert at(image, syms, "pk_u64") == b"\x11" * 8
    assert sorted(syms) == ["pk_blob", "pk_name", "pk_u32", "pk_u64",
                            "pk_u8"]
    assert syms["pk_name"][1] == 16
    assert entry == 0x200000
    names = [s["name"] for s in secs if s["size"]]
    assert names == [".text", ".pk.patch", ".bss"]
    assert secs[-1]["nobits"] and "(zero-fill)" in text
    assert "Entry: 0x0000000000200000 (pk_entry)" in text
    # The image ends with the zero-fill.
    assert len(image) == secs[-1]["addr"] + 8 - 0x200000


@pytest.mark.parametrize("arg,message", [
    ("pk_u32=0x100000000", "cannot patch 'pk_u32': 0x100000000 does not "
     "fit in 4 bytes"),
    ('pk_name="this string is far too long"', "--set pk_name: string of 27 "
     "bytes and its NUL do not fit in the symbol's 16 bytes"),
    ("pk_blob=@FILE", "cannot patch 'pk_blob': it is 5 bytes, the value "
     "is 4"),
    ("pk_zero=1", "cannot patch 'pk_zero': it is in zero-filled section "
     ".bss, which has no bytes in the image"),
    ("pk_nothing=1", "cannot patch 'pk_nothing': no such symbol"),
    ("pk_u33=1", "cannot patch 'pk_u33': no such symbol; did you mean "
     "'pk_u32'?"),
    ("PK_NAME=1", "cannot patch 'PK_NAME': no such symbol; did you mean "
     "'pk_name'?"),
    ("pk_u8=twelve", "--set pk_u8: 'twelve' is not an integer, a "
     "\"string\" or @FILE"),
    ("pk_u8", "--set pk_u8: expected SYMBOL=VALUE"),
    ("pk_name=\"open", "--set pk_name: string has no closing quote"),
])
def test_set_refusals(tmp_path, arg, message):
    ro = patch_ro(tmp_path)
    f = tmp_path / "four"
    f.write_bytes(b"abcd")
    arg = arg.replace("FILE", str(f))
    out = tmp_path / "out.bin"
    p = R.link(["--set", arg, "-o", out, ro])
    assert p.returncode == 1
    assert not out.exists()
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].endswith(message), p.stderr


def test_big_endian_set(tmp_path):
    if not R.have("ppc64"):
        pytest.skip("no ppc64 compiler")
    src = tmp_path / "be.s"
    src.write_text(PATCH.replace("ret", "blr").replace("@progbits",
                                                         "@progbits"))
    obj = tmp_path / "be.o"
    R.check(["powerpc64-linux-gnu-gcc", "-c", "-o", obj, src])
    ro = tmp_path / "be.ro"
    R.check(["powerpc64-linux-gnu-ld", "-r", "-o", ro, obj])
    image, syms, _, _, _ = placed(tmp_path, ro, "--set",
                                  "pk_u32=0x01020304")
    assert at(image, syms, "pk_u32") == b"\x01\x02\x03\x04"


def test_elfv1_entry_is_code_address(tmp_path):
    """On ELFv1, pk_entry as a C function is a descriptor in .opd; the
    entry the map (and the loader) gets is the code it points to."""
    if not R.have("ppc64"):
        pytest.skip("no ppc64 compiler")
    src = tmp_path / "e.c"
    src.write_text("long other(long x) { return x + 3; }\n"
                   "long pk_entry(long x) { return other(x) * 2; }\n")
    ro = R.compile_ro("ppc64", [src], ["-O2", "-mcmodel=medium"],
                      tmp_path / "e.ro")
    out = tmp_path / "e.elf"
    p = R.link(["--base", "0x3000000", "--map", "--format", "elf", "-o",
                out, ro])
    assert p.returncode == 0, p.stderr
    _, _, entry = R.parse_map(p.stdout)
    elf = R.Elf(out)
    syms = elf.symbols()
    opd = elf.section(".opd")
    assert opd["addr"] <= syms["pk_entry"][0] < opd["addr"] + opd["size"]
    text = elf.section(".text")
    assert text["addr"] <= entry < text["addr"] + text["size"]
    assert elf.entry == entry
    word = R.read_at(elf, syms["pk_entry"][0], 8)
    assert struct.unpack(">Q", word)[0] == entry


@pytest.mark.parametrize("target", R.ALL_TARGETS)
def test_format_elf_shows_placed_code(tmp_path, target):
    if not R.have(target):
        pytest.skip("no cross compiler")
    src = R.HERE / "src" / "calls.c"
    more = R.HERE / "src" / "more.c"
    flags = R.MODELS[target][list(R.MODELS[target])[0]] + ["-O2"]
    ro = R.compile_ro(target, [src, more], flags, tmp_path / "c.ro")
    base = 0x4000000
    out = tmp_path / "c.elf"
    p = R.link(["--base", hex(base), "--format", "elf", "-o", out, ro])
    assert p.returncode == 0, p.stderr
    binary = tmp_path / "c.bin"
    assert R.link(["--base", hex(base), "-o", binary, ro]).returncode == 0
    elf = R.Elf(out)
    assert elf.type == 2
    image = binary.read_bytes()
    for s in elf.sections:
        if s["type"] == 1 and s["flags"] & 2:
            assert elf.contents(s) == image[s["addr"] - base:
                                            s["addr"] - base + s["size"]]
    syms = elf.symbols()
    assert base <= syms["choose"][0] < base + len(image)
    d = R.check([R.CROSS[target] + "objdump", "-d", out]).stdout
    assert "Disassembly of section .text:" in d
    if target != "ppc64":
        # ELFv1 function symbols name descriptors in .opd, not code.
        assert "<choose>:" in d and "<pk_entry>:" in d


# The targets whose relocator backend has the data_size hook, which keeps
# the debug sections of --format elf (relocator/reloc_internal.h): the
# ones purgkit-run symbolises a fault dump for (docs/debugging.md).
# riscv64's backend has none yet.
DEBUG_TARGETS = ["aarch64", "ppc64", "ppc64le", "x86_64"]


@pytest.mark.parametrize("target", DEBUG_TARGETS)
def test_format_elf_keeps_relocated_debug_lines(tmp_path, target):
    """addr2line on the placed ELF names the function and its source
    line at the placed address, as purgkit-run's fault report does."""
    src = R.HERE / "src" / "calls.c"
    with open(src) as f:
        line = next(n for n, text in enumerate(f, 1)
                    if "int choose(int x)" in text)
    flags = R.MODELS[target][list(R.MODELS[target])[0]] + ["-O2", "-g"]
    ro = R.compile_ro(target, [src, R.HERE / "src" / "more.c"], flags,
                      tmp_path / "c.ro")
    out = tmp_path / "c.elf"
    base = 0x4000000
    p = R.link(["--base", hex(base), "--format", "elf", "-o", out, ro])
    assert p.returncode == 0, p.stderr
    elf = R.Elf(out)
    assert any(s["name"] == ".debug_line" for s in elf.sections)
    address = elf.symbols()["choose"][0]
    if target == "ppc64":
        # ELFv1: the symbol names choose's descriptor in .opd; its first
        # doubleword is the code's address.
        address = struct.unpack(">Q", R.read_at(elf, address, 8))[0]
    assert base <= address
    said = R.check([R.CROSS[target] + "addr2line", "-f", "-e", out,
                    hex(address)]).stdout.split()
    where, _, number = said[1].rpartition(":")
    assert said[0] == "choose" and where.endswith("calls.c"), said
    # A line of choose's body (its first instruction's, as compiled).
    assert line <= int(number) < line + 20, said


def test_help_and_version():
    p = R.link(["--help"])
    assert p.returncode == 0
    for word in ("--base", "--set", "--format", "--map", "@FILE",
                 "zero-filled"):
        assert word in p.stdout
    assert R.link(["--version"]).stdout.startswith("purgkit-link (purgkit)")



def test_output_to_a_device_is_written_in_place_not_replaced():
    """-o /dev/null writes to the device; it must not rename a file over it
    (that would turn /dev/null into a regular file for the whole machine)."""
    ro = R.BUILD / "x86_64" / "trampolines" / "raw64.ro"
    out = subprocess.run([str(R.LINK), "--base", "0x100000", "-o",
                          "/dev/null", str(ro)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# The machines whose purgkit-link --format elf keeps the debug sections
# (the backend's data_size or debug_apply; aarch64's has neither yet).
DEBUG_TARGETS = [t for t in ("x86_64", "ppc64le", "riscv64")
                 if t in R.ALL_TARGETS]


@pytest.mark.parametrize("target", DEBUG_TARGETS)
def test_format_elf_lines_are_gnu_lds(tmp_path, target):
    """addr2line reads the same function, file and line at every function
    of the placed ELF as in GNU ld's link of the same object at the same
    addresses: the debug sections were relocated for the placement
    (riscv64: with their ADD/SUB and ULEB128 label differences)."""
    if not R.have(target):
        pytest.fail(f"no cross compiler for {target} (make deps)",
                    pytrace=False)
    src = R.HERE / "src" / "calls.c"
    more = R.HERE / "src" / "more.c"
    flags = R.MODELS[target][list(R.MODELS[target])[0]] + ["-O2", "-g"]
    ro = R.compile_ro(target, [src, more], flags, tmp_path / "c.ro")
    base = 0x4000000
    out = tmp_path / "c.elf"
    p = R.link(["--base", hex(base), "--map", "--format", "elf", "-o", out,
                ro])
    assert p.returncode == 0, p.stderr
    secs, syms, _ = R.parse_map(p.stdout)
    elf = R.Elf(out)
    assert elf.section(".debug_line"), "no .debug_line in the placed ELF"
    R.oracle(target, ro, secs, tmp_path, "lines")
    code = [value + offset
            for value, size, shndx, info in elf.symbols().values()
            if info & 0xf == 2 and size            # STT_FUNC
            for offset in (0, size // 2)]
    assert code

    def lines(path):
        return R.check([R.CROSS[target] + "addr2line", "-f", "-e", path] +
                       [hex(a) for a in sorted(code)]).stdout

    ours, theirs = lines(out), lines(tmp_path / "lines.ld.elf")
    assert "??" not in ours, ours
    assert ours == theirs
