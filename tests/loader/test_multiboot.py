# SPDX-License-Identifier: MIT
"""Multiboot 1 and 2 plans on the recorded QEMU x86_64 memory map."""
import struct

import payloads
from loader_support import X86_MEMMAP, patch, read_memmap

RAM_TOP = 0x3FFE0000  # end of the recorded map's RAM above 1 MiB


def u32(b, off):
    return struct.unpack_from("<I", b, off)[0]


def cstring(seg, addr, base):
    off = addr - base
    return seg[off:seg.index(b"\0", off)].decode()


def segment(p, what):
    """The one segment whose description starts or ends with `what`."""
    found = [s for s in p["segments"]
             if s["what"].startswith(what) or s["what"].endswith(what)]
    assert len(found) == 1, (what, p["segments"])
    return found[0]


def expected_mmap():
    kinds = {"System RAM": 1, "ACPI Tables": 3,
             "ACPI Non-volatile Storage": 4}
    return [(lo, hi - lo, kinds.get(kind, 2))
            for lo, hi, kind in read_memmap(X86_MEMMAP)["ranges"]]


def test_multiboot_elf_with_modules_info_decoded(plan, write):
    kernel = write("kernel.elf", payloads.multiboot1_elf())
    mod_a = write("a.bin", b"A" * 5000)
    mod_b = write("b.bin", b"B" * 10)
    p = plan("-l", kernel, "--append=console=ttyS0 debug",
             f"--module={mod_a} alpha 1", f"--module={mod_b}")
    assert p["type"] == "multiboot" and p["type_detected"]
    assert p["trampoline"]["name"] == "multiboot"
    k = segment(p, "PT_LOAD 0-0")
    assert k["dest"] == 0x100000 and k["memsz"] == 0x5000
    assert patch(p, "pk_multiboot_entry")["value"] == 0x10000C
    info_seg = segment(p, "multiboot information")
    info_addr = patch(p, "pk_multiboot_info")["value"]
    assert info_addr == info_seg["dest"] < 1 << 32
    mbi = p["_result"].segment_bytes(info_seg["index"])
    base = info_seg["dest"]
    flags = u32(mbi, 0)
    assert flags == (1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9)
    assert u32(mbi, 4) == 0x9FC00 >> 10          # mem_lower, KiB
    assert u32(mbi, 8) == (RAM_TOP - 0x100000) >> 10  # mem_upper
    assert cstring(mbi, u32(mbi, 16), base) == "console=ttyS0 debug"
    assert cstring(mbi, u32(mbi, 64), base).startswith("purgkit ")
    # modules: start, end, string, reserved
    assert u32(mbi, 20) == 2
    mods = u32(mbi, 24) - base
    seen = []
    for i, (path, data, string) in enumerate(
            [(mod_a, b"A" * 5000, f"{mod_a} alpha 1"),
             (mod_b, b"B" * 10, mod_b)]):
        start, end, sptr = struct.unpack_from("<III", mbi, mods + 16 * i)
        assert start % 4096 == 0 and end - start == len(data)
        assert cstring(mbi, sptr, base) == string
        seg = segment(p, "module " + path)
        assert seg["dest"] == start
        assert p["_result"].segment_bytes(seg["index"]) == data
        seen.append(start)
    # memory map: size, base, length, type; size excludes itself
    length, addr = u32(mbi, 44), u32(mbi, 48) - base
    entries = []
    for off in range(addr, addr + length, 24):
        size, lo, ln, kind = struct.unpack_from("<IQQI", mbi, off)
        assert size == 20
        entries.append((lo, ln, kind))
    assert entries == expected_mmap()


def test_multiboot_aout_kludge_loads_at_header_addresses(plan, write):
    image = payloads.multiboot1_aout(load=0x200000, size=0x2400,
                                     bss_end=0x206000)
    p = plan("-l", write("kludge.bin", image), "--type=multiboot")
    seg = segment(p, "(a.out kludge image)")
    assert seg["dest"] == 0x200000 and seg["memsz"] == 0x6000
    assert p["_result"].segment_bytes(seg["index"]) == image
    assert patch(p, "pk_multiboot_entry")["value"] == 0x200080


def test_multiboot_elf_entry_translated_to_physical(plan, write):
    kernel = payloads.multiboot1_elf(vaddr_offset=0xC0000000)
    p = plan("-l", write("high.elf", kernel))
    assert patch(p, "pk_multiboot_entry")["value"] == 0x10000C


def test_multiboot2_info_tags_decoded(plan, write):
    kernel = write("mb2.elf", payloads.multiboot2_elf(tags=[
        payloads.multiboot2_tag(1, 0, struct.pack("<III", 1, 2, 6)),
        payloads.multiboot2_tag(1, 1, struct.pack("<I", 8)),  # optional
    ]))
    mod = write("m.bin", b"module two" * 50)
    p = plan("-l", kernel, "--append=root=/dev/vda", f"--module={mod} x=y")
    assert p["type"] == "multiboot2" and p["type_detected"]
    seg = segment(p, "multiboot2 information")
    assert patch(p, "pk_multiboot2_info")["value"] == seg["dest"]
    info = p["_result"].segment_bytes(seg["index"])
    total = u32(info, 0)
    assert total == len(info) and total % 8 == 0
    tags, off = {}, 8
    while True:
        kind, size = struct.unpack_from("<II", info, off)
        tags.setdefault(kind, []).append(info[off:off + size])
        off += (size + 7) & ~7
        if kind == 0:
            assert size == 8 and off == total
            break
    assert tags[1][0][8:] == b"root=/dev/vda\0"
    assert tags[2][0][8:].startswith(b"purgkit ")
    start, end = struct.unpack_from("<II", tags[3][0], 8)
    assert tags[3][0][16:] == f"{mod} x=y".encode() + b"\0"
    mseg = segment(p, "module " + mod)
    assert (start, end) == (mseg["dest"], mseg["dest"] + 500)
    assert struct.unpack_from("<II", tags[4][0], 8) == (
        0x9FC00 >> 10, (RAM_TOP - 0x100000) >> 10)
    mm = tags[6][0]
    assert struct.unpack_from("<II", mm, 8) == (24, 0)
    entries = [struct.unpack_from("<QQI", mm, o)
               for o in range(16, len(mm), 24)]
    assert entries == expected_mmap()
    entry = patch(p, "pk_multiboot2_entry")["value"]
    assert entry == p["payload_entry"] and 0x100000 <= entry < 0x102000


def test_multiboot2_refuses_required_framebuffer_tag(run, write):
    kernel = write("fb.elf", payloads.multiboot2_elf(tags=[
        payloads.multiboot2_tag(5, 0, struct.pack("<III", 1024, 768, 32))]))
    r = run("--dry-run", "-l", kernel)
    assert r.rc != 0
    assert "requires tag 5 (framebuffer)" in r.error_line()


def test_multiboot2_refuses_required_info_request_by_name(run, write):
    kernel = write("acpi.elf", payloads.multiboot2_elf(tags=[
        payloads.multiboot2_tag(1, 0, struct.pack("<I", 14))]))
    r = run("--dry-run", "-l", kernel)
    assert r.rc != 0
    assert "information tag 14 (ACPI old RSDP)" in r.error_line()


def test_multiboot_refuses_video_mode_flag_by_name(run, write):
    kernel = write("vid.elf", payloads.multiboot1_elf(flags=0x7))
    r = run("--dry-run", "-l", kernel, "--type=multiboot")
    assert r.rc != 0
    assert "MULTIBOOT_VIDEO_MODE" in r.error_line()


def test_multiboot_bad_checksum_is_no_header(run, write):
    kernel = write("bad.elf", payloads.multiboot1_elf(checksum=1))
    r = run("--dry-run", "-l", kernel, "--type=multiboot")
    assert r.rc != 0
    assert "no Multiboot 1 header" in r.error_line()


def test_multiboot_kernel_outside_ram_refused(run, write):
    kernel = write("far.elf", payloads.multiboot1_elf(load=0x50000000))
    r = run("--dry-run", "-l", kernel)
    assert r.rc != 0
    assert "not in usable RAM" in r.error_line()


def test_too_many_segments_refused(run, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    mods = [f"--module={write(f'm{i}', bytes([i]) * 100)}" for i in range(15)]
    r = run("--dry-run", "-l", kernel, *mods)
    assert r.rc != 0
    assert "too many segments" in r.error_line()
    assert "at most 16" in r.error_line()


def test_missing_module_is_one_line(run, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    r = run("--dry-run", "-l", kernel, "--module=/nonexistent/mod arg")
    assert r.rc != 0
    assert r.error_line() == ("purgkit-load: module /nonexistent/mod: "
                              "No such file or directory")
