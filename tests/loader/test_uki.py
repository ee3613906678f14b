# SPDX-License-Identifier: MIT
"""Unified kernel images on x86_64: a PE whose .linux, .initrd and
.cmdline sections hold everything.  The kernel in .linux goes through the
linux type; .initrd (after .ucode, when there is one) and .cmdline are
used unless --initrd or --append say otherwise; --dry-run says what was
taken from where.  The UKIs are made as systemd makes them (its stub and
objcopy --add-section, uki_images.stub_uki), or written byte by byte for
the forms objcopy will not write.  What the user sees: the plan the parts
would give, or one line naming the file and the section."""
import subprocess

from test_linux_raw_elf import bzimage, debian_vmlinuz
from uki_images import pe_uki, stub_uki

INITRD = b"070701" + b"initrd bytes " * 100
CMDLINE = b"console=ttyS0 root=/dev/vda ro\n"


def segment(p, what):
    return next(s for s in p["segments"] if s["what"].startswith(what))


def seg_bytes(p, what):
    return p["_result"].segment_bytes(segment(p, what)["index"])


def layers(p):
    return {(u["input"], u["section"]): u for u in p["unwrapped"]}


def one_line(r):
    assert r.rc != 0
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.error_line()


def test_uki_plans_as_its_parts_do(plan, write, tmp_path):
    kernel = bzimage()[0]
    uki = stub_uki(str(tmp_path), {".linux": kernel, ".initrd": INITRD,
                                   ".cmdline": CMDLINE,
                                   ".osrel": b"ID=debian\n"})
    p = plan("-l", uki)
    parts = plan("-l", write("bz", kernel), "--initrd=" + write("rd", INITRD),
                 "--append=console=ttyS0 root=/dev/vda ro")
    assert p["type"] == "linux" and p["type_detected"]
    assert p["command_line"] == "console=ttyS0 root=/dev/vda ro"
    assert seg_bytes(p, "kernel") == seg_bytes(parts, "kernel")
    assert seg_bytes(p, "initrd") == INITRD
    assert segment(p, "initrd")["what"] == f"initrd {uki}:.initrd"
    assert segment(p, "kernel")["what"].startswith(f"kernel {uki}:.linux")
    assert p["payload_entry"] == parts["payload_entry"]
    got = layers(p)
    assert got["payload", ".linux"]["size"] == len(kernel)
    assert got["payload", ".linux"]["note"] == "the kernel"
    assert got["initrd", ".initrd"]["note"] == "the initrd"
    assert got["command line", ".cmdline"]["note"] == \
        "the command line: console=ttyS0 root=/dev/vda ro"
    # Where in the file: the section's raw data, as objdump reports it.
    heads = subprocess.run(["objdump", "-h", uki], capture_output=True,
                           text=True, check=True).stdout
    line = next(x for x in heads.splitlines() if " .linux " in x).split()
    assert got["payload", ".linux"]["offset"] == int(line[5], 16)


def test_the_text_plan_says_what_it_unwrapped(run, tmp_path):
    uki = stub_uki(str(tmp_path), {".linux": bzimage()[0],
                                   ".cmdline": CMDLINE})
    r = run("--dry-run", "-l", uki)
    assert r.rc == 0, r.stderr
    assert f"unwrapped: payload {uki}: UKI section .linux, 0x" in r.stdout
    assert (f"unwrapped: command line {uki}: UKI section .cmdline, "
            f"{len(CMDLINE):#x} bytes at 0x") in r.stdout
    assert ": the command line: console=ttyS0 root=/dev/vda ro\n" in r.stdout


def test_initrd_and_append_replace_the_ukis_own(plan, write, tmp_path):
    uki = stub_uki(str(tmp_path), {".linux": bzimage()[0],
                                   ".initrd": INITRD, ".cmdline": CMDLINE})
    mine = b"070701" + b"mine " * 50
    p = plan("-l", uki, "--initrd=" + write("mine.cpio", mine),
             "--append=quiet")
    assert seg_bytes(p, "initrd") == mine
    assert p["command_line"] == "quiet"
    got = layers(p)
    assert got["initrd", ".initrd"]["note"] == \
        "not used: --initrd replaces the UKI's initrd"
    assert got["command line", ".cmdline"]["note"] == \
        "not used: --append gives the command line"


def test_microcode_goes_first_then_the_initrd(plan, tmp_path):
    ucode = b"070701" + b"GenuineIntel.bin " * 10
    uki = stub_uki(str(tmp_path), {".linux": bzimage()[0], ".ucode": ucode,
                                   ".initrd": INITRD})
    p = plan("-l", uki)
    assert seg_bytes(p, "initrd") == ucode + INITRD
    assert segment(p, "initrd")["what"] == f"initrd {uki}:.ucode+.initrd"


def test_compressed_initrd_in_a_uki_is_left_for_the_kernel(plan, tmp_path):
    packed = subprocess.run(["zstd", "-c", "-q"], input=INITRD,
                            capture_output=True, check=True).stdout
    uki = stub_uki(str(tmp_path), {".linux": bzimage()[0],
                                   ".initrd": packed})
    p = plan("-l", uki)
    assert seg_bytes(p, "initrd") == packed
    (left,) = [u for u in p["unwrapped"] if u["format"] == "zstd"]
    assert left["input"] == "initrd" and left["file"] == f"{uki}:.initrd"


def test_profile_zero_is_booted_over_the_base(plan, write):
    kernel = bzimage()[0]
    uki = write("multi.efi", pe_uki([
        (".linux", kernel), (".cmdline", b"base"),
        (".profile", b"ID=regular"), (".cmdline", b"profile zero"),
        (".profile", b"ID=reset"), (".cmdline", b"profile one"),
    ]))
    p = plan("-l", uki)
    assert p["command_line"] == "profile zero"
    assert layers(p)["payload", ".linux"]["note"] == \
        "the kernel (profile @0, the default)"
    # Profile @0 without its own .cmdline takes the base's.
    base = write("base.efi", pe_uki([
        (".linux", kernel), (".cmdline", b"base"), (".profile", b"ID=a"),
        (".profile", b"ID=b"), (".cmdline", b"profile one")]))
    assert plan("-l", base)["command_line"] == "base"


def test_crash_kernel_from_a_uki_keeps_its_command_line(plan, tmp_path):
    # -p: the capture kernel's command line is the UKI's, then
    # elfcorehdr=, as with --append.
    from test_crash_plans import CRASH_MEMMAP
    uki = stub_uki(str(tmp_path), {".linux": bzimage()[0],
                                   ".cmdline": b"console=ttyS0 irqpoll"})
    p = plan("-p", "-l", uki, memmap=CRASH_MEMMAP)
    address = p["crash"]["elfcorehdr"]["address"]
    assert p["command_line"] == \
        f"console=ttyS0 irqpoll elfcorehdr={address:#x}"


def test_a_real_debian_bzimage_is_no_uki(plan):
    # Debian's vmlinuz is a PE too (the EFI stub), without UKI sections.
    p = plan("-l", debian_vmlinuz(), "--append=console=ttyS0")
    assert p["unwrapped"] == []


def test_arm64_uki_takes_its_device_tree_and_parts(plan, write, tmp_path):
    # UKIs are EFI binaries: arm64's linux type takes a tree, from .dtb
    # (systemd-stub installs it for the kernel it starts).
    import os
    from aarch64.test_aarch64_plans import DTB, MEMMAP, dts, image
    with open(DTB, "rb") as f:
        tree = f.read()
    uki = write("arm64.efi", pe_uki([
        (".osrel", b"ID=debian\n"), (".cmdline", b"console=ttyAMA0\n"),
        (".dtb", tree), (".initrd", INITRD), (".linux", image())],
        machine=0xaa64))
    p = plan("--arch=aarch64", "-l", uki, memmap=MEMMAP)
    assert p["type"] == "linux"
    got = layers(p)
    assert got["device tree", ".dtb"]["note"] == "the device tree"
    assert got["device tree", ".dtb"]["size"] == len(tree)
    assert seg_bytes(p, "initrd") == INITRD
    text = dts(seg_bytes(p, "device tree"), tmp_path)
    assert 'bootargs = "console=ttyAMA0";' in text
    # A compressed .linux is decompressed after it is taken out.
    packed = subprocess.run(["zstd", "-c", "-q"], input=image(),
                            capture_output=True, check=True).stdout
    zuki = write("arm64z.efi", pe_uki([(".dtb", tree), (".linux", packed)],
                                      machine=0xaa64))
    z = plan("--arch=aarch64", "-l", zuki, memmap=MEMMAP)
    assert [(u["input"], u["format"], u["file"]) for u in z["unwrapped"]
            if u["input"] == "payload"] == [
        ("payload", "uki", zuki), ("payload", "zstd", f"{zuki}:.linux")]
    assert seg_bytes(z, "kernel")[:len(image())] == image()
    # --dtb replaces it.
    mine = plan("--arch=aarch64", "-l", uki, f"--dtb={DTB}", memmap=MEMMAP)
    assert layers(mine)["device tree", ".dtb"]["note"] == \
        "not used: --dtb replaces it"
    assert os.path.exists(DTB)


def test_riscv64_uki_takes_its_device_tree_and_parts(plan, write, tmp_path):
    from riscv64.test_riscv64_plans import DTB, MEMMAP, chosen, image
    with open(DTB, "rb") as f:
        tree = f.read()
    uki = write("rv.efi", pe_uki([
        (".cmdline", b"console=ttyS0 earlycon=sbi"), (".dtb", tree),
        (".initrd", INITRD), (".linux", image())], machine=0x5064))
    p = plan("--arch=riscv64", "-l", uki, memmap=MEMMAP)
    assert p["type"] == "linux"
    assert layers(p)["device tree", ".dtb"]["note"] == "the device tree"
    assert seg_bytes(p, "initrd") == INITRD
    sent = tmp_path / "sent.dtb"
    sent.write_bytes(seg_bytes(p, "device tree"))
    assert chosen(sent, "bootargs") == "console=ttyS0 earlycon=sbi"


def test_ppc64_linux_type_reads_a_ukis_tree_too(plan, write):
    # No firmware runs a UKI on ppc64, but the linux type reads the
    # same parts wherever it runs: .dtb stands for --dtb.
    from ppc64.test_ppc64_plans import DTB, MEMMAP, kernel
    with open(kernel(), "rb") as f:
        vmlinux = f.read()
    with open(DTB, "rb") as f:
        tree = f.read()
    uki = write("ppc.efi", pe_uki([(".dtb", tree), (".cmdline", b"quiet"),
                                   (".linux", vmlinux)]))
    p = plan("--type=linux", "-l", uki, memmap=MEMMAP)
    given = plan("--type=linux", "-l", kernel(), f"--dtb={DTB}",
                 "--append=quiet", memmap=MEMMAP)
    assert layers(p)["device tree", ".dtb"]["note"] == "the device tree"
    assert seg_bytes(p, "device tree") == seg_bytes(given, "device tree")


# ---- bad UKIs: one line each, naming the file and the section ----------

def test_uki_without_linux_is_refused(run, tmp_path):
    addon = stub_uki(str(tmp_path), {".cmdline": CMDLINE,
                                     ".osrel": b"ID=debian\n"})
    line = one_line(run("--dry-run", "-l", addon))
    assert (f"{addon}: a UKI (PE sections .osrel, .cmdline) without a "
            ".linux section: there is no kernel to boot") in line


def test_uki_section_past_the_end_of_the_file_is_refused(run, write,
                                                         tmp_path):
    uki = stub_uki(str(tmp_path), {".linux": bzimage()[0],
                                   ".initrd": INITRD})
    with open(uki, "rb") as f:
        whole = f.read()
    heads = subprocess.run(["objdump", "-h", uki], capture_output=True,
                           text=True, check=True).stdout
    line = next(x for x in heads.splitlines() if " .linux " in x).split()
    start = int(line[5], 16)
    cut = write("cut.efi", whole[:start + 100])
    assert (f"{cut}: UKI section .linux (file offset {start:#x}, 0x" in
            one_line(run("--dry-run", "-l", cut)))
    assert "runs past the end of the file at 0x" in \
        one_line(run("--dry-run", "-l", cut))


def test_uki_section_pointing_past_the_end_is_refused(run, write):
    bad = write("bad.efi", pe_uki([
        (".linux", bzimage()[0]), (".initrd", INITRD, 0x1000, 0x7000000)]))
    line = one_line(run("--dry-run", "-l", bad))
    assert (f"{bad}: UKI section .initrd (file offset 0x7000000, 0x1000 "
            "bytes) runs past the end of the file at 0x") in line


def test_uki_with_two_kernels_is_refused(run, write):
    bad = write("two.efi", pe_uki([(".linux", bzimage()[0]),
                                   (".linux", bzimage()[0])]))
    line = one_line(run("--dry-run", "-l", bad))
    assert f"{bad}: UKI has two .linux sections; the specification " \
           "allows one" in line


def test_uki_whose_linux_is_no_kernel_says_which_section(run, write):
    bad = write("nok.efi", pe_uki([(".linux", b"\0" * 4096)]))
    line = one_line(run("--dry-run", "--type=linux", "-l", bad))
    assert f"{bad}:.linux: not a bzImage" in line
