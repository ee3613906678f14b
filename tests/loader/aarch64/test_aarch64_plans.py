# SPDX-License-Identifier: MIT
"""purgkit-load's aarch64 payload types on QEMU virt's memory and device
tree (qemu-virt-1G.memmap, qemu-virt-1G.dtb): dry runs, no privilege, no
QEMU.  Each test is a promise an arm64 user relies on: the Image protocol's
placement and device tree, the raw hand-off's registers, the MMIO
console."""
import gzip
import json
import os
import re
import shutil
import struct
import subprocess

import pytest

from efi_zboot import zboot
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


def chosen_modules(tree):
    """/chosen's module@ADDR nodes as dtc prints them: {name: body}."""
    return dict(re.findall(r"\n\t\t(module@[0-9a-f]+) \{\n(.*?)\t\t\};",
                           tree, re.S))


def test_modules_are_multiboot_on_arm_nodes_in_chosen(plan, write,
                                                      tmp_path):
    """--module="FILE ARGS" (a hypervisor's dom0 and the rest) become
    /chosen/module@ADDR nodes by the Multiboot-on-ARM binding, in the
    order given: the first "multiboot,kernel", the --initrd beside them
    "multiboot,ramdisk" (no linux,initrd-*: it is the dom0's), each
    "multiboot,module", reg in /chosen's cells, bootargs = ARGS; the
    command line is the hypervisor's (xen,xen-bootargs and bootargs)."""
    kernel = write("Image", image())
    dom0 = write("dom0", b"dom0" * 1000)
    policy = write("policy", b"xsm!" * 100)
    ramdisk = write("ramdisk", b"rd" * 3000)
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={DTB}",
             "--append=dom0_mem=512M console=dtuart",
             f"--module={dom0} console=hvc0 root=/dev/ram0",
             f"--module={policy}", f"--initrd={ramdisk}", memmap=MEMMAP)
    placed = {name: segment(p, f"{kind} {path}") for name, kind, path in [
        ("dom0", "module", dom0), ("policy", "module", policy),
        ("ramdisk", "initrd", ramdisk)]}
    for s in placed.values():
        assert s["verify"], s
    tree = dts(p["_result"].segment_bytes(segment(p, "device tree")["index"]),
               tmp_path)
    chosen = tree[tree.index("\tchosen {"):]
    chosen = chosen[:chosen.index("\n\t};")]
    assert "#address-cells = <0x02>;" in chosen
    assert "#size-cells = <0x02>;" in chosen
    assert 'xen,xen-bootargs = "dom0_mem=512M console=dtuart";' in chosen
    assert 'bootargs = "dom0_mem=512M console=dtuart";' in chosen
    assert "linux,initrd-start" not in chosen
    nodes = chosen_modules(chosen)
    names = [f"module@{placed[n]['dest']:x}"
             for n in ("dom0", "policy", "ramdisk")]
    assert list(nodes) == names, chosen

    def reg(name, size):
        a = placed[name]["dest"]
        return f"reg = <0x00 {a:#x} 0x00 {size:#x}>;"
    dom0_node, policy_node, ramdisk_node = (nodes[n] for n in names)
    assert r'compatible = "multiboot,kernel\0multiboot,module";' in \
        dom0_node
    assert reg("dom0", 4000) in dom0_node
    assert 'bootargs = "console=hvc0 root=/dev/ram0";' in dom0_node
    assert 'compatible = "multiboot,module";' in policy_node
    assert reg("policy", 400) in policy_node
    assert "bootargs = [00];" in policy_node      # "": dtc shows the NUL
    assert r'compatible = "multiboot,ramdisk\0multiboot,module";' in \
        ramdisk_node
    assert reg("ramdisk", 6000) in ramdisk_node
    assert "bootargs" not in ramdisk_node


def test_without_modules_the_old_boots_module_nodes_are_dropped(
        plan, write, tmp_path):
    """A running tree a hypervisor-aware loader made keeps module nodes
    whose memory is gone: the next kernel's tree must not name them."""
    kernel = write("Image", image())
    source = dts(open(DTB, "rb").read(), tmp_path)
    # dtc merges a second root node into the first.
    source += """
/ {
\tchosen {
\t\t#address-cells = <0x01>;
\t\t#size-cells = <0x01>;
\t\txen,dom0-bootargs = "stale";
\t\tmodule@48000000 {
\t\t\tcompatible = "multiboot,kernel", "multiboot,module";
\t\t\treg = <0x48000000 0x1000>;
\t\t};
\t};
};
"""
    stale = tmp_path / "stale.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(stale)],
                   input=source, text=True, check=True)
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={stale}", memmap=MEMMAP)
    tree = dts(p["_result"].segment_bytes(segment(p, "device tree")["index"]),
               tmp_path)
    assert "module@" not in tree and "multiboot" not in tree
    # With modules, /chosen's own cells (1 and 1 here) are used.
    dom0 = write("dom0", b"dom0" * 1000)
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={stale}",
             f"--module={dom0}", memmap=MEMMAP)
    tree = dts(p["_result"].segment_bytes(segment(p, "device tree")["index"]),
               tmp_path)
    address = segment(p, f"module {dom0}")["dest"]
    assert list(chosen_modules(tree)) == [f"module@{address:x}"]
    assert f"reg = <{address:#x} 0xfa0>;" in tree
    assert "stale" not in tree


def test_modules_are_the_linux_types_only(run, write):
    payload = write("payload.bin", bytes(256))
    r = run("--dry-run", "--arch=aarch64", "--type=raw", "-l", payload,
            "--address=0x60000000", f"--dtb={DTB}",
            f"--module={payload} x", memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == "purgkit-load: --module is not used by payload " \
        "type raw on aarch64 (it takes --append/--command-line, " \
        "--reuse-cmdline, --dtb, --address, --entry, --reg); leave it out"


def zstd_compress(data, tmp_path):
    """zstd's own tool, as the kernel's build runs it for zstd22."""
    src = tmp_path / "payload"
    src.write_bytes(data)
    subprocess.run(["zstd", "-q", "-19", "-f", str(src), "-o",
                    str(tmp_path / "payload.zst")], check=True)
    return (tmp_path / "payload.zst").read_bytes()


@pytest.mark.parametrize("compression", ["gzip", "zstd22"])
def test_efi_zboot_kernel_is_unwrapped_and_placed_as_its_image(
        plan, write, tmp_path, compression):
    """A kernel built with CONFIG_EFI_ZBOOT: the payload the header points
    at (gzip or zstd, the compressions distributions build with) is
    decompressed and placed as the Image it holds."""
    inner = image(text_offset=0x80000)
    packed = gzip.compress(inner) if compression == "gzip" else \
        zstd_compress(inner, tmp_path)
    kernel = write("vmlinuz.efi", zboot(packed, compression=compression))
    p = plan("--arch=aarch64", "-l", kernel, f"--dtb={DTB}", memmap=MEMMAP)
    assert p["type"] == "linux" and p["type_detected"]
    k = segment(p, "kernel")
    assert f"(EFI zboot, {compression}, Image, 4 KiB pages)" in k["what"], k
    assert k["dest"] == RAM[0] + 0x80000
    assert p["_result"].segment_bytes(k["index"])[:len(inner)] == inner
    assert patch(p, "pk_linux_entry")["value"] == k["dest"]


@pytest.mark.parametrize("kwargs,why", [
    (dict(compression="lzo"), "EFI zboot payload compressed with "
     "'lzo', which purgkit-load does not decompress"),
    (dict(compression="zstd22"), "EFI zboot payload at 0x2000 says zstd22 "
     "but has no zstd magic"),
    (dict(size=1 << 30), "EFI zboot payload 0x2000+0x40000000 is not "
     "inside the file"),
    (dict(offset=0x1000), "EFI zboot payload at 0x1000 says gzip but has "
     "no gzip magic"),
    (dict(compression=""), "EFI zboot image without a compression type "
     "(a NUL-terminated name at 0x18)"),
])
def test_efi_zboot_it_cannot_unwrap_is_refused_by_name(run, write, kwargs,
                                                       why):
    kernel = write("vmlinuz.efi", zboot(gzip.compress(image()), **kwargs))
    r = run("--dry-run", "--arch=aarch64", "-l", kernel, f"--dtb={DTB}",
            memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line().startswith(f"purgkit-load: {kernel}: {why}"), \
        r.error_line()


def test_efi_zboot_whose_payload_is_no_image_is_refused(run, write):
    kernel = write("vmlinuz.efi", zboot(gzip.compress(b"not a kernel" * 9)))
    r = run("--dry-run", "--arch=aarch64", "-l", kernel, f"--dtb={DTB}",
            memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == f"purgkit-load: {kernel}: not an arm64 Image " \
        '(no "ARM\\x64" magic at offset 0x38)'
