# SPDX-License-Identifier: MIT
"""x86_64 linux: which boot-protocol entry a plan uses, what each entry's
memory holds, and every setup header that disagrees with its file refused
in one line (issue 9's entries, issue 10's bzImage checks)."""
import os
import struct
import sys

import pytest

from loader_support import patch
from test_linux_raw_elf import bzimage
from test_multiboot import segment

GZIP = b"\x1f\x8b\x08\x00"
HIGH_MEMMAP = (b"0x0 0x9fbff System RAM\n"
               b"0x100000 0x3fffffff System RAM\n"
               b"0x100000000 0x1ffffffff System RAM\n")


def with_payload(offset=0x100, length=0x2E00, magic=GZIP,
                 decompressed=0x8000, **kwargs):
    """A bzImage whose payload_offset/length name a gzip stream that
    decompresses to `decompressed` bytes (its last 4 bytes say so)."""
    image, kernel = bzimage(payload=(offset, length), **kwargs)
    image = bytearray(image)
    start = len(image) - len(kernel) + offset
    image[start:start + len(magic)] = magic
    if start + length <= len(image):
        struct.pack_into("<I", image, start + length - 4, decompressed)
    return bytes(image)


def header(bp, offset, fmt):
    return struct.unpack_from(fmt, bp, offset)[0]


def refused(run, write, image, *args):
    r = run("--dry-run", "-l", write("bzImage", image), *args)
    assert r.rc != 0
    return r.error_line()


# --- which entry -----------------------------------------------------------

def test_linux_64_bit_entry_when_the_kernel_has_one(plan, write):
    p = plan("-l", write("bz", bzimage()[0]))
    assert patch(p, "pk_linux_entry_mode")["value"] == 64
    assert patch(p, "pk_linux_entry")["value"] == 0x1000200
    assert p["payload_entry_mode"].startswith("64-bit boot protocol, RSI=")
    assert "(xloadflags XLF_KERNEL_64 set)" in p["payload_entry_mode"]


def test_linux_without_xlf_kernel_64_gets_the_32_bit_entry_below_4g(
        plan, write):
    """CAN_BE_LOADED_ABOVE_4G means nothing to the 32-bit entry: the kernel,
    boot_params and initrd stay where 32-bit code reaches them."""
    memmap = write("high.memmap", HIGH_MEMMAP)
    image, kernel = bzimage(xloadflags=0x2, pref=0x100000000)
    initrd = write("initrd", b"I" * 5000)
    p = plan("-l", write("bz", image), f"--initrd={initrd}",
             "--append=root=/dev/sda", memmap=memmap)
    k = segment(p, "kernel")
    assert k["dest"] + k["memsz"] <= 1 << 32
    assert patch(p, "pk_linux_entry_mode")["value"] == 32
    assert patch(p, "pk_linux_entry")["value"] == k["dest"]
    assert p["payload_entry"] == k["dest"]
    assert p["payload_entry_mode"].startswith("32-bit boot protocol, ESI=")
    assert "no 64-bit entry: xloadflags 0x2: XLF_KERNEL_64 clear" in \
        p["payload_entry_mode"]
    bseg = segment(p, "boot_params")
    assert patch(p, "pk_linux_boot_params")["value"] == bseg["dest"]
    bp = p["_result"].segment_bytes(bseg["index"])
    assert bp[0x210] == 0xFF                        # type_of_loader
    assert bp[0x211] == 0x81                        # LOADED_HIGH|CAN_USE_HEAP
    assert header(bp, 0x224, "<H") == 0xDE00        # heap_end_ptr
    assert header(bp, 0x214, "<I") == k["dest"]     # code32_start
    assert header(bp, 0x228, "<I") == bseg["dest"] + 4096
    assert bp[4096:] == b"root=/dev/sda\0"
    iseg = segment(p, "initrd")
    assert iseg["dest"] + iseg["memsz"] <= 1 << 32
    assert struct.unpack_from("<II", bp, 0x218) == (iseg["dest"], 5000)
    assert struct.unpack_from("<III", bp, 0xC0) == (0, 0, 0)


def test_linux_protocol_2_02_kernel_at_1mib_with_its_old_limits(
        plan, run, write):
    """Before 2.05 a kernel is not relocatable, before 2.10 it has no
    pref_address: it goes at 1 MiB.  Before 2.06 the command line holds
    255 bytes, before 2.03 the initrd stays below 0x37ffffff."""
    image, _ = bzimage(version=0x0202, pref=0x2000000, cmdline_size=4000,
                       initrd_max=0xFFFFFFFF)
    initrd = write("initrd", b"I" * 5000)
    p = plan("-l", write("bz", image), f"--initrd={initrd}",
             "--append=" + "x" * 255)
    assert segment(p, "kernel")["dest"] == 0x100000
    assert patch(p, "pk_linux_entry_mode")["value"] == 32
    assert "boot protocol 2.02 predates it (2.12)" in p["payload_entry_mode"]
    iseg = segment(p, "initrd")
    assert iseg["dest"] + iseg["memsz"] <= 0x38000000
    line = refused(run, write, image, "--append=" + "x" * 256)
    assert "the command line is 256 bytes; this kernel takes at most 255 " \
        "(cmdline_size)" in line


def test_linux_mode_32_enters_a_64_bit_kernel_at_code32_start(plan, write):
    p = plan("-l", write("bz", bzimage()[0]), "--mode=32")
    assert patch(p, "pk_linux_entry_mode")["value"] == 32
    assert patch(p, "pk_linux_entry")["value"] == 0x1000000
    assert p["payload_entry_mode"].endswith("(--mode=32)")


def test_linux_mode_64_without_a_64_bit_entry_refused(run, write):
    image, _ = bzimage(xloadflags=0)
    line = refused(run, write, image, "--mode=64")
    assert line.endswith("--mode=64: the kernel has no 64-bit entry "
                         "(xloadflags 0x0: XLF_KERNEL_64 clear)")


def test_linux_real_mode_setup_heap_and_cmdline_in_a_segment_below_640k(
        plan, write):
    image, _ = bzimage()
    initrd = write("initrd", b"I" * 5000)
    p = plan("-l", write("bz", image), "--real-mode", f"--initrd={initrd}",
             "--append=console=ttyS0")
    seg = segment(p, "real-mode setup, heap and command line")
    base = seg["dest"]
    assert base % 16 == 0 and base >= 0x1000
    assert base + 0x10000 <= 0xA0000 and seg["memsz"] == 0x10000
    data = p["_result"].segment_bytes(seg["index"])
    setup_size = 5 * 512
    # The boot sector and setup code as in the file, but for the header.
    assert data[:0x1F1] == image[:0x1F1]
    assert data[0x26C:setup_size] == image[0x26C:setup_size]
    assert data[0xE000:0xE000 + 14] == b"console=ttyS0\0"
    assert data[0x210] == 0xFF and data[0x211] & 0x80
    assert header(data, 0x224, "<H") == 0xDE00
    assert header(data, 0x228, "<I") == base + 0xE000
    k = segment(p, "kernel")
    assert header(data, 0x214, "<I") == k["dest"]
    iseg = segment(p, "initrd")
    assert struct.unpack_from("<II", data, 0x218) == (iseg["dest"], 5000)
    stub = segment(p, "real-mode switch page")
    assert stub["dest"] < 0x100000 and stub["dest"] % 4096 == 0
    assert patch(p, "pk_real_mode_stub")["value"] == stub["dest"]
    assert patch(p, "pk_linux_entry_mode")["value"] == 16
    assert patch(p, "pk_linux_boot_params")["value"] == base
    assert p["payload_entry"] == base + 0x200
    assert p["payload_entry_mode"] == (
        f"16-bit real-mode entry {(base >> 4) + 0x20:04x}:0000 "
        "(--real-mode); BIOS interrupt state restored (8259s at "
        "0x08/0x70, PIT 18.2 Hz, LAPIC virtual wire)")


def test_linux_real_mode_and_mode_32_contradict_refused(run, write):
    line = refused(run, write, bzimage()[0], "--mode=32", "--real-mode")
    assert line == ("purgkit-load: --real-mode (--mode=16) contradicts the "
                    "earlier --mode=32")


def test_linux_real_mode_setup_too_big_for_its_segment_refused(run, write):
    image, _ = bzimage(setup_sects=120)
    line = refused(run, write, image, "--real-mode")
    assert line.endswith("--real-mode: setup_sects 120 makes 0xf200 bytes "
                         "of setup code, more than the real-mode segment "
                         "holds below its heap (0xde00)")


def test_linux_real_mode_command_line_longer_than_its_segment_refused(
        run, write):
    image, _ = bzimage(cmdline_size=0x4000)
    line = refused(run, write, image, "--real-mode", "--append=" + "x" * 0x2000)
    assert line == ("purgkit-load: --real-mode: the command line is 8192 "
                    "bytes; the real-mode segment holds at most 8191")


# --- the header against the file (issue 10) --------------------------------

def test_linux_file_cut_inside_its_compressed_kernel_refused_naming_syssize(
        run, write):
    image = with_payload()
    line = refused(run, write, image[:-0x800])
    assert line.endswith("truncated or corrupt: syssize 0x300 declares "
                         "0x3000 bytes of protected-mode kernel, the file "
                         "holds 0x2800 after its 0xa00 bytes of setup "
                         "(setup_sects 4)")


def test_linux_setup_sects_too_large_refused_naming_it(run, write):
    image = bytearray(with_payload())
    image[0x1F1] = 5
    line = refused(run, write, bytes(image))
    assert "syssize 0x300 declares 0x3000 bytes" in line
    assert line.endswith("after its 0xc00 bytes of setup (setup_sects 5)")


def test_linux_setup_sects_too_small_refused_payload_has_no_magic(run, write):
    image = bytearray(with_payload())
    image[0x1F1] = 3
    line = refused(run, write, bytes(image))
    assert line.endswith("corrupt: the payload at payload_offset 0x100 "
                         "(file offset 0x900) starts with no "
                         "compressed-kernel or ELF magic; is setup_sects 3 "
                         "wrong?")


def test_linux_syssize_past_the_end_of_the_file_refused(run, write):
    image, _ = bzimage(syssize=0x400)
    line = refused(run, write, image)
    assert "syssize 0x400 declares 0x4000 bytes of protected-mode kernel, " \
        "the file holds 0x3000" in line


def test_linux_syssize_zero_refused(run, write):
    image, _ = bzimage(syssize=0)
    assert refused(run, write, image).endswith(
        "syssize 0: the header declares no protected-mode kernel")


def test_linux_payload_past_the_protected_mode_kernel_refused(run, write):
    image = with_payload(offset=0x100, length=0x3000)
    assert refused(run, write, image).endswith(
        "payload_offset 0x100 + payload_length 0x3000 ends at 0x3100, past "
        "the 0x3000 bytes of protected-mode kernel")


@pytest.mark.parametrize("init_size", [0, 0x2000])
def test_linux_init_size_smaller_than_the_kernel_refused(
        run, write, init_size):
    image = with_payload(init_size=init_size)
    assert refused(run, write, image).endswith(
        f"init_size {init_size:#x} is smaller than the 0x3000 bytes the "
        "protected-mode kernel occupies")


def test_linux_init_size_smaller_than_the_decompressed_kernel_refused(
        run, write):
    image = with_payload(init_size=0x10000, decompressed=0x20000)
    assert refused(run, write, image).endswith(
        "init_size 0x10000 is smaller than the 0x20000 bytes its payload "
        "decompresses to (the payload's last 4 bytes)")


def test_linux_with_a_consistent_payload_is_planned(plan, write):
    p = plan("-l", write("bz", with_payload()))
    assert segment(p, "kernel")["memsz"] == 0x10000


def test_linux_zimage_refused(run, write):
    image = bytearray(bzimage()[0])
    image[0x211] = 0
    assert refused(run, write, bytes(image)).endswith(
        "a zImage (loadflags 0x00: LOADED_HIGH clear) cannot be loaded "
        "this way")


def test_linux_setup_header_shorter_than_its_protocol_refused(run, write):
    image = bytearray(bzimage()[0])
    image[0x201] = 0x50            # ends at 0x252; 2.15's fields at 0x26c
    assert refused(run, write, bytes(image)).endswith(
        "corrupt setup header: it ends at 0x252 (jump 0x50eb), but protocol "
        "2.15's fields end at 0x26c and the setup code at 0xa00")


# --- memtest86+ from Debian ------------------------------------------------

def debian_file(package, path):
    """A file of a Debian package, fetched once into the shared cache."""
    tools = os.path.join(os.path.dirname(__file__), "..", "..", "tools")
    sys.path.insert(0, os.path.abspath(tools))
    from purgkit_run import cli
    from purgkit_run.arches import ARCHES
    from purgkit_run.kernel import KernelError, fetch_package
    try:
        folder = fetch_package(ARCHES["x86_64"], package,
                               cli.default_cache_dir())
    except KernelError as error:
        pytest.fail(f"cannot fetch Debian's {package}: {error}",
                    pytrace=False)
    return os.path.join(folder, path)


def debian_memtest(build):
    return debian_file("memtest86+", f"boot/memtest86+{build}.bin")


@pytest.mark.parametrize("build, args, mode", [
    ("x64", [], 64), ("ia32", [], 32), ("ia32", ["--real-mode"], 16)])
def test_linux_memtest_plans_use_the_entry_it_has(plan, build, args, mode):
    p = plan("-l", debian_memtest(build), *args)
    assert patch(p, "pk_linux_entry_mode")["value"] == mode
    assert segment(p, "kernel")["dest"] == 0x100000


@pytest.mark.parametrize("package, path, protocol", [
    ("ipxe", "boot/ipxe.lkrn", "2.07"),
    ("syslinux-common", "usr/lib/syslinux/memdisk", "2.03")])
def test_linux_old_protocol_payloads_from_debian_are_planned(
        plan, package, path, protocol):
    """iPXE and syslinux's memdisk, once refused as too old, load at 1 MiB
    through the 32-bit entry, or the real-mode one with --real-mode."""
    image = debian_file(package, path)
    p = plan("-l", image)
    assert f"boot protocol {protocol} predates it (2.12)" in \
        p["payload_entry_mode"]
    assert segment(p, "kernel")["dest"] == 0x100000
    p = plan("-l", image, "--real-mode")
    assert patch(p, "pk_linux_entry_mode")["value"] == 16


@pytest.mark.parametrize("args, kind", [
    (["--type=raw", "--address=0x8000"], "x86_64 raw payload (--mode=16 is raw16)"),
    (["--type=multiboot"], "x86_64 multiboot payload")])
def test_linux_real_mode_elsewhere_refused(run, write, args, kind):
    r = run("--dry-run", "-l", write("payload", b"\xf4" * 64),
            "--real-mode", *args)
    assert r.rc != 0
    assert r.error_line() == ("purgkit-load: --real-mode enters an x86_64 "
                              f"bzImage's setup code, not this {kind}")
