# SPDX-License-Identifier: MIT
"""purgkit-load's riscv64 payload types (raw, elf) on QEMU's virt machine
(qemu-virt-512M.memmap and .dtb): dry runs, no privilege, no QEMU.  Every
load carries the device tree kexec_load requires, as the first segment
that looks like one (docs/contract-riscv64.md, section 3)."""

import os

import payloads
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
