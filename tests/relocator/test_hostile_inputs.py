# SPDX-License-Identifier: MIT
"""Hostile input, third round (issue 22), as purgkit-link's user sees it:
every malformed object or argument gets one line naming what and where, a
non-zero exit and no output file; nothing blocks, nothing costs the size
of a hostile file.  Run against the ASan+UBSan build (make
check-relocator), so a memory error fails the test through `refuse`."""

import os
import socket
import struct
import subprocess
import threading
import time

import pytest

import reloclib as R
from test_refusals import good, mutate, refuse

# Offsets into an ELF64 section header.
SH_LINK, SH_INFO, SH_ENTSIZE = 40, 44, 56


def header_at(elf, index, field):
    return elf.shoff + index * elf.shentsize + field


def rela_index(elf, target=".text"):
    want = [i for i, s in enumerate(elf.sections) if s["name"] == target][0]
    return [i for i, s in enumerate(elf.sections)
            if s["type"] == 4 and s["info"] == want][0]


# ---- relocation sections that would leave code unrelocated --------------

def test_relocation_section_whose_sh_info_names_itself_is_refused(tmp_path):
    ro = good(tmp_path)
    elf = R.Elf(ro)
    i = rela_index(elf)
    bad = mutate(tmp_path, ro, lambda d: struct.pack_into(
        "<I", d, header_at(elf, i, SH_INFO), i))
    line = refuse(tmp_path, bad)
    assert f"relocation section .rela.text (section {i}): sh_info {i} " \
           "names itself, which holds no code or data to relocate" in line


def test_relocation_section_applying_to_the_symbol_table_is_refused(
        tmp_path):
    ro = good(tmp_path)
    elf = R.Elf(ro)
    i = rela_index(elf)
    symtab = [k for k, s in enumerate(elf.sections) if s["type"] == 2][0]
    bad = mutate(tmp_path, ro, lambda d: struct.pack_into(
        "<I", d, header_at(elf, i, SH_INFO), symtab))
    line = refuse(tmp_path, bad)
    assert f"sh_info {symtab} names .symtab, which holds no code" in line


@pytest.mark.parametrize("entsize", [0, 7, 16])
def test_relocation_section_with_a_wrong_sh_entsize_is_refused(tmp_path,
                                                               entsize):
    ro = good(tmp_path)
    elf = R.Elf(ro)
    i = rela_index(elf)
    bad = mutate(tmp_path, ro, lambda d: struct.pack_into(
        "<Q", d, header_at(elf, i, SH_ENTSIZE), entsize))
    line = refuse(tmp_path, bad)
    assert f".rela.text: sh_entsize {entsize} is not the 24 bytes of an " \
           "Elf64_Rela" in line


def test_symbol_table_with_a_wrong_sh_entsize_is_refused(tmp_path):
    ro = good(tmp_path)
    elf = R.Elf(ro)
    symtab = [k for k, s in enumerate(elf.sections) if s["type"] == 2][0]
    bad = mutate(tmp_path, ro, lambda d: struct.pack_into(
        "<Q", d, header_at(elf, symtab, SH_ENTSIZE), 12))
    line = refuse(tmp_path, bad)
    assert "symbol table: sh_entsize 12 is not the 24 bytes of an " \
           "Elf64_Sym" in line


def test_relocation_section_linked_to_another_table_is_refused(tmp_path):
    ro = good(tmp_path)
    elf = R.Elf(ro)
    i = rela_index(elf)
    bad = mutate(tmp_path, ro, lambda d: struct.pack_into(
        "<I", d, header_at(elf, i, SH_LINK), elf.shstrndx))
    line = refuse(tmp_path, bad)
    assert f".rela.text uses section {elf.shstrndx} as its symbol table" \
        in line


# ---- files: checked before they are read, outputs that never block ------

def test_huge_sparse_file_that_is_not_elf_is_refused_without_reading_it(
        tmp_path):
    big = tmp_path / "big.ro"
    with open(big, "wb") as f:
        f.truncate(64 << 20)          # read whole, it would cost 64 MiB
    start = time.monotonic()
    line = refuse(tmp_path, big)
    assert time.monotonic() - start < 5
    assert f"{big}: not an ELF file (it does not start with 7f 45 4c 46)" \
        in line


def test_output_fifo_without_a_reader_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    start = time.monotonic()
    p = subprocess.run([R.LINK, "-o", fifo, good(tmp_path)],
                       capture_output=True, text=True, timeout=20)
    assert time.monotonic() - start < 10
    assert p.returncode != 0
    assert p.stderr == f"purgkit-link: -o {fifo}: is a FIFO with no " \
                       "reader\n"


def test_output_fifo_with_a_reader_receives_the_image(tmp_path):
    ro = good(tmp_path)
    ref = tmp_path / "ref.bin"
    assert R.link(["-o", ref, ro]).returncode == 0
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got = []
    # The reader opens non-blocking first so it is there before the link.
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    reader = threading.Thread(target=lambda: got.append(_drain(fd)))
    p = R.link(["-o", fifo, ro])
    reader.start()
    reader.join(20)
    assert p.returncode == 0, p.stderr
    assert got == [ref.read_bytes()]


def _drain(fd):
    os.set_blocking(fd, True)
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    os.close(fd)
    return data


def test_input_that_is_a_socket_is_named_as_one(tmp_path):
    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    try:
        line = refuse(tmp_path, path)
    finally:
        s.close()
    assert f"{path}: is a socket, not a regular file" in line


# ---- arguments -------------------------------------------------------------

def test_empty_output_name_is_refused_as_empty(tmp_path):
    p = R.link(["-o", "", good(tmp_path)])
    assert p.returncode != 0
    assert p.stderr == "purgkit-link: -o: the output file name is empty\n"


@pytest.mark.parametrize("args,expect", [
    (["--map=1"], "option '--map' takes no value ('--map=1')"),
    (["--help=yes"], "option '--help' takes no value ('--help=yes')"),
    (["--bas"], "option '--base' needs a value"),
    (["--nothing"], "unknown option '--nothing'"),
    (["-x"], "unknown option '-x'"),
    (["-o"], "option '-o' needs a value"),
    (["--base", "0", "--base", "0x1000"],
     "--base given twice ('0' and '0x1000')"),
    (["--format", "bin", "--format", "elf"],
     "--format given twice ('bin' and 'elf')"),
    (["-o", "a.bin", "-o", "b.bin"], "-o given twice ('a.bin' and 'b.bin')"),
])
def test_bad_arguments_are_named_in_words(tmp_path, args, expect):
    p = R.link([good(tmp_path)] + args)
    assert p.returncode != 0
    assert p.stderr.splitlines() == [f"purgkit-link: {expect} (try --help)"
                                     if "option" in expect else
                                     f"purgkit-link: {expect}"]


def test_names_with_newlines_and_bad_utf8_are_escaped_in_one_line(tmp_path):
    name = os.fsencode(tmp_path) + b"/a\nb\x1b[31m\xff.ro"
    p = subprocess.run([os.fsencode(R.LINK), b"-o", b"/dev/null", name],
                       capture_output=True, timeout=20)
    assert p.returncode != 0
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert b"a\\nb\\x1b[31m\\xff.ro: No such file or directory" in lines[0]
