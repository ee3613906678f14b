# SPDX-License-Identifier: MIT
"""Hostile input, third round (issue 22), as purgkit-load's user sees it.

Run against the ASan+UBSan build with leak checking (make check-loader):
each test also fails on a sanitizer report (tests/conftest.py), and
`one_line` and `clean_success` allow nothing else on stderr.  The classes: buffers read
past their end, reads before size checks and misaligned loads; inputs that
block or cost memory out of proportion; accepted inputs that must be
refused; messages that did not say what and where."""
import gzip
import json
import os
import re
import socket
import struct
import subprocess
import tempfile
import threading
import time

import pytest

import payloads
from loader_support import X86_MEMMAP, loader_path
from test_hostile_refusals import PPC_MEMMAP, loader, mb1, one_line, \
    ppc64le_kernel
from test_linux_raw_elf import bzimage

HERE = os.path.dirname(os.path.abspath(__file__))
PPC_DTB = os.path.join(HERE, "ppc64", "qemu-pseries-2G.dtb")


def run(*args, memmap=X86_MEMMAP, timeout=60):
    return loader(*args, memmap=memmap, timeout=timeout)


def clean_success(proc):
    """Exit 0 and nothing on stderr but the detection note."""
    err = proc.stderr.decode(errors="replace")
    assert proc.returncode == 0, err
    assert [l for l in err.splitlines()
            if "detected payload type" not in l] == [], err
    return json.loads(proc.stdout) if proc.stdout.startswith(b"{") else None


def memmap_with(write, *lines, base=X86_MEMMAP, name="m.memmap"):
    text = open(base).read().rstrip("\n") + "\n" + "".join(lines)
    return write(name, text.encode())


# ---- buffers read as far as they go, and no further ----------------------

def test_memmap_whose_last_line_has_no_newline_is_read_whole(write):
    text = open(X86_MEMMAP, "rb").read().rstrip(b"\n")
    assert not text.endswith(b"\n")
    m = write("m.memmap", text)
    clean_success(run("--dry-run", "--json", "-l", mb1(write), memmap=m))


def test_memmap_mistake_on_a_last_line_without_newline_names_it(write):
    text = open(X86_MEMMAP, "rb").read().rstrip(b"\n") + b"\npage-size 3"
    m = write("m.memmap", text)
    lines = text.count(b"\n") + 1
    line = one_line(run("--dry-run", "-l", mb1(write), memmap=m))
    assert f"{m}:{lines}: page-size '3' is not a power of two" in line


@pytest.mark.parametrize("size", [0x1f1 + 2, 520, 528, 529, 0x26b])
def test_bzimage_cut_inside_its_setup_header_is_refused_as_truncated(
        write, size):
    image = bzimage()[0][:size]
    line = one_line(run("--dry-run", "--type=linux", "-l",
                        write("bz", image)))
    assert "bz: truncated: the setup header runs to 0x26c, the file ends " \
           f"at {size:#x}" in line or "not a bzImage" in line


def dts(text_edit):
    """The recorded pseries tree, edited as source, compiled by dtc."""
    source = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", PPC_DTB],
                            capture_output=True, text=True, check=True)
    return subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb"],
                          input=text_edit(source.stdout).encode(),
                          capture_output=True, check=True).stdout


def test_device_tree_timebase_of_8_bytes_at_any_alignment_is_read(write):
    hz = 512000000
    value = struct.pack(">Q", hz)

    def eight_bytes(text, pad):
        return re.sub(r"timebase-frequency = <[^>]*>;",
                      ("pk-pad = <0 0>; " if pad else "") +
                      f"timebase-frequency = /bits/ 64 <{hz:#x}>;", text,
                      count=1)
    blob = dts(lambda t: eight_bytes(t, False))
    if blob.index(value) % 8 == 0:
        blob = dts(lambda t: eight_bytes(t, True))
    # The case that was a misaligned 8-byte load.
    assert blob.index(value) % 8 == 4
    p = clean_success(run("--dry-run", "--json", "--type=linux",
                          f"--dtb={write('tb.dtb', blob)}", "-l",
                          ppc64le_kernel(), memmap=PPC_MEMMAP))
    tb = [x for x in p["patches"] if x["symbol"] == "pk_timebase_hz"]
    assert tb and tb[0]["value"] == hz


def test_corrupt_gzip_module_is_refused_and_nothing_leaks(write):
    bad = bytearray(gzip.compress(b"module" * 1000))
    bad[20:30] = b"\xff" * 10
    line = one_line(run("--dry-run", "-l", mb1(write), "--module",
                        write("m.gz", bytes(bad))))
    assert "module " in line and "corrupt gzip data" in line


# ---- nothing blocks, nothing costs out of proportion ---------------------

def test_gzip_bomb_is_refused_at_a_bound_the_declared_ram_does_not_set(
        write, tmp_path):
    # 64 GiB of RAM declared; 2.5 GiB of zeros in about 2.5 MB.
    big = write("big.memmap", b"arch x86_64\n0x0 0x9fbff System RAM\n"
                b"0x100000 0xfffffffff System RAM\n")
    z = gzip.GzipFile(tmp_path / "bomb.gz", "wb", compresslevel=1)
    chunk = bytes(64 << 20)
    for _ in range(40):
        z.write(chunk)
    z.close()
    line, peak_kib = one_line_and_peak_rss(
        "--dry-run", "--type=raw", "--address=0x1000000",
        "-l", tmp_path / "bomb.gz", memmap=big, timeout=120)
    assert "bomb.gz: gzip data decompresses to more than the 2 GiB purgkit " \
           "decompresses at most" in line or \
           "gzip data decompresses to more than the memory this host has " \
           "available" in line
    # Counted, not held: the run stayed far below what it refused.
    assert peak_kib < 1 << 20, "KiB of peak RSS"


def one_line_and_peak_rss(*args, memmap, timeout):
    """Run purgkit-load and read its own peak RSS from wait4: the
    RUSAGE_CHILDREN maximum covers every child this pytest ever waited
    for (QEMU included), not this one."""
    cmd = [loader_path(), f"--memmap={memmap}"] + [str(a) for a in args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(cmd, proc.returncode, out.read(),
                                           err.read())
    assert proc.returncode != -9, f"purgkit-load still ran after {timeout} s"
    return one_line(done), usage.ru_maxrss


def test_gzip_with_trailing_bytes_is_refused(write):
    data = gzip.compress(payloads.multiboot1_elf()) + b"garbage"
    line = one_line(run("--dry-run", "-l", write("k.gz", data)))
    assert "k.gz: 0x7 bytes of trailing data after the gzip data ends " \
           "at 0x" in line


def test_gzip_members_one_after_another_are_one_file(write):
    elf = payloads.multiboot1_elf()
    data = gzip.compress(elf[:100]) + gzip.compress(elf[100:])
    clean_success(run("--dry-run", "--json", "-l", write("k.gz", data)))


@pytest.mark.parametrize("role", ["raw payload", "module"])
def test_gzip_that_inflates_to_nothing_is_refused_as_empty(write, role):
    empty = write("e.gz", gzip.compress(b""))
    args = (["--type=raw", "--address=0x1000000", "-l", empty]
            if role == "raw payload" else
            ["-l", mb1(write), "--module", empty])
    line = one_line(run("--dry-run", *args))
    assert "e.gz: the gzip data decompresses to nothing" in line


def test_66000_crash_notes_lines_are_read_in_linear_time(write):
    lines = [f"crash-notes {cpu % 8192} {0x3000000 + cpu * 0x400:#x} "
             "0x170\n" for cpu in range(66000)]
    m = memmap_with(write, "crash-kernel 0x20000000 0x2fffffff\n", *lines)
    start = time.monotonic()
    line = one_line(run("--dry-run", "-p", "-l", write("bz", bzimage()[0]),
                        memmap=m))
    assert time.monotonic() - start < 20
    assert "CPU 0 has two crash notes buffers" in line


def test_fifo_dtb_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.dtb"
    os.mkfifo(fifo)
    start = time.monotonic()
    line = one_line(run("--dry-run", "--type=linux", f"--dtb={fifo}", "-l",
                        ppc64le_kernel(), memmap=PPC_MEMMAP, timeout=20))
    assert time.monotonic() - start < 10
    assert f"device tree {fifo}: is a FIFO or pipe" in line


# ---- accepted before, refused now ----------------------------------------

@pytest.mark.parametrize("symbol,option", [
    ("pk_verify_enabled=0", "--no-checks"),
    ("pk_serial_baud=9600", "--console=serial,PORT,BAUD"),
    ("pk_multiboot_entry=0x100000", "the payload and its options"),
])
def test_set_on_a_symbol_the_loader_fills_names_the_option_instead(
        write, symbol, option):
    line = one_line(run("--dry-run", "-l", mb1(write), "--set", symbol))
    name = symbol.split("=")[0]
    assert f"--set {name}: the loader fills this symbol itself from " \
           f"{option}; use that instead" in line


def test_set_on_the_linux_entry_is_refused_naming_entry(write):
    line = one_line(run("--dry-run", "-l", write("bz", bzimage()[0]),
                        "--set", "pk_linux_entry=0x1000"))
    assert "--set pk_linux_entry: the loader fills this symbol itself " \
           "from --entry, or the payload itself" in line


@pytest.mark.parametrize("option,first,second", [
    ("--initrd", "a", "b"),
    ("--append", "quiet", "debug"),
    ("--type", "multiboot", "elf"),
    ("--arch", "x86_64", "ppc64le"),
    ("--purgatory", "a.ro", "b.ro"),
    ("--dtb", "a.dtb", "b.dtb"),
    ("--dump-segments", "d1", "d2"),
])
def test_single_value_option_given_twice_is_refused(write, option, first,
                                                    second):
    line = one_line(run("--dry-run", f"{option}={first}",
                        f"{option}={second}", "-l", mb1(write)))
    assert f"given twice ('{first}' and '{second}'): it takes one value" \
        in line


def test_memmap_option_given_twice_is_refused(write):
    line = one_line(run("--dry-run", f"--memmap={X86_MEMMAP}", "-l",
                        mb1(write)))
    assert f"--memmap given twice ('{X86_MEMMAP}' and '{X86_MEMMAP}')" in line


@pytest.mark.parametrize("key,value", [
    ("arch", "x86_64"), ("page-size", "8192"), ("kernel-end", "0x100000"),
    ("vmcoreinfo", "0x11f4000 0x1024"),
])
def test_memmap_key_given_twice_is_refused_with_both_lines(write, key,
                                                           value):
    m = memmap_with(write, f"{key} {value}\n", f"{key} {value}\n")
    at = [i + 1 for i, l in enumerate(open(m).read().splitlines())
          if l.startswith(key + " ")]
    line = one_line(run("--dry-run", "-l", mb1(write), memmap=m))
    assert f"{m}:{at[1]}: '{key}' is given twice (first on line " \
           f"{at[0]})" in line


def test_memmap_value_longer_than_255_characters_is_read_whole(write):
    # Cut at 255, this line had two fields and was accepted.
    m = memmap_with(write, "vmcoreinfo 0x11f4000" + " " * 300 +
                    "0x1024 0x5\n")
    line = one_line(run("--dry-run", "-l", mb1(write), memmap=m))
    assert "has too many fields (expected ADDRESS SIZE)" in line


@pytest.mark.parametrize("entsize", [0, 32])
def test_elf64_with_a_wrong_e_phentsize_is_refused(write, entsize):
    data = bytearray(payloads.elf([(0x100000, payloads.HALT, 0x1000)],
                                  0x100000, elf_class=64))
    struct.pack_into("<H", data, 54, entsize)
    line = one_line(run("--dry-run", "--type=elf", "-l",
                        write("k.elf", bytes(data))))
    assert f"k.elf: e_phentsize {entsize} is not the 56 bytes of an " \
           "ELF64 program header" in line


def fdt_end_token(blob):
    """The offset of the structure block's FDT_END, found by walking it
    (a version 16 tree does not record the block's size)."""
    at = struct.unpack_from(">I", blob, 8)[0]
    while True:
        tag, = struct.unpack_from(">I", blob, at)
        at += 4
        if tag == 1:                                  # FDT_BEGIN_NODE
            at = (blob.index(b"\0", at) + 4) & ~3
        elif tag == 3:                                # FDT_PROP
            length, = struct.unpack_from(">I", blob, at)
            at += 8 + ((length + 3) & ~3)
        elif tag == 9:                                # FDT_END
            return at - 4
        else:
            assert tag in (2, 4), tag                 # END_NODE, NOP


def fdt_blocks(blob):
    off_struct, off_strings = struct.unpack_from(">II", blob, 8)
    size_strings, size_struct = struct.unpack_from(">II", blob, 32)
    return off_struct, size_struct, off_strings, size_strings


def test_device_tree_property_name_past_the_strings_block_is_refused(
        write):
    """fdt_check_full (libfdt 1.6) does not look at names: checked too."""
    blob = bytearray(open(PPC_DTB, "rb").read())
    off_struct, _, _, size_strings = fdt_blocks(blob)
    # The root node's first property: BEGIN_NODE, "\0" padded, then PROP.
    prop = off_struct + 8
    assert struct.unpack_from(">I", blob, prop)[0] == 3
    struct.pack_into(">I", blob, prop + 8, size_strings + 100)
    bad = write("nameoff.dtb", bytes(blob))
    line = one_line(run("--dry-run", "--type=linux", f"--dtb={bad}", "-l",
                        ppc64le_kernel(), memmap=PPC_MEMMAP))
    assert f"device tree {bad}: the property at structure offset 0x8 " \
           f"names string {size_strings + 100:#x}, outside the " \
           f"{size_strings:#x}-byte strings block" in line


def test_device_tree_without_fdt_end_is_refused(write):
    blob = bytearray(open(PPC_DTB, "rb").read())
    end = fdt_end_token(blob)
    struct.pack_into(">I", blob, end, 4)  # FDT_NOP
    bad = write("noend.dtb", bytes(blob))
    line = one_line(run("--dry-run", "--type=linux", f"--dtb={bad}", "-l",
                        ppc64le_kernel(), memmap=PPC_MEMMAP))
    assert f"device tree {bad}: malformed (libfdt: FDT_ERR_" in line


def test_long_command_line_fits_the_device_tree(write):
    clean_success(run("--dry-run", "--json", "--type=linux",
                      f"--dtb={PPC_DTB}", "--append=" + "x" * (100 << 10),
                      "-l", ppc64le_kernel(), memmap=PPC_MEMMAP))


@pytest.mark.parametrize("text,expect", [
    ("crash-notes 0 0x3ca3a400 0xffffffffffffffff\n",
     "CPU 0's crash notes are at 0x3ca3a400, 0xffffffffffffffff bytes: not "
     "a buffer"),
    ("crash-notes 4294967296 0x3ca3a400 0x170\n",
     "crash-notes CPU 4294967296 is not below 8192"),
    ("crash-kernel 0x20000000 0xffffffffffffffff\n",
     "crash-kernel end 0xffffffffffffffff is the last byte of the address "
     "space"),
])
def test_crash_lines_out_of_bounds_are_refused(write, text, expect):
    lines = [text] if text.startswith("crash-kernel") else \
        ["crash-kernel 0x20000000 0x2fffffff\n", text]
    m = memmap_with(write, *lines)
    line = one_line(run("--dry-run", "-p", "-l", write("bz", bzimage()[0]),
                        memmap=m))
    assert expect in line


def test_bzimage_payload_length_too_short_for_a_payload_is_refused(write):
    image = bzimage(payload=(0x100, 3))[0]
    line = one_line(run("--dry-run", "--type=linux", "-l",
                        write("bz", image)))
    assert "bz: corrupt: payload_length 0x3 is too short for a compressed " \
           "kernel" in line


# ---- messages: what and where, in one line -------------------------------

@pytest.mark.parametrize("arg,expect", [
    ("--json=1", "option '--json' takes no value ('--json=1')"),
    ("--exec=1", "option '--exec' takes no value ('--exec=1')"),
    ("--re", "option '--re' is ambiguous: --reuse-cmdline, --real-mode, "
             "--reg"),
    ("--lo", "option '--lo' is ambiguous: --load, --load-panic"),
    ("--initr", "option '--initrd' needs a value"),
    ("-l", "option '-l' needs a value"),
    ("--frobnicate", "unknown option '--frobnicate'"),
])
def test_bad_option_is_named_in_words(arg, expect):
    line = one_line(run(arg, memmap=None))
    assert line == f"purgkit-load: {expect} (see --help)"


def test_names_with_control_bytes_and_bad_utf8_are_escaped(tmp_path):
    name = os.fsencode(tmp_path) + b"/k\n\x1b[2J\xff.elf"
    p = subprocess.run([os.fsencode(loader_path()), b"--dry-run", b"-l",
                        name], capture_output=True, timeout=20)
    assert p.returncode != 0
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].endswith(b"/k\\n\\x1b[2J\\xff.elf: No such file or "
                             b"directory")


def test_ppc64_detection_error_does_not_hide_the_chosen_types(write):
    # A ppc64le ELF that is no kernel (its PT_LOADs span 2.5 GiB) and that
    # the elf type refuses for its own reason.
    le = payloads.elf([(0x0, payloads.HALT, 0x1000),
                       (0xa0000000, payloads.HALT, 0x1000)], 0x0,
                      elf_class=64, machine=21)
    detected = one_line(run("--dry-run", "-l", write("k.elf", le),
                            memmap=PPC_MEMMAP))
    given = one_line(run("--dry-run", "--type=elf", "-l",
                         write("k.elf", le), memmap=PPC_MEMMAP))
    assert detected == given
    assert "span" not in detected


def test_proc_file_is_refused_naming_its_unknown_size():
    line = one_line(run("--dry-run", "--type=raw", "--address=0x1000000",
                        "-l", "/proc/self/status"))
    assert "payload /proc/self/status: its size reads as 0 but it holds " \
           "data (a /proc or /sys file?): copy it to a regular file " \
           "first" in line


@pytest.mark.parametrize("option,what", [
    ("-l", "payload"), ("--memmap=", "memory map"),
])
def test_empty_file_name_is_refused_as_empty(write, option, what):
    args = [option + ""] if option.endswith("=") else [option, ""]
    if option == "-l":
        line = one_line(run("--dry-run", *args))
    else:
        line = one_line(run("--dry-run", *args, "-l", mb1(write),
                            memmap=None))
    assert f"purgkit-load: {what}: the file name is empty" in line


def test_socket_payload_is_named_as_a_socket(tmp_path):
    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    try:
        line = one_line(run("--dry-run", "-l", path))
    finally:
        s.close()
    assert f"payload {path}: is a socket, not a regular file" in line


# ---- nothing half-done ---------------------------------------------------

def test_dump_segments_failing_part_way_leaves_no_segment_file(write,
                                                              tmp_path):
    out = tmp_path / "dump"
    out.mkdir()
    (out / "segment-1.bin").mkdir()  # segment 1 cannot be written
    line = one_line(run("--dry-run", f"--dump-segments={out}", "-l",
                        mb1(write)))
    assert f"--dump-segments {out}/segment-1.bin: " in line
    assert sorted(os.listdir(out)) == ["segment-1.bin"]


def test_dump_segments_over_a_fifo_never_blocks(write, tmp_path):
    out = tmp_path / "dump"
    out.mkdir()
    os.mkfifo(out / "segment-0.bin")
    start = time.monotonic()
    line = one_line(run("--dry-run", f"--dump-segments={out}", "-l",
                        mb1(write), timeout=20))
    assert time.monotonic() - start < 10
    assert f"--dump-segments {out}/segment-0.bin: is not a regular file" \
        in line
