# SPDX-License-Identifier: MIT
"""purgkit-load's riscv64 payload types (raw, elf, linux) on QEMU's virt machine
(qemu-virt-512M.memmap and .dtb): dry runs, no privilege, no QEMU.  Every
load carries the device tree kexec_load requires, as the first segment
that looks like one (docs/contract-riscv64.md, section 3)."""

import gzip
import os
import shutil
import struct
import subprocess

import pytest

import payloads
from efi_zboot import zboot
from loader_support import patch, registers

HERE = os.path.dirname(os.path.abspath(__file__))
MEMMAP = os.path.join(HERE, "qemu-virt-512M.memmap")
DTB = os.path.join(HERE, "qemu-virt-512M.dtb")
PAYLOAD_AT = 0x80200000


def tree_segment(p):
    trees = [s for s in p["segments"] if s["what"].startswith("device tree")]
    assert len(trees) == 1, p["segments"]
    return trees[0]


def test_raw_payload_gets_the_tree_and_the_boot_arguments(plan, write):
    payload = write("payload.bin", b"\x13\x00\x00\x00" * 64)
    p = plan("--arch=riscv64", "--type=raw", f"--address={PAYLOAD_AT:#x}",
             f"--dtb={DTB}", payload, memmap=MEMMAP)
    tree = tree_segment(p)
    with open(DTB, "rb") as f:
        assert p["_result"].segment_bytes(tree["index"]) == f.read()
    # Hashed: the payload gets it in a1.
    assert tree["verify"]
    regs = registers(patch(p, "pk_riscv64_regs"), "pk_riscv64_regs")
    assert regs["pc"] == PAYLOAD_AT
    assert patch(p, "pk_riscv64_boot_args")["value"] == 1
    # Never in OpenSBI's region.
    assert all(s["dest"] >= 0x80080000 for s in p["segments"])


def test_elf_payload_at_its_link_address(plan, write):
    elf = write("payload.elf", payloads.elf(
        [(PAYLOAD_AT, b"\x13\x00\x00\x00" * 16, 0x1000)],
        entry=PAYLOAD_AT + 8, elf_class=64, machine=243))
    p = plan("--arch=riscv64", "--type=elf", f"--dtb={DTB}", elf,
             memmap=MEMMAP)
    regs = registers(patch(p, "pk_riscv64_regs"), "pk_riscv64_regs")
    assert regs["pc"] == PAYLOAD_AT + 8
    tree_segment(p)


def test_given_a0_is_kept_instead_of_the_hart_id(plan, write):
    payload = write("payload.bin", b"\x13\x00\x00\x00" * 64)
    p = plan("--arch=riscv64", "--type=raw", f"--address={PAYLOAD_AT:#x}",
             "--reg", "a0=0x1234", "--reg", "sp=0x80400000",
             f"--dtb={DTB}", payload, memmap=MEMMAP)
    regs = registers(patch(p, "pk_riscv64_regs"), "pk_riscv64_regs")
    assert regs["a"][0] == 0x1234 and regs["sp"] == 0x80400000
    assert patch(p, "pk_riscv64_boot_args")["value"] == 0


def test_a_payload_that_kexec_would_take_for_the_tree_is_refused(run):
    """A payload that starts with a device tree, below the tree: kexec
    hands the first one it finds to the entry, so the load is refused."""
    r = run("--dry-run", "--json", "--arch=riscv64", "--type=raw",
            "--address=0x80080000", f"--dtb={DTB}", DTB, memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line().endswith(
        "starts with a device tree and comes before the device tree at "
        "0x80082000: kexec would take it as the tree")


def test_no_tree_for_a_foreign_machine_is_refused(run, write):
    payload = write("payload.bin", b"\x13\x00\x00\x00" * 64)
    r = run("--dry-run", "--arch=riscv64", "--type=raw",
            f"--address={PAYLOAD_AT:#x}", payload, memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == (
        "purgkit-load: riscv64 needs a device tree for kexec: give "
        "--dtb=FILE (the running machine's is /sys/firmware/fdt)")


def test_a_file_that_is_no_tree_is_refused_with_why(run, write):
    payload = write("payload.bin", b"\x13\x00\x00\x00" * 64)
    bad = write("bad.dtb", b"\xd0\x0d\xfe\xed" + b"\0" * 60)
    r = run("--dry-run", "--arch=riscv64", "--type=raw",
            f"--address={PAYLOAD_AT:#x}", f"--dtb={bad}", payload,
            memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line().endswith(
        "bad.dtb: not a device tree the kernel takes: a device tree "
        "version libfdt does not read")


def image(image_size=0x1200000, flags=0, text=1024):
    """A RISC-V Image: its 64-byte header (boot-image-header.rst) and some
    code; no real kernel."""
    header = bytearray(64)
    struct.pack_into("<IIQQQI", header, 0, 0x6f, 0, 0x200000, image_size,
                     flags, 0x2)
    header[48:56] = b"RISCV\0\0\0"
    header[56:60] = b"RSC\x05"
    return bytes(header) + b"\x13\x00\x00\x00" * text


def chosen(path, prop, kind="-ts"):
    fdtget = shutil.which("fdtget")
    assert fdtget, "fdtget (device-tree-compiler) is not installed"
    p = subprocess.run([fdtget, kind, path, "/chosen", prop],
                       capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else None


def test_linux_image_at_2m_with_bootargs_and_initrd(plan, write, tmp_path):
    kernel = write("Image", image())
    initrd = write("initrd.img", b"initrd" * 100)
    p = plan("--arch=riscv64", f"--dtb={DTB}", f"--initrd={initrd}",
             "--append=console=ttyS0 earlycon=sbi", kernel, memmap=MEMMAP)
    assert p["type"] == "linux"
    segs = {s["what"].split()[0]: s for s in p["segments"]}
    k = segs["kernel"]
    assert k["dest"] % 0x200000 == 0 and k["memsz"] == 0x1200000
    assert patch(p, "pk_linux_entry")["value"] == k["dest"]
    tree = tree_segment(p)
    assert patch(p, "pk_linux_dtb")["value"] == tree["dest"]
    dtb = tmp_path / "sent.dtb"
    dtb.write_bytes(p["_result"].segment_bytes(tree["index"]))
    assert chosen(dtb, "bootargs") == "console=ttyS0 earlycon=sbi"
    rd = segs["initrd"]
    start = [int(x) for x in chosen(dtb, "linux,initrd-start", "-tu").split()]
    end = [int(x) for x in chosen(dtb, "linux,initrd-end", "-tu").split()]
    assert start[0] << 32 | start[1] == rd["dest"]
    assert end[0] << 32 | end[1] == rd["dest"] + 600


def test_big_endian_image_is_refused(run, write):
    kernel = write("Image", image(flags=1))
    r = run("--dry-run", "--arch=riscv64", f"--dtb={DTB}", kernel,
            memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line().endswith(
        "a big-endian RISC-V Image; riscv64 is little-endian")


@pytest.mark.parametrize("compression", ["gzip", "zstd22"])
def test_efi_zboot_kernel_is_unwrapped_and_placed_as_its_image(
        plan, write, tmp_path, compression):
    """A kernel built with CONFIG_EFI_ZBOOT (riscv64 shares arm64's
    header): the payload is decompressed and placed as the Image inside,
    and the plan says it was a zboot one."""
    inner = image()
    if compression == "gzip":
        packed = gzip.compress(inner)
    else:
        (tmp_path / "Image").write_bytes(inner)
        subprocess.run(["zstd", "-q", "-19", "-f", str(tmp_path / "Image"),
                        "-o", str(tmp_path / "Image.zst")], check=True)
        packed = (tmp_path / "Image.zst").read_bytes()
    kernel = write("vmlinuz.efi", zboot(packed, compression=compression))
    p = plan("--arch=riscv64", f"--dtb={DTB}", kernel, memmap=MEMMAP)
    assert p["type"] == "linux" and p["type_detected"]
    k = [s for s in p["segments"] if s["what"].startswith("kernel")][0]
    assert k["what"].endswith(f"(EFI zboot, {compression})"), k
    assert k["dest"] % 0x200000 == 0
    assert p["_result"].segment_bytes(k["index"])[:len(inner)] == inner
    assert patch(p, "pk_linux_entry")["value"] == k["dest"]


def test_efi_zboot_whose_payload_is_no_image_is_refused(run, write):
    kernel = write("vmlinuz.efi", zboot(gzip.compress(b"not a kernel" * 9)))
    r = run("--dry-run", "--arch=riscv64", "--type=linux", f"--dtb={DTB}",
            kernel, memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == f"purgkit-load: {kernel}: not a RISC-V Image " \
        '(no "RSC\\x05" at offset 56 of the EFI zboot payload)'


def test_uart16550_console_patches_its_address(plan, write):
    payload = write("payload.bin", b"\x13\x00\x00\x00" * 64)
    p = plan("--arch=riscv64", "--type=raw", f"--address={PAYLOAD_AT:#x}",
             "--console=uart16550,0x10000000", f"--dtb={DTB}", payload,
             memmap=MEMMAP)
    assert patch(p, "pk_uart_base")["value"] == 0x10000000
    assert patch(p, "pk_console_mask")["value"] == 1 << 7


def test_uart16550_console_without_address_is_refused(run, write):
    payload = write("payload.bin", b"\x13\x00\x00\x00" * 64)
    r = run("--dry-run", "--arch=riscv64", "--type=raw",
            f"--address={PAYLOAD_AT:#x}", "--console=uart16550",
            f"--dtb={DTB}", payload, memmap=MEMMAP)
    assert r.rc != 0
    assert r.error_line() == (
        "purgkit-load: --console=uart16550 needs the UART's address: "
        "--console=uart16550,ADDR")


CRASH_MEMMAP = os.path.join(HERE, "qemu-virt-riscv64-2G-crash.memmap")
RESERVATION = (0xebc00000, 0xfbc00000)


def test_capture_kernel_confined_to_the_reservation(plan, write, tmp_path):
    """-p: every segment in the reservation; the capture kernel's tree says
    where the ELF core header is and which memory it may use; the dump's
    RAM is the memory outside the reservation less OpenSBI's region."""
    kernel = write("Image", image())
    p = plan("-p", "--arch=riscv64", "-l", kernel, f"--dtb={DTB}",
             "--append=console=ttyS0 nr_cpus=1", memmap=CRASH_MEMMAP)
    for s in p["segments"]:
        assert RESERVATION[0] <= s["dest"] and \
            s["dest"] + s["memsz"] <= RESERVATION[1], s
    crash = p["crash"]
    header = crash["elfcorehdr"]
    assert [(l["start"], l["end"]) for l in header["loads"]] == [
        (0x80080000, RESERVATION[0]), (RESERVATION[1], 0x100000000)]
    assert [n["cpu"] for n in header["notes"]] == [0, 1]
    dtb = tmp_path / "sent.dtb"
    dtb.write_bytes(p["_result"].segment_bytes(tree_segment(p)["index"]))
    # QEMU virt's root has #address-cells = #size-cells = 2.
    core = [int(x) for x in chosen(dtb, "linux,elfcorehdr", "-tu").split()]
    usable = [int(x) for x in
              chosen(dtb, "linux,usable-memory-range", "-tu").split()]
    assert core == [0, header["address"], 0, header["size"]]
    assert usable == [0, RESERVATION[0], 0, RESERVATION[1] - RESERVATION[0]]
    assert chosen(dtb, "bootargs") == \
        f"console=ttyS0 nr_cpus=1 elfcorehdr={header['address']:#x}"
    assert patch(p, "pk_linux_dtb")["value"] == tree_segment(p)["dest"]
