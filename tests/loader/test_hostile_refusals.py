# SPDX-License-Identifier: MIT
"""Hostile input, second round (issue 10): each class of bad input is
refused promptly with one line naming the input, the field and the value,
and a non-zero exit; nothing blocks, nothing is left behind.  Each test's
name says what the user sees."""
import json
import os
import struct
import subprocess
import sys
import time

import pytest

import payloads
from loader_support import X86_MEMMAP, loader_path

PPC_MEMMAP = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "ppc64", "qemu-pseries-2G.memmap")


def mb1(write):
    return write("k.elf", payloads.multiboot1_elf())


def loader(*args, memmap=X86_MEMMAP, timeout=20, **kw):
    cmd = [loader_path()] + ([f"--memmap={memmap}"] if memmap else [])
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True,
                          timeout=timeout, **kw)


def one_line(proc):
    assert proc.returncode != 0
    err = proc.stderr.decode(errors="replace") if isinstance(
        proc.stderr, bytes) else proc.stderr
    lines = [l for l in err.splitlines() if "detected payload type" not in l]
    assert len(lines) == 1, err
    assert lines[0].startswith("purgkit-load: "), lines[0]
    return lines[0]


# ---- files: bounded, never blocking --------------------------------------

def test_fifo_payload_is_refused_at_once_as_not_a_regular_file(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    start = time.monotonic()
    line = one_line(loader("--dry-run", "-l", fifo, timeout=10))
    assert time.monotonic() - start < 5
    assert f"payload {fifo}: is a FIFO or pipe, not a regular file" in line


@pytest.mark.parametrize("option", ["--initrd", "--dtb", "--memmap"])
def test_directory_or_device_as_input_file_is_refused(tmp_path, write,
                                                      option):
    kernel = mb1(write)
    if option == "--memmap":
        line = one_line(loader("--dry-run", "-l", kernel,
                               "--memmap=/dev/zero", memmap=None))
        assert "memory map /dev/zero: is a character device" in line
        return
    # The option itself is refused for this type before anything is read;
    # the regular-file rule is tested for the payload below.
    line = one_line(loader("--dry-run", f"{option}={tmp_path}", "-l",
                           kernel))
    assert "is not used by payload type multiboot" in line


def test_payload_from_dev_zero_is_refused_without_reading_it():
    line = one_line(loader("--dry-run", "-l", "/dev/zero", timeout=10))
    assert "payload /dev/zero: is a character device, not a regular " \
           "file" in line


def test_payload_larger_than_the_targets_ram_is_refused(tmp_path, write):
    small = write("small.memmap", b"arch x86_64\n"
                  b"0x0 0x9fbff System RAM\n"
                  b"0x100000 0x1ffffff System RAM\n")
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(64 << 20)  # sparse: costs no disk
    line = one_line(loader("--dry-run", "-l", big, memmap=small))
    assert f"payload {big}: is 67108864 bytes, more than the 0x1f9fc00 " \
           f"bytes of RAM in {small}" in line


def test_set_from_dev_zero_reads_only_the_symbols_size(write):
    start = time.monotonic()
    p = loader("--dry-run", "--json", "-l", mb1(write),
               "--set", "pk_timebase_hz=@/dev/zero", timeout=10)
    assert time.monotonic() - start < 5
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout)
    baud = [x for x in plan["patches"] if x["symbol"] == "pk_timebase_hz"]
    assert baud[-1]["bytes"] == "00" * baud[-1]["size"]


def test_set_from_a_fifo_is_refused_without_blocking(tmp_path, write):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    line = one_line(loader("--dry-run", "-l", mb1(write), "--set",
                           f"pk_timebase_hz=@{fifo}", timeout=10))
    assert f"--set pk_timebase_hz: file {fifo}: is a FIFO or pipe, not a " \
           "regular file or a character device" in line


def test_set_file_of_the_wrong_size_is_refused(write):
    line = one_line(loader("--dry-run", "-l", mb1(write), "--set",
                           "pk_timebase_hz=@" + write("nine", b"x" * 9)))
    assert "nine: is 9 bytes, more than the symbol's 8 bytes" in line


# ---- one integer grammar --------------------------------------------------

@pytest.mark.parametrize("value,why", [
    ("010", "has a leading zero"),
    ("16M", "is not a number"),
    ("0x", "has no digits after 0x"),
    ("-1", "is not a number"),
    ("0x1g", "is not a hex number"),
    ("18446744073709551616", "does not fit in 64 bits"),
])
def test_number_outside_the_one_grammar_is_refused_saying_why(write, value,
                                                               why):
    line = one_line(loader("--dry-run", "--type=raw", f"--address={value}",
                           "-l", write("r.bin", b"\x90" * 16)))
    assert f"--address: '{value}' {why}" in line


@pytest.mark.parametrize("value", ["0", "4096", "0x1000", "0X1000",
                                   "18446744073709551615",
                                   "0xffffffffffffffff"])
def test_number_in_the_one_grammar_is_accepted(write, value):
    p = loader("--dry-run", "--console=none", f"--console=serial,{value}",
               "-l", mb1(write))
    if int(value, 0) > 0xffff:
        assert "is above the last I/O port 0xffff" in one_line(p)
    else:
        assert p.returncode == 0, p.stderr


def test_set_integer_with_a_leading_zero_is_refused(write):
    line = one_line(loader("--dry-run", "-l", mb1(write), "--set",
                           "pk_timebase_hz=0100"))
    assert "--set pk_timebase_hz: integer '0100' has a leading zero" in line


# ---- memory map -------------------------------------------------------------

def test_memmap_range_without_0x_is_refused_even_without_a_hex_letter(write):
    m = write("d.memmap", b"100000 2000000 System RAM\n")
    line = one_line(loader("--dry-run", "-l", mb1(write), memmap=m))
    assert "d.memmap:1: start '100000' is not hex with 0x" in line


@pytest.mark.parametrize("text,expect", [
    (b"0x0 0x9fbff System Ram\n",
     "m.memmap:1: memory type 'System Ram' is not one of System RAM"),
    (b"0x0 0x9fbff System RAM\n0x100000 0x1M System RAM\n",
     "m.memmap:2: end '0x1M' is not a hex number"),
    (b"0x0 0x9fbff System RAM\n0x0100000 0x0fffffff System RAM\n", None),
    (b"0x0 0xffffffffffffffff System RAM\n",
     "m.memmap:1: end 0xffffffffffffffff is the last byte"),
    (b"0x0 0x9fbff System RAM\npage-size 0x200000\n",
     "m.memmap:2: page-size '0x200000' is not a power of two from 4096 "
     "to 0x100000"),
    (b"0x0 0x9fbff System RAM\nkernel-end 010\n",
     "m.memmap:2: kernel-end '010' has a leading zero"),
    (b"0x0 0x9fbff System RAM\nreal-mode-limit 1G\n",
     "m.memmap:2: real-mode-limit '1G' is not a number"),
    (b"0x200000 0x2fffff System RAM\n0x100000 0x1fffff Reserved\n"
     b"0x0 0x2fff System RAM\n0x280000 0x280fff Reserved\n",
     "m.memmap:4: range 0x280000-0x280fff overlaps 0x200000-0x2fffff of "
     "line 1"),
])
def test_memmap_mistake_is_refused_with_file_line_and_value(write, text,
                                                            expect):
    m = write("m.memmap", text)
    p = loader("--dry-run", "-l", mb1(write), memmap=m)
    if expect is None:
        # Leading zeros after 0x are hex digits, as sysfs may write them.
        assert p.returncode == 0, p.stderr
        return
    assert expect in one_line(p)


def test_memmap_of_100000_ranges_parses_in_linear_time(tmp_path, write):
    lines = [b"arch x86_64\n"]
    # Written top-down, the order that made insertion quadratic.
    for i in reversed(range(100000)):
        start = 0x100000000 + i * 0x2000
        kind = b"System RAM" if i % 2 else b"Reserved"
        lines.append(b"0x%x 0x%x %s\n" % (start, start + 0x1fff, kind))
    lines.append(b"0x0 0x9fbff System RAM\n0x100000 0x3ffdffff System RAM\n")
    m = write("big.memmap", b"".join(lines))
    start = time.monotonic()
    p = loader("--dry-run", "-l", mb1(write), memmap=m, timeout=60)
    elapsed = time.monotonic() - start
    assert p.returncode == 0, p.stderr
    assert elapsed < 5, f"{elapsed:.1f} s for 100,000 ranges"


# ---- options the payload type does not use ----------------------------------

@pytest.mark.parametrize("args,option,ptype", [
    (["--initrd=/nonexistent"], "--initrd", "multiboot"),
    (["--dtb=/nonexistent"], "--dtb", "multiboot"),
    (["--address=0x100000"], "--address", "multiboot"),
    (["--entry=0x100000"], "--entry", "multiboot"),
    (["--mode=32"], "--mode", "multiboot"),
    (["--reg", "eax=1"], "--reg", "multiboot"),
    (["--secondary-entry=0x100"], "--secondary-entry", "multiboot"),
])
def test_option_the_payload_type_does_not_use_is_refused_by_name(
        write, args, option, ptype):
    line = one_line(loader("--dry-run", *args, "-l", mb1(write)))
    assert f"{option} is not used by payload type {ptype} on x86_64" in line


def test_module_with_linux_is_refused_by_name(write):
    from test_linux_raw_elf import bzimage
    kernel = write("bz", bzimage()[0])
    line = one_line(loader("--dry-run", "--module=/nonexistent", "-l",
                           kernel))
    assert "--module is not used by payload type linux on x86_64 (it takes " \
           "--initrd, --append/--command-line, --reuse-cmdline, --mode, " \
           "--real-mode, --no-bios-irq-restore)" in line


def test_load_given_twice_is_refused(write):
    k = mb1(write)
    line = one_line(loader("--dry-run", "-l", k, "-l", k))
    assert "-l/--load given twice" in line


def test_unknown_option_prints_one_line_naming_it(write):
    assert "unknown option '--bogus'" in one_line(
        loader("--dry-run", "--bogus", "-l", mb1(write)))
    assert "unknown option '-z'" in one_line(loader("-z"))
    assert "option '--initrd' needs a value" in one_line(
        loader("-l", mb1(write), "--initrd"))


# ---- consoles ----------------------------------------------------------------

@pytest.mark.parametrize("console,expect", [
    ("serial,0x3f8,9600,junk", "serial takes at most PORT and BAUD"),
    ("serial,,9600", "--console=serial port: '' is empty"),
    ("memlog,0x2000000,0x1000", "memlog takes at most an ADDR"),
    ("vga,1", "vga takes no parameters"),
    ("bogus,1", "unknown console 'bogus'"),
    ("hvterm opal", "unknown console 'hvterm opal'"),
])
def test_console_extra_field_is_refused(write, console, expect):
    assert expect in one_line(loader("--dry-run", f"--console={console}",
                                     "-l", mb1(write)))


@pytest.mark.parametrize("address,expect", [
    ("0x100000", "overlaps memory log (--console=memlog,0x100000)"),
    ("0xf0000", "is not in usable RAM"),
    ("0xfffff000", "would end above the 0x100000000 the trampoline can "
                   "write"),
    ("0xffffffffffffffff", "is not a multiple of the page size"),
    ("0x3ffdf000", "overlaps memory log"),
])
def test_memlog_address_on_anything_taken_is_refused(write, address,
                                                     expect):
    assert expect in one_line(loader("--dry-run",
                                     f"--console=memlog,{address}", "-l",
                                     mb1(write)))


def test_memlog_address_becomes_a_segment_of_its_own(write):
    p = loader("--dry-run", "--json", "--console=memlog,0x2000000", "-l",
               mb1(write))
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout)
    log = [s for s in plan["segments"] if s["dest"] == 0x2000000]
    assert len(log) == 1 and "memory log" in log[0]["what"]
    assert not log[0]["verify"] and log[0]["memsz"] == plan["memlog"]["size"]
    assert plan["memlog"]["base"] == 0x2000000


# ---- ELF payloads -------------------------------------------------------------

def test_elf_entry_in_no_pt_load_is_refused(write):
    k = write("e.elf", payloads.elf([(0x100000, b"\x90" * 64, 0x1000)],
                                    0x900000, elf_class=64))
    line = one_line(loader("--dry-run", "--type=elf", "-l", k))
    assert "e_entry 0x900000 lies in no PT_LOAD program header" in line


def test_elf_entry_outside_is_accepted_when_entry_is_given(write):
    k = write("e.elf", payloads.elf([(0x100000, b"\x90" * 64, 0x1000)],
                                    0x900000, elf_class=64))
    p = loader("--dry-run", "--type=elf", "--entry=0x100000", "-l", k)
    assert p.returncode == 0, p.stderr


def test_elf_filesz_larger_than_memsz_is_named_as_such(write):
    data = bytearray(payloads.elf([(0x100000, b"\x90" * 64, 0x1000)],
                                  0x100000, elf_class=64))
    # Program header 0 at 64: p_filesz at +32, p_memsz at +40.
    struct.pack_into("<QQ", data, 64 + 32, 64, 16)
    line = one_line(loader("--dry-run", "--type=elf", "-l",
                           write("f.elf", bytes(data))))
    assert "program header 0: p_filesz 0x40 is larger than p_memsz 0x10" \
        in line


def test_elf_wrapping_program_header_prints_no_wrapped_end(write):
    data = bytearray(payloads.elf([(0x100000, b"\x90" * 64, 0x1000)],
                                  0x100000, elf_class=64))
    struct.pack_into("<Q", data, 64 + 24, 0xfffffffffffff000)  # p_paddr
    line = one_line(loader("--dry-run", "--type=elf", "-l",
                           write("w.elf", bytes(data))))
    assert "p_paddr 0xfffffffffffff000 + p_memsz 0x1000 wraps around" in line


# ---- output -----------------------------------------------------------------

def test_json_plan_to_a_full_disk_exits_non_zero(write):
    with open("/dev/full", "w") as full:
        p = subprocess.run([loader_path(), f"--memmap={X86_MEMMAP}",
                            "--dry-run", "--json", "-l", mb1(write)],
                           stdout=full, stderr=subprocess.PIPE, text=True,
                           timeout=20)
    assert p.returncode != 0
    assert "standard output: write failed: No space left on device" in \
        p.stderr


def test_plan_to_a_closed_stdout_exits_non_zero(write):
    p = subprocess.run(["sh", "-c", '"$@" >&-', "sh", loader_path(),
                        f"--memmap={X86_MEMMAP}", "--dry-run", "-l",
                        mb1(write)], capture_output=True, text=True,
                       timeout=20)
    assert p.returncode != 0
    assert "standard output is closed" in p.stderr


def test_json_is_valid_utf8_whatever_bytes_the_command_line_holds(write):
    p = subprocess.run([os.fsencode(loader_path()),
                        os.fsencode(f"--memmap={X86_MEMMAP}"), b"--dry-run",
                        b"--json", b"--append=a\xff\xfe\xc0\x80b\xe2\x82",
                        b"-l", os.fsencode(mb1(write))],
                       capture_output=True, timeout=20)
    assert p.returncode == 0, p.stderr
    plan = json.loads(p.stdout.decode("utf-8"))  # strict UTF-8
    assert plan["command_line"] == "a\ufffd\ufffd\ufffd\ufffdb\ufffd\ufffd"


def test_help_to_a_full_disk_exits_non_zero():
    with open("/dev/full", "w") as full:
        p = subprocess.run([loader_path(), "--help"], stdout=full,
                           stderr=subprocess.PIPE, timeout=20)
    assert p.returncode != 0


def test_trampoline_error_names_the_trampoline_once(tmp_path, write):
    line = one_line(loader("--dry-run", "-l", mb1(write), "--set",
                           "nosuch=1"))
    assert line == ("purgkit-load: trampoline multiboot: cannot patch "
                    "'nosuch': no such symbol")
    fifo = tmp_path / "p.ro"
    os.mkfifo(fifo)
    line = one_line(loader("--dry-run", "-l", mb1(write),
                           f"--purgatory={fifo}", timeout=10))
    assert line == (f"purgkit-load: trampoline {fifo}: is a FIFO or pipe, "
                    "not a regular file")


@pytest.mark.parametrize("kind", ["multiboot", "multiboot2"])
def test_multiboot_elf_entry_in_no_pt_load_is_refused(write, kind):
    """One rule for every type that loads an ELF: e_entry must be loaded."""
    data = bytearray(payloads.multiboot1_elf() if kind == "multiboot"
                     else payloads.multiboot2_elf())
    struct.pack_into("<I", data, 24, 0x900000)  # ELF32 e_entry
    line = one_line(loader("--dry-run", f"--type={kind}", "-l",
                           write("k.elf", bytes(data))))
    assert "e_entry 0x900000 lies in no PT_LOAD program header" in line


def ppc64le_kernel():
    """The Debian ppc64el vmlinux the ppc64 plan tests use."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))), "tools"))
    from purgkit_run import cli
    from purgkit_run.arches import ARCHES
    from purgkit_run.kernel import KernelError, fetch_kernel
    try:
        return fetch_kernel(ARCHES["ppc64le"], cli.default_cache_dir())
    except KernelError as error:
        pytest.fail(f"no Debian ppc64el kernel to plan with: {error}",
                    pytrace=False)


def test_device_tree_whose_reserve_map_has_no_end_is_refused(write):
    """Found by `make fuzz`: libfdt moved such a tree with a negative
    size.  Its reserve map starts inside the structure block."""
    seed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz",
                        "seeds", "devtree", "crash-overlapping-blocks.dtb")
    line = one_line(loader("--dry-run", "--type=linux", f"--dtb={seed}",
                           "-l", ppc64le_kernel(), memmap=PPC_MEMMAP))
    assert f"device tree {seed}: the reserve map at off_mem_rsvmap 0x4028 " \
           "has no end in the blob" in line


def test_device_tree_reserve_entry_that_wraps_is_refused(write):
    dtb = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz",
                       "seeds", "devtree", "qemu-pseries-2G-packed.dtb")
    data = bytearray(open(dtb, "rb").read())
    rsv, = struct.unpack_from(">I", data, 16)
    # The packed tree's reserve map is one (0, 0) end entry: make it a
    # wrapping entry followed by the end (the structure block moves on).
    data[rsv:rsv] = struct.pack(">QQ", 0xfffffffffffff000, 0x2000)
    for field in (8, 12):  # off_dt_struct, off_dt_strings
        off, = struct.unpack_from(">I", data, field)
        if off > rsv:
            struct.pack_into(">I", data, field, off + 16)
    struct.pack_into(">I", data, 4, len(data))  # totalsize
    bad = write("wrap.dtb", bytes(data))
    line = one_line(loader("--dry-run", "--type=linux", f"--dtb={bad}",
                           "-l", ppc64le_kernel(), memmap=PPC_MEMMAP))
    assert f"device tree {bad}: /memreserve/ entry 0 " \
           "0xfffffffffffff000+0x2000 wraps around the address space" in line
