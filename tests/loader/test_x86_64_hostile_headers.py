# SPDX-License-Identifier: MIT
"""x86_64 payload headers at their edges: spec special values, addresses
that do not fit, and the one error line a refusal must name."""
import struct

import payloads
from test_linux_raw_elf import bzimage
from test_multiboot import segment


def mb2_flat_image(load_addr, header_offset=0x40, size=0x3000,
                   load_end=0, bss_end=0):
    """A flat Multiboot 2 image with an address and an entry tag."""
    header_addr = 0x200000 + header_offset
    entry = 0x200000 + 0x1000
    address = payloads.multiboot2_tag(2, 0, struct.pack(
        "<IIII", header_addr, load_addr, load_end, bss_end))
    entry_tag = payloads.multiboot2_tag(3, 0, struct.pack("<I", entry) +
                                        b"\0" * 4)
    header = payloads.multiboot2_header([address, entry_tag])
    image = bytearray(size)
    image[header_offset:header_offset + len(header)] = header
    image[0x1000:0x1004] = payloads.HALT
    return bytes(image)


def test_multiboot2_load_addr_minus_one_loads_from_file_start(plan, write):
    # Multiboot 2 section 3.1.5: load_addr -1 means "from the first byte".
    p = plan("-l", write("mb2.bin", mb2_flat_image(0xFFFFFFFF)),
             "--type=multiboot2")
    seg = segment(p, "(multiboot2 address tag)")
    assert seg["dest"] == 0x200000 and seg["bufsz"] == 0x3000
    assert p["payload_entry"] == 0x201000


def test_multiboot2_bss_end_below_load_end_refused(run, write):
    r = run("--dry-run", "--type=multiboot2", "-l",
            write("mb2.bin", mb2_flat_image(0x200000, load_end=0x202000,
                                            bss_end=0x201000)))
    assert r.rc != 0
    assert "multiboot2 bss_end_addr 0x201000 is below" in r.error_line()


def test_linux_error_names_the_real_failure_after_a_fallback(run, write):
    # The kernel's preferred address is not RAM, so placement falls back
    # to a lower address; the later refusal must not be reported as that.
    image, _ = bzimage(pref=0x80000000, cmdline_size=16)
    r = run("--dry-run", "-l", write("bz", image), "--append=" + "x" * 17)
    assert r.rc != 0
    assert "takes at most 16" in r.error_line()


def test_linux_preferred_address_above_4g_not_used_without_xlf(plan, write):
    # Without XLF_CAN_BE_LOADED_ABOVE_4G the kernel stays below 4 GiB even
    # when its header prefers an address above (a map with RAM there).
    image, _ = bzimage(pref=0x100000000, xloadflags=0x1)
    memmap = write("big.memmap", b"arch x86_64\n"
                   b"0x0 0x9fbff System RAM\n"
                   b"0x100000 0x3ffdffff System RAM\n"
                   b"0x100000000 0x13fffffff System RAM\n")
    p = plan("-l", write("bz", image), memmap=memmap)
    k = segment(p, "kernel")
    assert k["dest"] + k["memsz"] <= 1 << 32


def test_elf_wrapping_program_header_refused_by_name(run, write):
    elf = payloads.elf([(0xFFFFFFFFFFFFF000, payloads.HALT, 0x2000)],
                       0xFFFFFFFFFFFFF000, elf_class=64)
    r = run("--dry-run", "-l", write("wrap.elf", elf))
    assert r.rc != 0
    assert "program header 0" in r.error_line()
    assert "wraps around the address space" in r.error_line()
