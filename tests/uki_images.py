# SPDX-License-Identifier: MIT
"""Unified kernel images for the tests, two ways.

``stub_uki`` makes one as systemd's documentation (before ukify) and
ukify itself make them: systemd-stub's EFI binary (Debian's
systemd-boot-efi) with the parts added by ``objcopy --add-section``, each
placed at the next 4 KiB-aligned address after the stub's sections, the
small parts first and .linux last, as ukify lays them out.  ``pe_uki`` writes a bare PE of given sections, byte by byte,
for the forms objcopy will not write (a section twice, profiles, a section
past the end)."""
import os
import re
import struct
import subprocess

import pytest

STUB = "/usr/lib/systemd/boot/efi/linuxx64.efi.stub"
# The order the parts are added in: small ones first, .linux last.
ORDER = [".osrel", ".cmdline", ".dtb", ".uname", ".splash", ".pcrpkey",
         ".ucode", ".initrd", ".linux"]


def _stub_end(stub):
    """The end of the stub's last section in memory (objdump -h)."""
    out = subprocess.run(["objdump", "-h", stub], capture_output=True,
                         text=True, check=True).stdout
    end = 0
    for m in re.finditer(r"^\s*\d+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", out,
                         re.M):
        end = max(end, int(m.group(1), 16) + int(m.group(2), 16))
    return end


def stub_uki(directory, parts, stub=STUB):
    """Write directory/uki.efi from {".linux": bytes, ...}; return its
    path.  Fails (does not skip) without systemd's stub."""
    if not os.path.isfile(stub):
        pytest.fail(f"{stub} is missing: install systemd-boot-efi "
                    "(make deps)", pytrace=False)
    args = ["objcopy"]
    address = _stub_end(stub)
    for name in sorted(parts, key=ORDER.index):
        path = os.path.join(directory, "part" + name)
        with open(path, "wb") as f:
            f.write(parts[name])
        address = (address + 0xfff) & ~0xfff
        args += ["--add-section", f"{name}={path}",
                 "--change-section-vma", f"{name}={address:#x}",
                 "--set-section-flags", f"{name}=data,readonly"]
        address += len(parts[name])
    out = os.path.join(directory, "uki.efi")
    subprocess.run(args + [stub, out], check=True, capture_output=True)
    return out


def pe_uki(sections, file_alignment=0x200, machine=0x8664):
    """A bare PE32+ of the (name, bytes) sections in this order; a
    section given as (name, bytes, raw_size, offset) lies about where its
    raw data is."""
    count = len(sections)
    header_end = 0x40 + 4 + 20 + 0xf0 + 40 * count
    offset = (header_end + file_alignment - 1) // file_alignment * \
        file_alignment
    table, body, vma = b"", b"", 0x1000
    for s in sections:
        name, data = s[0], s[1]
        raw = (len(data) + file_alignment - 1) // file_alignment * \
            file_alignment
        at = offset + len(body)
        if len(s) > 2:
            raw, at = s[2], s[3]
        table += struct.pack("<8sIIIIIIHHI", name.encode(), len(data), vma,
                             raw, at, 0, 0, 0, 0, 0x40000040)
        body += data.ljust((len(data) + file_alignment - 1) //
                           file_alignment * file_alignment, b"\0")
        vma += (len(data) + 0xfff) & ~0xfff or 0x1000
    dos = bytearray(0x40)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3c, 0x40)
    coff = struct.pack("<HHIIIHH", machine, count, 0, 0, 0, 0xf0, 0x2022)
    optional = bytearray(0xf0)
    struct.pack_into("<H", optional, 0, 0x20b)          # PE32+
    struct.pack_into("<II", optional, 32, 0x1000, file_alignment)
    struct.pack_into("<H", optional, 68, 10)            # EFI application
    head = bytes(dos) + b"PE\0\0" + coff + bytes(optional) + table
    return head.ljust(offset, b"\0") + body
