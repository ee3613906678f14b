# SPDX-License-Identifier: MIT
"""Linux bzImage, ELF and raw plans on the recorded x86_64 memory map."""
import os
import sys
import struct

import pytest

import payloads
from loader_support import X86_MEMMAP, patch, read_memmap, registers
from test_multiboot import segment


def bzimage(setup_sects=4, kernel_size=0x3000, init_size=0x10000,
            pref=0x1000000, align=0x200000, relocatable=1, version=0x020F,
            xloadflags=0x3, cmdline_size=2047, initrd_max=0x7FFFFFFF,
            syssize=None, payload=None):
    """A bzImage's setup header and a protected-mode part (no real code).
    syssize defaults to the protected-mode part's size, as Linux's build
    writes it; payload is (payload_offset, payload_length)."""
    setup = bytearray((setup_sects + 1) * 512)
    setup[0x1F1] = setup_sects
    if syssize is None:
        syssize = (kernel_size + 15) // 16
    struct.pack_into("<I", setup, 0x1F4, syssize)
    if payload:
        struct.pack_into("<II", setup, 0x248, *payload)
    struct.pack_into("<H", setup, 0x1FE, 0xAA55)
    setup[0x200] = 0xEB
    setup[0x201] = 0x6A  # header runs to 0x202 + 0x6a = 0x26c
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, version)
    setup[0x211] = 0x01  # LOADED_HIGH
    struct.pack_into("<I", setup, 0x22C, initrd_max)
    struct.pack_into("<I", setup, 0x230, align)
    setup[0x234] = relocatable
    struct.pack_into("<H", setup, 0x236, xloadflags)
    struct.pack_into("<I", setup, 0x238, cmdline_size)
    struct.pack_into("<Q", setup, 0x258, pref)
    struct.pack_into("<I", setup, 0x260, init_size)
    kernel = bytes((i * 3 + 1) & 0xFF for i in range(kernel_size))
    return bytes(setup) + kernel, kernel


def test_linux_boot_params_e820_cmdline_initrd(plan, write):
    image, kernel = bzimage()
    initrd = write("initrd.img", b"initrd!" * 1000)
    p = plan("-l", write("bzImage", image), "--initrd", initrd,
             "--append=console=ttyS0 quiet")
    assert p["type"] == "linux" and p["type_detected"]
    k = segment(p, "kernel")
    assert k["dest"] == 0x1000000 and k["memsz"] == 0x10000
    assert p["_result"].segment_bytes(k["index"]) == kernel
    assert patch(p, "pk_linux_entry")["value"] == 0x1000200
    bseg = segment(p, "boot_params")
    assert patch(p, "pk_linux_boot_params")["value"] == bseg["dest"]
    bp = p["_result"].segment_bytes(bseg["index"])
    # setup header copied, loader fields filled
    assert bp[0x202:0x206] == b"HdrS"
    assert struct.unpack_from("<H", bp, 0x206)[0] == 0x020F
    assert bp[0x210] == 0xFF
    assert struct.unpack_from("<I", bp, 0x214)[0] == 0x1000000
    cmd = struct.unpack_from("<I", bp, 0x228)[0]
    assert cmd == bseg["dest"] + 4096
    assert bp[4096:] == b"console=ttyS0 quiet\0"
    iseg = segment(p, "initrd")
    assert struct.unpack_from("<II", bp, 0x218) == (iseg["dest"], 7000)
    assert iseg["dest"] + iseg["memsz"] <= 0x80000000
    assert struct.unpack_from("<III", bp, 0xC0) == (0, 0, 0)
    # e820 table from the memory map
    kinds = {"System RAM": 1}
    want = [(lo, hi - lo, kinds.get(kind, 2))
            for lo, hi, kind in read_memmap(X86_MEMMAP)["ranges"]]
    assert bp[0x1E8] == len(want)
    got = [struct.unpack_from("<QQI", bp, 0x2D0 + 20 * i)
           for i in range(len(want))]
    assert got == want


def test_linux_more_than_128_ranges_continue_in_setup_e820_ext(plan, write):
    """boot_params holds 128 e820 entries; the rest go in a SETUP_E820_EXT
    setup_data entry chained from the setup header (offset 0x250), which
    the kernel reads as more struct boot_e820_entry records."""
    lines = [b"0x0 0x9fbff System RAM", b"0x100000 0x3fffffff System RAM"]
    # 148 one-page reserved holes above 4 GiB, then RAM after them.
    base = 1 << 32
    for i in range(148):
        lines.append(b"%#x %#x Reserved" % (base + 2 * i * 4096,
                                             base + 2 * i * 4096 + 4095))
    memmap = write("many.memmap", b"\n".join(lines) + b"\n")
    want = [(lo, hi - lo, 1 if kind == "System RAM" else 2)
            for lo, hi, kind in read_memmap(memmap)["ranges"]]
    assert len(want) == 150
    image, _ = bzimage()
    p = plan("-l", write("bzImage", image), memmap=memmap)
    bseg = segment(p, "boot_params")
    bp = p["_result"].segment_bytes(bseg["index"])
    assert bp[0x1E8] == 128
    got = [struct.unpack_from("<QQI", bp, 0x2D0 + 20 * i) for i in range(128)]
    setup_data = struct.unpack_from("<Q", bp, 0x250)[0]
    assert bseg["dest"] < setup_data < bseg["dest"] + len(bp)
    assert setup_data % 8 == 0
    ext = bp[setup_data - bseg["dest"]:]
    nxt, kind, length = struct.unpack_from("<QII", ext, 0)
    assert (nxt, kind, length) == (0, 1, 22 * 20)
    got += [struct.unpack_from("<QQI", ext, 16 + 20 * i) for i in range(22)]
    assert got == want


def test_linux_setup_data_is_zero_when_boot_params_suffices(plan, write):
    image, _ = bzimage()
    image = bytearray(image)
    struct.pack_into("<Q", image, 0x250, 0xdeadbeef)  # stray value in the file
    p = plan("-l", write("bzImage", bytes(image)))
    bseg = segment(p, "boot_params")
    bp = p["_result"].segment_bytes(bseg["index"])
    assert struct.unpack_from("<Q", bp, 0x250)[0] == 0


def test_linux_below_its_preferred_address_needs_that_range_free(run, write):
    """A relocatable kernel loaded lower still decompresses to its
    preferred address (LOAD_PHYSICAL_ADDR): if that is not RAM here, the
    kernel cannot start, and the user is told why instead of a hang."""
    image, _ = bzimage(pref=0x80000000)
    r = run("--dry-run", "-l", write("bz", image))
    assert r.rc != 0
    assert ("below its preferred 0x80000000, but it decompresses to "
            "0x80000000..0x80010000, which is not usable RAM"
            ) in r.error_line()


def test_linux_relocates_when_preferred_address_is_busy(plan, write):
    """The preferred range partly reserved but the rest RAM: the kernel goes
    higher, at its alignment, never lower."""
    memmap = write("hole.memmap", b"0x0 0x9fbff System RAM\n"
                   b"0x100000 0xffffff System RAM\n"
                   b"0x1000000 0x1003fff Reserved\n"
                   b"0x1004000 0x3fffffff System RAM\n")
    image, _ = bzimage()
    p = plan("-l", write("bz", image), memmap=memmap)
    k = segment(p, "kernel")
    assert k["dest"] > 0x1000000 and k["dest"] % 0x200000 == 0


def test_linux_not_relocatable_and_preferred_address_busy(run, write):
    image, _ = bzimage(pref=0x80000000, relocatable=0)
    r = run("--dry-run", "-l", write("bz", image))
    assert r.rc != 0
    assert "not relocatable" in r.error_line()


def test_linux_protocol_older_than_2_02_refused(run, write):
    image, _ = bzimage(version=0x0201)
    r = run("--dry-run", "-l", write("bz", image))
    assert r.rc != 0
    assert ("boot protocol 2.01 is older than 2.02, the oldest purgkit "
            "loads") in r.error_line()


def test_linux_truncated_refused(run, write):
    image, _ = bzimage()
    r = run("--dry-run", "-l", write("bz", image[:0x400]))
    assert r.rc != 0
    assert "truncated" in r.error_line()


def test_linux_command_line_too_long_refused(run, write):
    image, _ = bzimage(cmdline_size=16)
    r = run("--dry-run", "-l", write("bz", image), "--append=" + "x" * 17)
    assert r.rc != 0
    assert "takes at most 16" in r.error_line()


def debian_vmlinuz():
    """The Debian kernel the end-to-end tests boot, fetched (or found in
    the cache) by purgkit-run's own code; PURGKIT_TEST_VMLINUZ overrides."""
    env = os.environ.get("PURGKIT_TEST_VMLINUZ")
    if env:
        return env
    tools = os.path.join(os.path.dirname(__file__), "..", "..", "tools")
    sys.path.insert(0, os.path.abspath(tools))
    from purgkit_run import cli
    from purgkit_run.arches import ARCHES
    from purgkit_run.kernel import KernelError, fetch_kernel
    try:
        return fetch_kernel(ARCHES["x86_64"], cli.default_cache_dir())
    except KernelError as error:
        pytest.fail(f"no Debian kernel to plan with: {error}", pytrace=False)


def test_linux_real_debian_bzimage(plan):
    p = plan("-l", debian_vmlinuz(), "--append=console=ttyS0")
    k = segment(p, "kernel")
    assert k["dest"] == 0x1000000
    assert p["payload_entry"] == 0x1000200


def test_elf64_through_raw64_with_registers(plan, write):
    elf = payloads.elf([(0x400000, payloads.HALT * 100, 0x3000)], 0x400010,
                       elf_class=64)
    p = plan("-l", write("p.elf", elf), "--reg", "rdi=0x1234",
             "--reg", "rsp=0x500000")
    assert p["type"] == "elf" and p["trampoline"]["name"] == "raw64"
    regs = registers(patch(p, "pk_x86_64_regs"), "pk_x86_64_regs")
    assert regs["rdi"] == 0x1234 and regs["rsp"] == 0x500000
    assert regs["rip"] == 0x400010
    assert sum(regs.values()) == 0x1234 + 0x500000 + 0x400010


def test_elf32_through_raw32(plan, write):
    elf = payloads.elf([(0x300000, b"\x90" * 0x1800, 0x1800),
                        (0x301800, b"\x91" * 0x100, 0x800)], 0x300000)
    p = plan("-l", write("p32.elf", elf), "--reg", "eax=7")
    assert p["trampoline"]["name"] == "raw32"
    # two PT_LOADs sharing a page become one segment
    seg = segment(p, "PT_LOAD 0-1")
    data = p["_result"].segment_bytes(seg["index"])
    assert data[:0x1800] == b"\x90" * 0x1800
    assert data[0x1800:0x1900] == b"\x91" * 0x100
    regs = registers(patch(p, "pk_x86_32_regs"), "pk_x86_32_regs")
    assert regs["eax"] == 7 and regs["eip"] == 0x300000


@pytest.mark.parametrize("mode,tramp", [("64", "raw64"), ("32", "raw32")])
def test_raw_flat_binary(plan, write, mode, tramp):
    blob = write("flat.bin", b"\xcc" * 0x1234)
    p = plan("--type=raw", "-l", blob, "--address=0x800100",
             "--entry=0x800200", f"--mode={mode}")
    assert p["trampoline"]["name"] == tramp and not p["type_detected"]
    seg = segment(p, "(raw)")
    assert seg["dest"] == 0x800000
    data = p["_result"].segment_bytes(seg["index"])
    assert data == bytes(0x100) + b"\xcc" * 0x1234
    assert p["payload_entry"] == 0x800200


def test_raw16_real_mode_registers_and_stub_page(plan, write):
    p = plan("--type=raw", "-l", write("boot.bin", b"\xf4" * 512),
             "--address=0x7c00", "--mode=16", "--reg", "esp=0x7000",
             "--reg", "ss=0", "--reg", "edx=0x80")
    assert p["trampoline"]["name"] == "raw16"
    regs = registers(patch(p, "pk_x86_16_regs"), "pk_x86_16_regs")
    assert (regs["edx"], regs["esp"], regs["cs"], regs["ip"]) == \
        (0x80, 0x7000, 0, 0x7C00)
    stub = patch(p, "pk_real_mode_stub")["value"]
    seg = segment(p, "real-mode switch page")
    assert stub == seg["dest"] and stub < 0x100000 and stub % 4096 == 0


def test_raw_needs_address(run, write):
    r = run("--dry-run", "--type=raw", "-l", write("x", b"x"))
    assert r.rc != 0
    assert "needs --address" in r.error_line()


def test_raw_unknown_register_refused(run, write):
    r = run("--dry-run", "--type=raw", "--address=0x100000", "--mode=32",
            "--reg", "rax=1", "-l", write("x", b"x"))
    assert r.rc != 0
    assert "--reg rax: not a register of the 32-bit hand-off" in r.error_line()


def test_raw16_with_no_free_low_page_for_its_switch_stub_is_refused(run,
                                                                    write):
    # The raw payload fills the low memory the real-mode switch page must
    # come from, so no page is left for it.
    r = run("--dry-run", "--type=raw", "--address=0x1000", "--mode=16",
            "-l", write("big", b"\0" * (0x9F000 - 0x1000)))
    assert r.rc != 0
    assert "no room for real-mode switch page" in r.error_line()


def test_elf_with_overlapping_payload_segments_refused(run, write):
    # Two PT_LOADs claiming the same memory: one would overwrite the other.
    elf = payloads.elf([(0x300000, b"\x90" * 0x1000, 0x3000),
                        (0x302000, b"\x91" * 0x1000, 0x1000)], 0x300000)
    r = run("--dry-run", "-l", write("overlap.elf", elf))
    assert r.rc != 0
    assert "program header 1 (PT_LOAD at 0x302000) overlaps program " \
        "header 0 (at 0x300000)" in r.error_line()
