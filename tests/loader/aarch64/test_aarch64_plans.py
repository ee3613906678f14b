# SPDX-License-Identifier: MIT
"""purgkit-load's aarch64 payload types on QEMU virt's memory and device
tree (qemu-virt-1G.memmap, qemu-virt-1G.dtb): dry runs, no privilege, no
QEMU.  Each test is a promise an arm64 user relies on: the Image protocol's
placement and device tree, the raw hand-off's registers, the MMIO
console."""
import json
import os
import re
import shutil
import struct
import subprocess

import pytest

from loader_support import contract, patch, registers

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(HERE, "..", "..", "..",
                                                     "build"))
with open(os.path.join(BUILD, "targets.json")) as _f:
    # The aarch64 family is tested where a target row turns it on.
    pytestmark = pytest.mark.skipif(
        "aarch64" not in json.load(_f)["arch"].values(),
        reason="no aarch64 target row (mk/targets/aarch64.mk) in this build")
MEMMAP = os.path.join(HERE, "qemu-virt-1G.memmap")
DTB = os.path.join(HERE, "qemu-virt-1G.dtb")
RAM = (0x40000000, 0x80000000)
MIB2 = 2 << 20
UART = 0x9000000
IMAGE_MAGIC = 0x644d5241


def image(text_offset=0, image_size=0x300000, flags=0b0010, size=0x180000):
    """An arm64 Image: booting.rst's 64-byte header, then zeros."""
    header = struct.pack("<IIQQQQQQII", 0x14000010, 0, text_offset,
                         image_size, flags, 0, 0, 0, IMAGE_MAGIC, 0)
    return header + bytes(size - len(header))


def dts(blob, tmp_path):
    """The device tree as dtc decompiles it."""
    if not shutil.which("dtc"):
        pytest.fail("dtc is not installed (device-tree-compiler)",
                    pytrace=False)
    path = tmp_path / "dtb.bin"
    path.write_bytes(blob)
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(path)],
                          check=True, capture_output=True,
                          text=True).stdout


def segment(p, what):
    found = [s for s in p["segments"] if what in s["what"]]
    assert len(found) == 1, (what, p["segments"])
    return found[0]


def test_image_at_a_2mib_base_with_the_tree_and_initrd_it_needs(
        plan, write, tmp_path):
    kernel = write("Image", image())
    initrd = write("initrd", b"initrd!" * 1000)
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={DTB}",
             f"--initrd={initrd}", "--append=console=ttyAMA0 quiet",
             f"--console=pl011,{UART:#x}", memmap=MEMMAP)
    assert p["type"] == "linux"
    k = segment(p, "kernel")
    # Flags bit 3 clear: as low as RAM allows, on a 2 MiB boundary.
    assert k["dest"] == RAM[0] and k["dest"] % MIB2 == 0
    assert k["memsz"] >= 0x300000          # image_size, not the file's
    assert patch(p, "pk_linux_entry")["value"] == k["dest"]
    dtb = segment(p, "device tree")
    assert patch(p, "pk_linux_dtb")["value"] == dtb["dest"]
    assert dtb["bufsz"] <= MIB2 and dtb["dest"] % 8 == 0
    rd = segment(p, "initrd")
    # The initrd above the kernel, in the 1 GiB-aligned 32 GiB window.
    assert rd["dest"] >= k["dest"] + k["memsz"]
    assert rd["dest"] + rd["bufsz"] <= (k["dest"] & ~((1 << 30) - 1)) + \
        (32 << 30)
    tree = dts(p["_result"].segment_bytes(dtb["index"]), tmp_path)
    assert 'bootargs = "console=ttyAMA0 quiet";' in tree
    assert f"linux,initrd-start = <0x00 {rd['dest']:#x}>;" in tree
    assert f"linux,initrd-end = <0x00 {rd['dest'] + rd['bufsz']:#x}>;" \
        in tree
    # Fresh seeds (the old kernel wiped its own): 8 and 64 bytes.
    assert "kaslr-seed = <" in tree and "rng-seed = <" in tree
    assert p["trampoline"]["name"] == "linux"
    assert patch(p, "pk_uart_base")["value"] == UART
    assert patch(p, "pk_console_mask")["value"] == \
        contract()["constants"]["PK_CONSOLE_PL011"]


def test_image_placed_anywhere_when_its_flags_allow(plan, write):
    kernel = write("Image", image(flags=0b1010))
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={DTB}", memmap=MEMMAP)
    k = segment(p, "kernel")
    assert k["dest"] % MIB2 == 0 and k["dest"] > RAM[0]


def test_image_text_offset_is_kept_from_the_2mib_base(plan, write):
    kernel = write("Image", image(text_offset=0x80000))
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={DTB}", memmap=MEMMAP)
    assert segment(p, "kernel")["dest"] == RAM[0] + 0x80000


@pytest.mark.parametrize("header,why", [
    (dict(flags=0b0011), "a big-endian kernel (Image flags bit 0); the "
     "aarch64 target is little-endian"),
    (dict(image_size=0x1000), "image_size 0x1000 is smaller than the file "
     "(0x180000 bytes)"),
    (dict(text_offset=0x1234), "text_offset 0x1234 is not a page offset "
     "inside 2 MiB"),
])
def test_image_headers_the_protocol_forbids_are_refused_by_name(
        run, write, header, why):
    kernel = write("Image", image(**header))
    r = run("--dry-run", "--arch=aarch64", "-l", kernel, f"--dtb={DTB}",
            memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line().endswith(f"{kernel}: {why}")


def test_raw_registers_from_the_block_field_list(plan, write):
    payload = write("payload.bin", b"\x1f\x20\x03\xd5" * 64)
    p = plan("--arch=aarch64", "--type=raw", "-l", payload,
             "--address=0x60000000", "--reg=x0=0x11", "--reg=x7=0x77",
             "--reg=sp=0x61000000", "--reg=el=1", memmap=MEMMAP)
    regs = registers(patch(p, "pk_aarch64_regs"), "pk_aarch64_regs")
    assert regs["x"] == [0x11, 0, 0, 0, 0, 0, 0, 0x77]
    assert (regs["sp"], regs["pc"], regs["el"]) == (0x61000000, 0x60000000,
                                                    1)
    assert p["trampoline"]["name"] == "raw"


def test_raw_x0_is_the_device_tree_by_default(plan, write, tmp_path):
    """As the Image protocol has it: x0 = the tree (--dtb's, with /chosen's
    bootargs = --append and fresh seeds), placed above the payload; the
    tree's stdout-path UART is the console, as for "linux"."""
    payload = write("payload.bin", b"\x1f\x20\x03\xd5" * 64)
    p = plan("--arch=aarch64", "--type=raw", "-l", payload,
             "--address=0x60000000", "--reg=x1=0x9000000", f"--dtb={DTB}",
             "--append=raw payload args", memmap=MEMMAP)
    tree = segment(p, "device tree")
    regs = registers(patch(p, "pk_aarch64_regs"), "pk_aarch64_regs")
    assert regs["x"] == [tree["dest"], 0x9000000, 0, 0, 0, 0, 0, 0]
    assert tree["dest"] >= 0x60000000 + 256 and tree["verify"], tree
    text = dts(p["_result"].segment_bytes(tree["index"]), tmp_path)
    assert 'bootargs = "raw payload args";' in text
    assert "kaslr-seed = <" in text and "rng-seed = <" in text
    assert patch(p, "pk_uart_base")["value"] == UART


def test_elf_x0_is_the_device_tree_by_default(plan):
    elf = os.path.join(BUILD, "payloads", "aarch64", "payload.elf")
    if not os.path.isfile(elf):
        pytest.fail(f"{elf} is missing: run `make payloads`", pytrace=False)
    p = plan("--arch=aarch64", "-l", elf, f"--dtb={DTB}", memmap=MEMMAP)
    assert p["type"] == "elf"
    regs = registers(patch(p, "pk_aarch64_regs"), "pk_aarch64_regs")
    assert regs["x"][0] == segment(p, "device tree")["dest"]


@pytest.mark.parametrize("option", ["--dtb", "--append"])
def test_raw_x0_given_and_a_tree_asked_for_is_refused(run, write, option):
    payload = write("payload.bin", bytes(256))
    value = DTB if option == "--dtb" else "console=ttyAMA0"
    r = run("--dry-run", "--arch=aarch64", "--type=raw", "-l", payload,
            "--address=0x60000000", "--reg=x0=0x1234", f"{option}={value}",
            memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == f"purgkit-load: {option}: --reg x0 replaces " \
        "the device tree raw and elf pass in x0: give one or the other"


@pytest.mark.parametrize("reg,why", [
    ("x8=1", "--reg x8: aarch64 raw sets x0..x7, sp and el (the entry is "
     "--entry)"),
    ("pc=1", "--reg pc: aarch64 raw sets x0..x7, sp and el (the entry is "
     "--entry)"),
    ("el=3", "--reg el=3: 0 (the level kexec entered at), 1 or 2"),
])
def test_raw_registers_it_does_not_have_are_refused(run, write, reg, why):
    payload = write("payload.bin", bytes(256))
    r = run("--dry-run", "--arch=aarch64", "--type=raw", "-l", payload,
            "--address=0x60000000", f"--reg={reg}", memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == f"purgkit-load: {why}"


@pytest.mark.parametrize("console,why", [
    ("pl011", "--console=pl011 needs the UART's address: "
     "--console=pl011,ADDR"),
    ("uart8250,0x9000000,1", "--console=uart8250: register shift 1 is "
     "neither 0 (bytes) nor 2 (32-bit words)"),
])
def test_mmio_console_needs_its_address(run, write, console, why):
    payload = write("payload.bin", bytes(256))
    r = run("--dry-run", "--arch=aarch64", "--type=raw", "-l", payload,
            "--address=0x60000000", f"--console={console}", memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == f"purgkit-load: {why}"


def test_uart8250_with_32_bit_registers(plan, write):
    payload = write("payload.bin", bytes(256))
    p = plan("--arch=aarch64", "--type=raw", "-l", payload,
             "--address=0x60000000", "--console=uart8250,0xfe215040,2",
             f"--dtb={DTB}", memmap=MEMMAP)
    assert patch(p, "pk_uart_base")["value"] == 0xfe215040
    assert patch(p, "pk_uart_reg_shift")["value"] == 2


CRASH_MEMMAP = os.path.join(HERE, "qemu-virt-2G-crash.memmap")
RESERVATION = (0xaf000000, 0xbf000000)


def cells(text):
    return [int(c, 16) for c in text.split()]


def test_capture_kernel_confined_to_the_reservation(plan, write, tmp_path):
    """-p: every segment in the reservation, and the capture kernel's tree
    says where the ELF core header is and which memory it may use."""
    kernel = write("Image", image())
    p = plan("-p", "--arch=aarch64", "-l", kernel, f"--dtb={DTB}",
             "--append=console=ttyAMA0 nr_cpus=1", memmap=CRASH_MEMMAP)
    for s in p["segments"]:
        assert RESERVATION[0] <= s["dest"] and \
            s["dest"] + s["memsz"] <= RESERVATION[1], s
    header = segment(p, "elfcorehdr")
    tree = dts(p["_result"].segment_bytes(segment(p, "device tree")["index"]),
               tmp_path)
    core = re.search(r"linux,elfcorehdr = <([^>]*)>;", tree)
    usable = re.search(r"linux,usable-memory-range = <([^>]*)>;", tree)
    assert core and usable, tree
    # QEMU virt's root has #address-cells = #size-cells = 2.
    assert cells(core[1]) == [0, header["dest"], 0, header["bufsz"]]
    assert cells(usable[1]) == [0, RESERVATION[0], 0,
                                RESERVATION[1] - RESERVATION[0]]
    assert f'bootargs = "console=ttyAMA0 nr_cpus=1 elfcorehdr=' \
        f'{header["dest"]:#x}";' in tree


def test_without_console_the_trees_stdout_path_uart_is_used(plan, write):
    """QEMU virt's tree says stdout-path = "/pl011@9000000": without
    --console the trampoline writes there, as the kernel's earlycon
    would."""
    kernel = write("Image", image())
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={DTB}", memmap=MEMMAP)
    assert patch(p, "pk_console_mask")["value"] == \
        contract()["constants"]["PK_CONSOLE_PL011"]
    assert patch(p, "pk_uart_base")["value"] == UART


def test_console_none_overrides_the_tree(plan, write):
    kernel = write("Image", image())
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={DTB}",
             "--console=none", memmap=MEMMAP)
    assert patch(p, "pk_console_mask")["value"] == 0
