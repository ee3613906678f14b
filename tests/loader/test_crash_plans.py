# SPDX-License-Identifier: MIT
"""purgkit-load -p: crash plans against a memory map recorded in a QEMU
guest booted with crashkernel=256M, checked field by field (reservation,
segments, the ELF core header's every program header, the capture kernel's
e820 and command line), and every refusal of the crash path in one line."""
import os
import shutil
import struct
import subprocess

import pytest

import build_targets
from loader_support import read_memmap
from payloads import elf
from test_linux_raw_elf import bzimage

HERE = os.path.dirname(os.path.abspath(__file__))
CRASH_MEMMAP = os.path.join(HERE, "memmaps", "qemu-x86_64-pc-2G-crash.memmap")
# What the recorded file says (tests/loader/memmaps/...-crash.memmap).
RESERVATION = (0x5F000000, 0x6F000000)
NOTES = [(0, 0x7CA3A400, 0x170), (1, 0x7CB3A400, 0x170)]
VMCOREINFO = (0x11F4000, 0x1024)
RAM_OUTSIDE = [(0x0, 0x9FC00), (0x100000, 0x5F000000),
               (0x6F000000, 0x7FFE0000)]
KEXEC_ARCH_X86_64 = 62 << 16
KEXEC_ON_CRASH = 1
PT_LOAD, PT_NOTE = 1, 4


def crash_plan(plan, write, *args, memmap=CRASH_MEMMAP, image=None):
    kernel = write("bzImage", image or bzimage()[0])
    return plan("-p", "-l", kernel, *args, memmap=memmap)


def segment_bytes(p, what):
    """The dumped bytes of the one segment whose `what` starts so."""
    found = [s for s in p["segments"] if s["what"].startswith(what)]
    assert len(found) == 1, [s["what"] for s in p["segments"]]
    index = found[0]["index"]
    with open(os.path.join(p["_result"].dump_dir,
                           f"segment-{index}.bin"), "rb") as f:
        return found[0], f.read()


def program_headers(header):
    """(e_type, e_machine, [(p_type, p_offset, p_paddr, p_filesz,
    p_memsz)]) of an ELF64 little-endian core header."""
    assert header[:4] == b"\x7fELF" and header[4] == 2 and header[5] == 1
    e_type, e_machine = struct.unpack_from("<HH", header, 16)
    e_phoff, = struct.unpack_from("<Q", header, 32)
    e_phentsize, e_phnum = struct.unpack_from("<HH", header, 54)
    assert e_phentsize == 56
    phdrs = []
    for i in range(e_phnum):
        p_type, _, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, _ = \
            struct.unpack_from("<IIQQQQQQ", header, e_phoff + i * 56)
        phdrs.append((p_type, p_offset, p_paddr, p_filesz, p_memsz))
    return e_type, e_machine, phdrs


def e820(boot_params):
    count = boot_params[0x1E8]
    return [struct.unpack_from("<QQI", boot_params, 0x2D0 + 20 * i)
            for i in range(count)]


def test_crash_plan_puts_every_segment_in_the_reservation(plan, write):
    p = crash_plan(plan, write, "--append=console=ttyS0 irqpoll")
    assert p["kexec_flags"] == KEXEC_ARCH_X86_64 | KEXEC_ON_CRASH
    crash = p["crash"]
    assert crash["reservation_source"] == CRASH_MEMMAP
    assert [(r["start"], r["end"]) for r in crash["reservations"]] == \
        [RESERVATION]
    assert (crash["placement"]["start"], crash["placement"]["end"]) == \
        RESERVATION
    for s in p["segments"]:
        assert RESERVATION[0] <= s["dest"] and \
            s["dest"] + s["memsz"] <= RESERVATION[1], s
    # The system's map is what the plan shows as its memory map.
    assert p["memmap_source"] == CRASH_MEMMAP
    assert [(r["start"], r["end"], r["type"]) for r in p["memmap"]] == \
        read_memmap(CRASH_MEMMAP)["ranges"]


def test_crash_plan_elf_core_header_field_by_field(plan, write):
    p = crash_plan(plan, write, "--append=console=ttyS0")
    segment, header = segment_bytes(p, "ELF core header")
    info = p["crash"]["elfcorehdr"]
    assert info["address"] == segment["dest"]
    assert segment["verify"], "the trampoline checks the header too"
    assert info["size"] == 64 + 56 * (len(NOTES) + 1 + len(RAM_OUTSIDE))
    e_type, e_machine, phdrs = program_headers(header)
    assert (e_type, e_machine) == (4, 62)        # ET_CORE, EM_X86_64
    notes = [ph for ph in phdrs if ph[0] == PT_NOTE]
    loads = [ph for ph in phdrs if ph[0] == PT_LOAD]
    assert len(notes) + len(loads) == len(phdrs)
    # p_offset is the physical address (fs/proc/vmcore.c reads it so).
    assert notes == [(PT_NOTE, a, a, n, n) for _, a, n in NOTES] + \
        [(PT_NOTE, VMCOREINFO[0], VMCOREINFO[0], VMCOREINFO[1],
          VMCOREINFO[1])]
    assert loads == [(PT_LOAD, s, s, e - s, e - s) for s, e in RAM_OUTSIDE]
    assert [(n["cpu"], n["address"], n["size"]) for n in info["notes"]] \
        == NOTES
    assert (info["vmcoreinfo"]["address"], info["vmcoreinfo"]["size"]) == \
        VMCOREINFO
    assert [(l["start"], l["end"]) for l in info["loads"]] == RAM_OUTSIDE


def virtual_addresses(header):
    """[(p_type, p_vaddr, p_paddr, p_offset, p_memsz)] of the PT_LOADs of
    an ELF64 little-endian core header."""
    e_phoff, = struct.unpack_from("<Q", header, 32)
    e_phnum, = struct.unpack_from("<H", header, 56)
    loads = []
    for i in range(e_phnum):
        p_type, _, p_offset, p_vaddr, p_paddr, _, p_memsz, _ = \
            struct.unpack_from("<IIQQQQQQ", header, e_phoff + i * 56)
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_paddr, p_offset, p_memsz))
    return loads


# What /proc/kcore would say under KASLR (page_offset_base, _text and its
# physical address, _end - _text), as --memmap lines.
DIRECT_MAP = 0xFFFF9E5C40000000
KERNEL_IMAGE = (0xFFFFFFFFA4E00000, 0x3C00000, 0x2C2C000)
VADDR_LINES = (b"direct-map 0xffff9e5c40000000\n"
               b"kernel-image 0xffffffffa4e00000 0x3c00000 0x2c2c000\n")


def test_crash_plan_without_the_mapping_keeps_p_vaddr_0_and_says_so(run,
                                                                    write):
    r = run("--dry-run", "--json", "-d", "-p", "-l",
            write("bzImage", bzimage()[0]), memmap=CRASH_MEMMAP)
    assert r.rc == 0, r.stderr
    assert r.stderr.count("the dump's PT_LOADs have p_vaddr 0") == 1


def test_crash_plan_maps_ram_at_the_direct_map_and_the_image_at_text(
        plan, write):
    with open(CRASH_MEMMAP, "rb") as f:
        memmap = write("m", f.read() + VADDR_LINES)
    p = crash_plan(plan, write, "--append=console=ttyS0", memmap=memmap)
    segment, header = segment_bytes(p, "ELF core header")
    info = p["crash"]["elfcorehdr"]
    assert info["size"] == 64 + 56 * (len(NOTES) + 1 + 1 + len(RAM_OUTSIDE))
    assert info["direct_map"] == DIRECT_MAP
    vaddr, paddr, size = KERNEL_IMAGE
    assert info["kernel_image"] == dict(vaddr=vaddr, paddr=paddr, size=size)
    # The image first, as the kernel's own header; p_offset is physical.
    assert virtual_addresses(header) == \
        [(vaddr, paddr, paddr, size)] + \
        [(DIRECT_MAP + s, s, s, e - s) for s, e in RAM_OUTSIDE]


def test_kernel_image_outside_the_dumped_ram_is_refused(run, write):
    with open(CRASH_MEMMAP, "rb") as f:
        memmap = write("m", f.read() + b"kernel-image 0xffffffffa4e00000 "
                       b"0x5f000000 0x1000\n")
    line = refusal(run, write, memmap=memmap)
    assert f"{memmap}: the kernel image 0x5f000000-0x5f000fff is not RAM " \
        "the dump holds" in line


def test_crash_plan_command_line_ends_with_elfcorehdr(plan, write):
    p = crash_plan(plan, write, "--append=console=ttyS0 irqpoll")
    address = p["crash"]["elfcorehdr"]["address"]
    assert p["command_line"] == \
        f"console=ttyS0 irqpoll elfcorehdr={address:#x}"
    _, bp = segment_bytes(p, "boot_params")
    assert bp[0x1000:0x1000 + len(p["command_line"]) + 1] == \
        p["command_line"].encode() + b"\0"


def test_capture_kernel_e820_is_low_ram_the_reservation_and_firmware_ranges(
        plan, write):
    p = crash_plan(plan, write)
    header = p["crash"]["elfcorehdr"]["address"]
    expected = [(0x0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2),
                (RESERVATION[0], header - RESERVATION[0], 1)]
    if header + 0x1000 < RESERVATION[1]:
        expected.append((header + 0x1000, RESERVATION[1] - header - 0x1000,
                         1))
    expected += [(0x7FFE0000, 0x20000, 2), (0xFFFC0000, 0x40000, 2),
                 (0xFD00000000, 0x300000000, 2)]
    _, bp = segment_bytes(p, "boot_params")
    assert e820(bp) == expected
    assert [(r["start"], r["end"] - r["start"]) for r in
            p["crash"]["capture_memmap"]] == [(a, n) for a, n, _ in expected]


def test_crash_plan_text_names_the_reservation_and_the_header(run, write):
    r = run("--dry-run", "-p", "-l", write("bzImage", bzimage()[0]),
            memmap=CRASH_MEMMAP)
    assert r.rc == 0, r.stderr
    assert ("crash (-p): 1 reservation(s) from " + CRASH_MEMMAP +
            ", segments in 0x5f000000-0x6effffff") in r.stdout
    assert "2 CPU note(s), VMCOREINFO yes, 3 PT_LOAD(s) of RAM" in r.stdout


def refusal(run, write, *args, memmap=CRASH_MEMMAP, image=None):
    r = run("--dry-run", "-p", "-l",
            write("bzImage", image or bzimage()[0]), *args, memmap=memmap)
    assert r.rc != 0
    assert len(r.stderr.strip().splitlines()) <= 2, r.stderr
    return r.error_line()


def without(lines_starting):
    with open(CRASH_MEMMAP, "rb") as f:
        return b"".join(l for l in f if not l.startswith(lines_starting))


def test_reservation_outside_ram_is_refused(run, write):
    path = write("m", without(b"crash-kernel") +
                 b"crash-kernel 0x7ff00000 0x80ffffff\n")
    line = refusal(run, write, memmap=path)
    assert "crash reservation 0x7ff00000-0x80ffffff" in line
    assert "is not System RAM in " + path in line


HIGH_AND_LOW = (b"arch x86_64\n0x0 0x9fbff System RAM\n"
                b"0x100000 0xbfffffff System RAM\n"
                b"0x100000000 0x13fffffff System RAM\n"
                b"crash-notes 0 0x7ca3a400 0x170\n")


def test_low_and_high_reservations_place_in_the_low_one_below_4g(
        plan, write):
    """crashkernel=256M below 4 GiB and a ,low range under it: segments
    go in crashk_res (the higher), both are the capture kernel's RAM and
    neither is in the dump."""
    memmap = write("m", HIGH_AND_LOW + b"crash-kernel 0x8000000 0xfffffff\n"
                   b"crash-kernel 0x20000000 0x2fffffff\n")
    p = crash_plan(plan, write, memmap=memmap)
    crash = p["crash"]
    assert (crash["placement"]["start"], crash["placement"]["end"]) == \
        (0x20000000, 0x30000000)
    assert [(l["start"], l["end"]) for l in crash["elfcorehdr"]["loads"]] \
        == [(0, 0x9FC00), (0x100000, 0x8000000), (0x10000000, 0x20000000),
            (0x30000000, 0xC0000000), (0x100000000, 0x140000000)]
    ram = [(r["start"], r["end"]) for r in crash["capture_memmap"]
           if r["type"] == "System RAM"]
    assert ram[:2] == [(0, 0x9FC00), (0x8000000, 0x10000000)]
    assert ram[2][0] == 0x20000000


def test_reservation_above_4g_is_refused(run, write):
    memmap = write("m", HIGH_AND_LOW + b"crash-kernel 0x8000000 0xfffffff\n"
                   b"crash-kernel 0x120000000 0x12fffffff\n")
    line = refusal(run, write, memmap=memmap)
    assert "crash reservation 0x120000000-0x12fffffff" in line
    assert "lies above 4 GiB (crashkernel=...,high)" in line


def test_initrd_larger_than_the_reservation_is_refused(run, write, tmp_path):
    small = without(b"crash-kernel") + b"crash-kernel 0x5f000000 0x5fffffff\n"
    initrd = tmp_path / "initrd"
    with open(initrd, "wb") as f:
        f.truncate(0x1000000)
    line = refusal(run, write, f"--initrd={initrd}",
                   memmap=write("m", small))
    assert "no room for initrd" in line
    assert "crash reservation 0x5f000000-0x5fffffff" in line


def test_capture_kernel_not_relocatable_is_refused(run, write):
    line = refusal(run, write, image=bzimage(relocatable=0)[0])
    assert "the capture kernel is not relocatable" in line
    assert "CONFIG_RELOCATABLE" in line


def test_crash_path_refuses_a_payload_that_is_not_linux(run, write):
    line = refusal(run, write, "--type=raw", "--address=0x5f000000")
    assert "payload type raw is not linux" in line


def test_crash_path_refuses_the_16_bit_entry(run, write):
    line = refusal(run, write, "--real-mode")
    assert "the 16-bit entry needs the setup code below 640 KiB" in line


@pytest.mark.parametrize("text, message", [
    (b"crash-kernel 0x5f000000\n",
     "crash-kernel '0x5f000000' has too few fields (expected START END)"),
    (b"crash-kernel 0x6f000000 0x5f000000\n",
     "crash-kernel end 0x5f000000 is below its start 0x6f000000"),
    (b"crash-notes 0 0x7ca3a400 0x170 7\n",
     "has too many fields (expected CPU ADDRESS SIZE)"),
    (b"vmcoreinfo 0x11f4000 big\n", "vmcoreinfo '0x11f4000 big'"),
    (b"direct-map\n", "'direct-map' needs a value"),
    (b"direct-map 0xffff888000000000 0x0\n",
     "has too many fields (expected VADDR)"),
    (b"kernel-image 0xffffffff81000000 0x1000000\n",
     "has too few fields (expected VADDR PADDR SIZE)"),
    (b"kernel-image 0xffffffff81000000 0x1000000 0x0\n",
     "kernel-image size 0x0 is empty or wraps around"),
])
def test_malformed_crash_lines_are_refused_with_their_line(run, write, text,
                                                           message):
    path = write("m", without(b"crash-kernel") + text)
    line = refusal(run, write, memmap=path)
    assert f"{path}:" in line and message in line


def test_two_notes_for_one_cpu_are_refused(run, write):
    path = write("m", without(b"vmcoreinfo") +
                 b"crash-notes 1 0x7cc00000 0x170\n")
    assert "CPU 1 has two crash notes buffers" in refusal(run, write,
                                                          memmap=path)


@pytest.mark.parametrize("args, message", [
    (["-p", "-e"], "-p with -e: a capture kernel is not executed by hand"),
    (["-S", "--dry-run"], "--dry-run plans a load; it does not go with -S"),
])
def test_crash_options_that_contradict_are_refused(run, args, message):
    r = run(*args, memmap=None, dump=False)
    assert r.rc != 0 and message in r.error_line()


# ---- ppc64le -------------------------------------------------------------
# A pseries guest (2 CPUs, 2 GiB) booted with crashkernel=512M, recorded by
# purgkit-load -p itself (tests/loader/ppc64/qemu-pseries-2G-crash.memmap);
# the device tree is the same machine's, recorded without crashkernel=
# (the loader drops the crashkernel properties anyway).
PPC64_DIR = os.path.join(HERE, "ppc64")
PPC64_MEMMAP = os.path.join(PPC64_DIR, "qemu-pseries-2G-crash.memmap")
PPC64_DTB = os.path.join(PPC64_DIR, "qemu-pseries-2G.dtb")
PPC64_RESERVATION = (0x20000000, 0x40000000)
PPC64_RTAS = (0x2FFF0000, 0x30000000)       # inside the reservation
PPC64_NOTES = [(0, 0x7FDD6C00, 0x218), (1, 0x7FE76C00, 0x218)]
PPC64_VMCOREINFO = (0x72E0000, 0x10024)
# The first bytes of memory the ppc64 trampoline backs up (the contract's).
BACKUP_SIZE = build_targets.constant("PK_PPC64_CRASH_BACKUP_SIZE")
# Every byte of the memory nodes outside the reservation (the old kernel's
# initrd and image, reserved in its map, are in the dump too).
PPC64_LOADS = [(0, BACKUP_SIZE), (BACKUP_SIZE, 0x20000000),
               (0x40000000, 0x80000000)]
KEXEC_ARCH_PPC64 = 21 << 16
RUN_AT_LOAD = 0x5C


def vmlinux(run_at_load=b"run0"[::-1]):
    """A little-endian vmlinux as the loader sees one: FIXUP_ENDIAN at its
    entry, __run_at_load at 0x5c ("run0" in the kernel's byte order for a
    relocatable kernel)."""
    image = bytearray(0x20000)
    image[0:4] = struct.pack("<I", 0x08000048)
    image[RUN_AT_LOAD:RUN_AT_LOAD + 4] = run_at_load
    return elf([(0, bytes(image), 0x40000)], 0, elf_class=64, machine=21)


def ppc64_plan(plan, write, *args, memmap=PPC64_MEMMAP, image=None):
    kernel = write("vmlinux", image or vmlinux())
    return plan("-p", "-l", kernel, "--type=linux", f"--dtb={PPC64_DTB}",
                *args, memmap=memmap)


def big_endian_cells(data, cells):
    return [int.from_bytes(data[i:i + 4 * cells], "big")
            for i in range(0, len(data), 4 * cells)]


def test_ppc64le_crash_plan_is_in_the_reservation_around_rtas(plan, write):
    p = ppc64_plan(plan, write, "--append=console=hvc0")
    assert p["kexec_flags"] == KEXEC_ARCH_PPC64 | KEXEC_ON_CRASH
    crash = p["crash"]
    assert crash["reservation_source"] == PPC64_MEMMAP
    assert [(r["start"], r["end"]) for r in crash["reservations"]] == \
        [PPC64_RESERVATION]
    for s in p["segments"]:
        end = s["dest"] + s["memsz"]
        assert PPC64_RESERVATION[0] <= s["dest"] and \
            end <= PPC64_RESERVATION[1], s
        assert end <= PPC64_RTAS[0] or s["dest"] >= PPC64_RTAS[1], s
    # The capture kernel runs where it is loaded: at the reservation's
    # start, 64 KiB aligned.
    kernel, _ = segment_bytes(p, "kernel")
    assert kernel["dest"] == PPC64_RESERVATION[0]
    assert p["payload_entry"] == kernel["dest"]


def test_ppc64le_capture_kernel_runs_where_loaded(plan, write):
    p = ppc64_plan(plan, write)
    _, image = segment_bytes(p, "kernel")
    assert struct.unpack_from("<I", image, RUN_AT_LOAD)[0] == 1
    # kexec's copy to 0 (the trampoline's first 0x100 bytes) carries the
    # same word, so the kernel's low code agrees with itself.
    _, tramp = segment_bytes(p, "trampoline linux")
    assert struct.unpack_from("<I", tramp, RUN_AT_LOAD)[0] == 1


def test_ppc64le_backup_region_and_the_header_that_points_at_it(plan,
                                                                write):
    p = ppc64_plan(plan, write)
    backup = [s for s in p["segments"]
              if s["what"] == "backup of the first 64 KiB"]
    assert len(backup) == 1
    backup = backup[0]
    assert backup["memsz"] == BACKUP_SIZE and backup["bufsz"] == 0
    assert not backup["verify"], "written by the trampoline at the panic"
    patches = {x["symbol"]: x["value"] for x in p["patches"]
               if "value" in x}
    assert patches["pk_crash_backup"] == backup["dest"]
    assert p["crash"]["backup"] == {"address": backup["dest"],
                                    "size": BACKUP_SIZE}

    segment, header = segment_bytes(p, "ELF core header")
    info = p["crash"]["elfcorehdr"]
    assert info["address"] == segment["dest"] and segment["verify"]
    e_type, e_machine, phdrs = program_headers(header)
    assert (e_type, e_machine) == (4, 21)        # ET_CORE, EM_PPC64
    notes = [ph for ph in phdrs if ph[0] == PT_NOTE]
    loads = [ph for ph in phdrs if ph[0] == PT_LOAD]
    assert notes == [(PT_NOTE, a, a, n, n) for _, a, n in PPC64_NOTES] + \
        [(PT_NOTE, PPC64_VMCOREINFO[0], PPC64_VMCOREINFO[0],
          PPC64_VMCOREINFO[1], PPC64_VMCOREINFO[1])]
    # The first 64 KiB are read from the backup (p_offset), the rest from
    # where they are.
    assert loads[0] == (PT_LOAD, backup["dest"], 0, BACKUP_SIZE,
                        BACKUP_SIZE)
    assert loads[1:] == [(PT_LOAD, s, s, e - s, e - s)
                         for s, e in PPC64_LOADS[1:]]
    assert [(l["start"], l["end"]) for l in info["loads"]] == PPC64_LOADS
    assert p["command_line"].endswith(f"elfcorehdr={info['address']:#x}")


def test_ppc64le_dump_is_read_by_virtual_address_at_page_offset(plan,
                                                               write):
    p = ppc64_plan(plan, write)
    _, header = segment_bytes(p, "ELF core header")
    # ppc64's linear map is not randomized, and holds the kernel image:
    # no PT_LOAD of its own for it.
    assert p["crash"]["elfcorehdr"]["kernel_image"] is None
    assert [(v, pa) for v, pa, _, _ in virtual_addresses(header)] == \
        [(0xC000000000000000 + s, s) for s, _ in PPC64_LOADS]


def dts_of(blob_path):
    if not shutil.which("dtc"):
        pytest.fail("dtc is not installed (device-tree-compiler)",
                    pytrace=False)
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", blob_path],
                          check=True, capture_output=True, text=True).stdout


def memreserve(base, size):
    return f"/memreserve/\t0x{base:016x} 0x{size:016x};"


def test_ppc64le_capture_device_tree_is_confined_to_the_reservation(
        plan, write):
    p = ppc64_plan(plan, write, "--append=console=hvc0")
    tree, _ = segment_bytes(p, "device tree")
    dts = dts_of(os.path.join(p["_result"].dump_dir,
                              f"segment-{tree['index']}.bin"))
    assert f'bootargs = "{p["command_line"]}";' in dts
    assert "linux,crashkernel" not in dts
    # From 0 (the kernel sizes its real-mode area by its first memory
    # block) to the reservation's end; the rest is the dump's.
    assert "linux,usable-memory = <0x00 0x00 0x00 0x40000000>;" in dts
    assert [(r["start"], r["end"]) for r in p["crash"]["capture_memmap"]] \
        == [(0, PPC64_RESERVATION[1])]
    info = p["crash"]["elfcorehdr"]
    backup = [s for s in p["segments"] if s["what"].startswith("backup")][0]
    # The old kernel's memory between the backed-up bytes and the
    # reservation, the backup and the header are not the capture
    # kernel's to use; RTAS stays reserved as in every plan.
    assert memreserve(BACKUP_SIZE, PPC64_RESERVATION[0] - BACKUP_SIZE) in dts
    assert memreserve(backup["dest"], BACKUP_SIZE) in dts
    assert memreserve(info["address"], info["size"]) in dts
    assert f"/memreserve/\t0x{PPC64_RTAS[0]:016x} " in dts


def ppc64_refusal(run, write, *args, memmap=PPC64_MEMMAP, image=None):
    r = run("--dry-run", "-p", "-l", write("vmlinux", image or vmlinux()),
            "--type=linux", f"--dtb={PPC64_DTB}", *args, memmap=memmap)
    assert r.rc != 0
    assert len(r.stderr.strip().splitlines()) <= 2, r.stderr
    return r.error_line()


def ppc64_without(lines_starting, extra=b""):
    with open(PPC64_MEMMAP, "rb") as f:
        return b"".join(l for l in f
                        if not l.startswith(lines_starting)) + extra


def test_ppc64le_crash_plan_text_names_the_backup(run, write):
    r = run("--dry-run", "-p", "-l", write("vmlinux", vmlinux()),
            "--type=linux", f"--dtb={PPC64_DTB}", memmap=PPC64_MEMMAP)
    assert r.rc == 0, r.stderr
    assert ("crash (-p): 1 reservation(s) from " + PPC64_MEMMAP +
            ", segments in 0x20000000-0x3fffffff") in r.stdout
    assert "2 CPU note(s), VMCOREINFO yes, 3 PT_LOAD(s) of RAM" in r.stdout
    assert "backup: 0x10000 bytes from 0 copied to 0x3fff0000 by the " \
        "trampoline (the dump reads them there)" in r.stdout


def test_x86_64_crash_plan_has_no_backup(plan, write):
    assert crash_plan(plan, write)["crash"]["backup"] is None


def test_ppc64le_trampoline_without_the_backup_is_refused(run, write,
                                                          tmp_path):
    """A --purgatory written before the crash path (its linux symbols but
    no pk_crash_backup) still boots a normal kernel, but not under -p."""
    linux_ro = os.path.join(HERE, "..", "..", "build", "ppc64le",
                            "trampolines", "linux.ro")
    if not os.path.isfile(linux_ro):
        pytest.fail(f"{linux_ro} is missing: run `make`", pytrace=False)
    old = tmp_path / "old-linux.ro"
    subprocess.run(["powerpc64le-linux-gnu-objcopy", "--redefine-sym",
                    "pk_crash_backup=pk_something_else", linux_ro, str(old)],
                   check=True)
    line = ppc64_refusal(run, write, f"--purgatory={old}")
    assert f"-p: trampoline {old} has no pk_crash_backup, so nothing would " \
        "copy the first 0x10000 bytes of memory away before the capture " \
        "kernel overwrites them" in line
    r = run("--dry-run", "-l", write("vmlinux", vmlinux()), "--type=linux",
            f"--dtb={PPC64_DTB}", f"--purgatory={old}",
            memmap=os.path.join(PPC64_DIR, "qemu-pseries-2G.memmap"))
    assert r.rc == 0, r.stderr


def test_ppc64le_kernel_that_is_not_relocatable_is_refused(run, write):
    line = ppc64_refusal(run, write, image=vmlinux(run_at_load=b"\0" * 4))
    assert "not a relocatable kernel (no \"run0\" at __run_at_load, " \
        "offset 0x5c)" in line
    assert "a capture kernel must run in the crash reservation" in line


def test_ppc64le_reservation_above_the_real_mode_limit_is_refused(run,
                                                                  write):
    memmap = write("m", ppc64_without(
        (b"crash-kernel", b"real-mode-limit"),
        b"real-mode-limit 0x30000000\ncrash-kernel 0x20000000 0x3fffffff\n"))
    line = ppc64_refusal(run, write, memmap=memmap)
    assert "crash reservation 0x20000000-0x3fffffff" in line
    assert "ends above the real-mode limit 0x30000000" in line


# ---- every recorded machine ---------------------------------------------
# The crash path's refusals every architecture makes, on each machine
# recorded above: how a crash load runs there (refusal), its memory map
# less some lines (without), the crashkernel= its refusal suggests, and a
# capture kernel too large for its reservation (too_large: the refusal's
# line, and the reservation it names).
MACHINES = {
    "x86_64": dict(
        refusal=refusal, without=without, crashkernel="256M",
        too_large=lambda run, write: refusal(
            run, write, image=bzimage(init_size=0x10000000)[0]),
        reservation="0x5f000000-0x6effffff"),
    "ppc64le": dict(
        refusal=ppc64_refusal, without=ppc64_without, crashkernel="512M",
        too_large=lambda run, write: ppc64_refusal(run, write, memmap=write(
            "m", ppc64_without(b"crash-kernel",
                               b"crash-kernel 0x20000000 0x2001ffff\n"))),
        reservation="0x20000000-0x2001ffff"),
}


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_no_reservation_is_refused_saying_how_to_make_one(run, write,
                                                          machine):
    m = MACHINES[machine]
    line = m["refusal"](run, write,
                        memmap=write("m", m["without"](b"crash-kernel")))
    assert "no crash reservation: memory map" in line
    assert "has no 'crash-kernel START END' line" in line
    assert f"crashkernel={m['crashkernel']}" in line


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_no_crash_notes_is_refused(run, write, machine):
    m = MACHINES[machine]
    line = m["refusal"](run, write,
                        memmap=write("m", m["without"](b"crash-notes")))
    assert "no crash notes exported" in line


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_capture_kernel_larger_than_the_reservation_is_refused(run, write,
                                                               machine):
    m = MACHINES[machine]
    line = m["too_large"](run, write)
    assert "no room for" in line
    assert f"crash reservation {m['reservation']}" in line
    assert "a larger crashkernel= makes room" in line
