# SPDX-License-Identifier: MIT
"""Multiboot 1 and 2 plans on the recorded QEMU x86_64 memory map."""
import struct

import pytest

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
    # The image's name first, as GRUB Legacy and kexec-tools write it.
    assert cstring(mbi, u32(mbi, 16), base) == f"{kernel} console=ttyS0 debug"
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
    assert tags[1][0][8:] == f"{kernel} root=/dev/vda".encode() + b"\0"
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


def mb1_cmdline(p):
    seg = segment(p, "multiboot information")
    mbi = p["_result"].segment_bytes(seg["index"])
    return cstring(mbi, u32(mbi, 16), seg["dest"])


def mb2_tags(p):
    """Every information tag's bytes, by type."""
    seg = segment(p, "multiboot2 information")
    info = p["_result"].segment_bytes(seg["index"])
    tags, off = {}, 8
    while off < u32(info, 0):
        kind, size = struct.unpack_from("<II", info, off)
        tags.setdefault(kind, []).append(info[off:off + size])
        off += (size + 7) & ~7
    return tags


def mb2_cmdline(p):
    return mb2_tags(p)[1][0][8:].rstrip(b"\0").decode()


def test_multiboot_command_line_without_append_is_the_image_name(plan,
                                                                 write):
    kernel = write("xen.elf", payloads.multiboot1_elf())
    assert mb1_cmdline(plan("-l", kernel)) == kernel


def test_multiboot2_command_line_without_append_is_the_image_name(plan,
                                                                  write):
    kernel = write("xen2.elf", payloads.multiboot2_elf())
    assert mb2_cmdline(plan("-l", kernel)) == kernel


def test_multiboot_image_name_is_the_path_as_given(plan, write, tmp_path,
                                                   monkeypatch):
    # GRUB Legacy passes the path as written in its menu; kexec-tools the
    # path as typed.  A relative path stays relative.
    write("rel.elf", payloads.multiboot1_elf())
    monkeypatch.chdir(tmp_path)
    p = plan("-l", "rel.elf", "--append=dom0_mem=512M")
    assert mb1_cmdline(p) == "rel.elf dom0_mem=512M"


def test_multiboot2_module_string_is_its_file_then_its_arguments(plan,
                                                                 write):
    kernel = write("k.elf", payloads.multiboot2_elf())
    mod = write("vmlinuz", b"V" * 100)
    p = plan("-l", kernel, f"--module={mod} root=/dev/vda  ro")
    assert mb2_tags(p)[3][0][16:] == f"{mod} root=/dev/vda  ro".encode() + \
        b"\0"


def test_multiboot_bad_checksum_refused_not_loaded_as_elf(run, write):
    kernel = write("bad.elf", payloads.multiboot1_elf(checksum=1))
    r = run("--dry-run", "-l", kernel)
    assert r.rc != 0
    line = r.error_line()
    assert "Multiboot 1 header at file offset 0x60 has a bad checksum 0x1" \
        in line
    assert "--type=elf" in line


def test_multiboot_bad_checksum_with_type_multiboot_refused(run, write):
    kernel = write("bad.elf", payloads.multiboot1_elf(checksum=1))
    r = run("--dry-run", "-l", kernel, "--type=multiboot")
    assert r.rc != 0
    assert "has a bad checksum 0x1" in r.error_line()


def test_multiboot_bad_checksum_with_type_elf_loads_as_elf(plan, write):
    kernel = write("bad.elf", payloads.multiboot1_elf(checksum=1))
    p = plan("-l", kernel, "--type=elf")
    assert p["type"] == "elf"


def test_multiboot_valid_header_after_a_broken_one_is_used(plan, write):
    broken = payloads.multiboot1_header(checksum=1)
    good = payloads.multiboot1_header()
    text = broken + good + payloads.HALT + b"\0" * 0x100
    kernel = write("two.elf", payloads.elf([(0x100000, text, 0x2000)],
                                           0x100000 + len(broken + good)))
    p = plan("-l", kernel)
    assert p["type"] == "multiboot"


def test_multiboot2_bad_checksum_refused_not_loaded_as_elf(run, write):
    image = bytearray(payloads.multiboot2_elf())
    at = image.index(struct.pack("<I", 0xE85250D6))
    image[at + 12] ^= 1
    r = run("--dry-run", "-l", write("bad2.elf", bytes(image)))
    assert r.rc != 0
    assert "Multiboot 2 header at file offset" in r.error_line()
    assert "has a bad checksum" in r.error_line()


@pytest.mark.parametrize("header, entry", [
    (payloads.multiboot1_header, 0x400000),
    (payloads.multiboot2_header, 0x300000),
], ids=["multiboot", "multiboot2"])
def test_multiboot_elf_entry_in_no_pt_load_refused(run, write, header, entry):
    text = header() + payloads.HALT + b"\0" * 0x100
    kernel = write("far.elf", payloads.elf([(0x100000, text, 0x2000)], entry))
    r = run("--dry-run", "-l", kernel)
    assert r.rc != 0
    # One rule for every ELF payload (the loader's ELF walker).
    assert r.error_line().endswith(
        f"far.elf: e_entry {entry:#x} lies in no PT_LOAD program header: it "
        "would jump into memory nothing was loaded to")


@pytest.mark.parametrize("entry", [0xFFFFFFFF, 0x103000])
def test_multiboot2_entry_tag_outside_the_image_refused(run, write, entry):
    tag = payloads.multiboot2_tag(3, 0, struct.pack("<I", entry))
    kernel = write("e.elf", payloads.multiboot2_elf(tags=[tag]))
    r = run("--dry-run", "-l", kernel)
    assert r.rc != 0
    assert (f"multiboot2 entry tag entry_addr {entry:#x} is outside the "
            f"loaded image 0x100000-0x103000") in r.error_line()


def test_multiboot2_entry_tag_inside_the_image_used(plan, write):
    tag = payloads.multiboot2_tag(3, 0, struct.pack("<I", 0x101000))
    p = plan("-l", write("e.elf", payloads.multiboot2_elf(tags=[tag])))
    assert patch(p, "pk_multiboot2_entry")["value"] == 0x101000


def test_multiboot_aout_load_end_below_load_addr_refused(run, write):
    image = bytearray(payloads.multiboot1_aout())
    hdr = image.index(struct.pack("<I", 0x1BADB002))
    struct.pack_into("<I", image, hdr + 20, 0x1FF000)   # load_end_addr
    r = run("--dry-run", "-l", write("aout.bin", bytes(image)))
    assert r.rc != 0
    assert ("multiboot load_end_addr 0x1ff000 is below load_addr "
            "0x200000") in r.error_line()


# What the user reads: the option, the type, and what the type takes
# instead ("--module" for an initrd).
MULTIBOOT_TAKES = "(it takes --append/--command-line, --reuse-cmdline, " \
    "--module); leave it out"


@pytest.mark.parametrize("option, spelling", [
    ("--initrd={initrd}", "--initrd"),
    ("--dtb={initrd}", "--dtb"),
    ("--address=0x200000", "--address"),
    ("--entry=0x100000", "--entry"),
    ("--mode=32", "--mode"),
    ("--reg=eax=1", "--reg"),
])
def test_multiboot_refuses_options_it_does_not_use_by_name(run, write,
                                                           option, spelling):
    kernel = write("k.elf", payloads.multiboot1_elf())
    initrd = write("initrd.img", b"I" * 100)
    r = run("--dry-run", "-l", kernel, option.format(initrd=initrd))
    assert r.rc != 0
    assert r.error_line().endswith(
        f"{spelling} is not used by payload type multiboot on x86_64 "
        + MULTIBOOT_TAKES)


def test_multiboot2_refuses_initrd_by_name(run, write):
    kernel = write("k.elf", payloads.multiboot2_elf())
    r = run("--dry-run", "-l", kernel, "--initrd=" + write("i", b"I"))
    assert r.rc != 0
    assert r.error_line().endswith(
        "--initrd is not used by payload type multiboot2 on x86_64 "
        + MULTIBOOT_TAKES)


def test_multiboot_image_name_with_a_space_refused(run, write, tmp_path):
    folder = tmp_path / "my kernels"
    folder.mkdir()
    kernel = folder / "xen.elf"
    kernel.write_bytes(payloads.multiboot1_elf())
    r = run("--dry-run", "-l", str(kernel))
    assert r.rc != 0
    assert "file name is the first word of its command line" in \
        r.error_line()
