# SPDX-License-Identifier: MIT
"""Minimal payloads for loader tests, written byte by byte.

Each builder returns bytes; none needs a cross toolchain.  The code in
them is a `cli; hlt` loop: these are for planning, not for running.
"""
import struct

HALT = b"\xfa\xf4\xeb\xfd"  # cli; hlt; jmp .-1


def elf(segments, entry, elf_class=32, machine=None, vaddr_offset=0):
    """An ELF executable.  segments: list of (paddr, data, memsz)."""
    is64 = elf_class == 64
    if machine is None:
        machine = 62 if is64 else 3
    ehsize, phentsize = (64, 56) if is64 else (52, 32)
    phoff = ehsize
    offset = phoff + phentsize * len(segments)
    offset = (offset + 15) & ~15
    body = b""
    phdrs = b""
    for paddr, data, memsz in segments:
        file_off = offset + len(body)
        vaddr = paddr + vaddr_offset
        if is64:
            phdrs += struct.pack("<IIQQQQQQ", 1, 7, file_off, vaddr, paddr,
                                 len(data), memsz, 0x1000)
        else:
            phdrs += struct.pack("<IIIIIIII", 1, file_off, vaddr, paddr,
                                 len(data), memsz, 7, 0x1000)
        body += data
        body += b"\0" * ((-len(body)) % 16)
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1, 1]) + b"\0" * 9
    if is64:
        ehdr = ident + struct.pack("<HHIQQQIHHHHHH", 2, machine, 1,
                                   entry + vaddr_offset, phoff, 0, 0,
                                   ehsize, phentsize, len(segments), 64, 0, 0)
    else:
        ehdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, machine, 1,
                                   entry + vaddr_offset, phoff, 0, 0,
                                   ehsize, phentsize, len(segments), 40, 0, 0)
    out = ehdr + phdrs
    out += b"\0" * (offset - len(out))
    return out + body


def multiboot1_header(flags=0x3, aout=None, checksum=None):
    magic = 0x1BADB002
    if aout is not None:
        flags |= 1 << 16
    if checksum is None:
        checksum = (-(magic + flags)) & 0xFFFFFFFF
    hdr = struct.pack("<III", magic, flags, checksum)
    if aout is not None:
        hdr += struct.pack("<IIIII", *aout)
    return hdr


def multiboot1_elf(load=0x100000, text_size=0x1800, bss=0x3000, flags=0x3,
                   vaddr_offset=0, checksum=None):
    """An ELF32 Multiboot 1 kernel: header + code at `load`, then bss."""
    text = multiboot1_header(flags, checksum=checksum) + HALT
    text += bytes((i * 7) & 0xFF for i in range(text_size - len(text)))
    return elf([(load, text, text_size + bss)], load + 12,
               vaddr_offset=vaddr_offset)


def multiboot1_aout(load=0x200000, size=0x2400, bss_end=0x206000):
    """A flat Multiboot 1 image using the a.out kludge."""
    header_addr = load + 0x40
    entry = load + 0x80
    header = multiboot1_header(0x3, aout=(header_addr, load, load + size,
                                          bss_end, entry))
    image = bytearray(size)
    image[0x40:0x40 + len(header)] = header
    image[0x80:0x84] = HALT
    for i in range(0x100, size):
        image[i] = (i * 13) & 0xFF
    return bytes(image)


def multiboot2_tag(tag_type, flags, payload=b""):
    size = 8 + len(payload)
    tag = struct.pack("<HHI", tag_type, flags, size) + payload
    return tag + b"\0" * ((-len(tag)) % 8)


def multiboot2_header(tags=(), arch=0):
    magic = 0xE85250D6
    body = b"".join(tags) + multiboot2_tag(0, 0)
    length = 16 + len(body)
    checksum = (-(magic + arch + length)) & 0xFFFFFFFF
    return struct.pack("<IIII", magic, arch, length, checksum) + body


def multiboot2_elf(load=0x100000, text_size=0x2000, bss=0x1000, tags=()):
    text = multiboot2_header(tags) + HALT
    entry = load + len(text) - len(HALT)
    text += bytes((i * 5) & 0xFF for i in range(text_size - len(text)))
    return elf([(load, text, text_size + bss)], entry)
