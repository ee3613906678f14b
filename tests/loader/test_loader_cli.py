# SPDX-License-Identifier: MIT
"""Options, the memory map file, the plan's output, and refusals."""
import hashlib
import json
import os
import subprocess

import build_targets
import payloads
from loader_support import ROOT, loader_path, patch
from test_multiboot import segment

# The console bits and the serial defaults, from the contract's one
# source (build/host/contract.json, printed from purgkit/console.h).
CONTRACT = build_targets.contract()
CONSOLE_MASK = {name: console["mask"]
                for name, console in CONTRACT["consoles"].items()}
SERIAL_DEFAULT_PORT = CONTRACT["constants"]["PK_SERIAL_DEFAULT_PORT"]
SERIAL_DEFAULT_BAUD = CONTRACT["constants"]["PK_SERIAL_DEFAULT_BAUD"]


def test_help_and_version(run):
    r = run("--help", memmap=None, dump=False)
    assert r.rc == 0 and "--dry-run" in r.stdout and "multiboot2" in r.stdout
    r = run("--version", memmap=None, dump=False)
    assert r.rc == 0 and r.stdout.startswith("purgkit-load ")


def test_text_plan_names_everything(run, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    r = run("--dry-run", "-l", kernel, dump=False)
    assert r.rc == 0, r.stderr
    assert "detected payload type 'multiboot'" in r.stderr
    for word in ("kexec entry", "pk_multiboot_entry", "sha256",
                 "multiboot information", "trampoline multiboot"):
        assert word in r.stdout


def test_console_options_patched(plan, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    p = plan("-l", kernel, "--console=serial,0x2f8,9600",
             "--console=debugcon", "--console=memlog")
    assert patch(p, "pk_console_mask")["value"] == (
        CONSOLE_MASK["serial"] | CONSOLE_MASK["debugcon"] |
        CONSOLE_MASK["memlog"])
    assert patch(p, "pk_serial_port")["value"] == 0x2F8
    assert patch(p, "pk_serial_baud")["value"] == 9600
    log = segment(p, "memory log")
    assert not log["verify"] and log["bufsz"] == 0
    assert patch(p, "pk_memlog_base")["value"] == log["dest"]
    assert patch(p, "pk_memlog_size")["value"] == log["memsz"]


def test_console_none_and_default(plan, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    assert patch(plan("-l", kernel, "--console=none"),
                 "pk_console_mask")["value"] == 0
    # x86_64's default console (the memory map is an x86_64 PC's): the
    # serial port, at the contract's defaults.
    p = plan("-l", kernel)
    assert patch(p, "pk_console_mask")["value"] == CONSOLE_MASK["serial"]
    assert patch(p, "pk_serial_port")["value"] == SERIAL_DEFAULT_PORT
    assert patch(p, "pk_serial_baud")["value"] == SERIAL_DEFAULT_BAUD


def test_no_checks_and_set(plan, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    p = plan("-l", kernel, "--no-checks", "--set", "pk_timebase_hz=38400")
    assert patch(p, "pk_verify_enabled")["value"] == 0
    assert patch(p, "pk_timebase_hz")["value"] == 38400


def test_set_unknown_symbol_refused(run, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    r = run("--dry-run", "-l", kernel, "--set", "pk_no_such=1")
    assert r.rc != 0 and "pk_no_such" in r.error_line()


def test_corrupt_segment_hook_breaks_the_digest(run, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    r = run("--dry-run", "--json", "-l", kernel, "--test-corrupt-segment=0")
    assert r.rc == 0, r.stderr
    p = json.loads(r.stdout)
    s = p["segments"][0]
    data = r.segment_bytes(0)
    ok = json.loads(run("--dry-run", "--json", "-l", kernel).stdout)
    assert ok["verify"]["digest"] == p["verify"]["digest"]
    assert hashlib.sha256(data).hexdigest() != ok["segments"][0]["sha256"]


def test_memmap_file_errors(run, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    bad = write("bad.memmap", b"0x1000 zzz System RAM\n")
    r = run("--dry-run", "-l", kernel, memmap=bad)
    assert r.rc != 0 and ("bad.memmap:1: end 'zzz' is not hex with 0x"
                          in r.error_line())
    overlap = write("o.memmap", b"0x0 0x2fffff System RAM\n"
                    b"0x100000 0x1fffff Reserved\n")
    r = run("--dry-run", "-l", kernel, memmap=overlap)
    assert r.rc != 0 and "overlaps" in r.error_line()
    # A range without 0x (even one with no hex letter, which decimal
    # would read), or a misspelt key, is refused, not ignored.
    typo = write("t.memmap", b"0x0 0x9fbff System RAM\n"
                 b"100000 0xfffff Reserved\n")
    r = run("--dry-run", "-l", kernel, memmap=typo)
    assert r.rc != 0 and ("t.memmap:2: start '100000' is not hex with 0x"
                          ) in r.error_line()
    key = write("k.memmap", b"0x0 0x9fbff System RAM\n"
                b"pgae-size 0x1000\n")
    r = run("--dry-run", "-l", kernel, memmap=key)
    assert r.rc != 0 and ("k.memmap:2: 'pgae-size' is neither a range "
                          "(START END TYPE, in hex) nor one of arch, "
                          "page-size,") in r.error_line()
    # A misspelt memory type is refused too: "System Ram" read as
    # Reserved would silently move every segment.
    kind = write("y.memmap", b"0x0 0x9fbff System Ram\n")
    r = run("--dry-run", "-l", kernel, memmap=kind)
    assert r.rc != 0 and ("y.memmap:1: memory type 'System Ram' is not one "
                          "of System RAM, Reserved,") in r.error_line()


def test_arch_from_memmap_must_match(run, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    r = run("--dry-run", "--arch=ppc64le", "-l", kernel)
    assert r.rc != 0 and "is for x86_64, not ppc64le" in r.error_line()


def test_refusals_are_one_line(run, write):
    cases = [
        (["-l", "/nonexistent"], "payload /nonexistent: No such file"),
        (["-l", write("empty", b"")], "the file is empty"),
        (["-l", write("junk", b"junk" * 100)],
         "cannot tell what kind of payload"),
        (["--type=bogus", "-l", write("j", b"x")],
         "--type=bogus is not a payload type"),
        (["-l", write("t.elf", payloads.multiboot1_elf()[:0x80])],
         "is past the end of the"),
        ([], "nothing to do"),
        (["--console=telepathy", "-l", "x"], "unknown console"),
        (["-u", "--dry-run"], "does not go with"),
    ]
    for args, message in cases:
        r = run("--dry-run", *args) if args and args[0] != "-u" else run(*args)
        assert r.rc != 0, args
        assert message in r.error_line(), (args, r.stderr)


def loader_sources():
    """What the host loader is compiled from: loader/'s generic files, the
    folders of the families that have a target row (another family's
    files are inert until its row lands), and the headers it includes."""
    folders = [os.path.join(ROOT, "loader")] + [
        os.path.join(ROOT, "loader", f) for f in build_targets.FAMILIES] + [
        os.path.join(ROOT, "sdk", "include", "purgkit"),
        os.path.join(ROOT, "relocator", "include", "purgkit"),
        os.path.join(ROOT, "trampolines", "include", "purgkit")]
    return [os.path.join(folder, name) for folder in folders
            for name in os.listdir(folder) if name.endswith((".c", ".h"))]


def test_loader_binary_is_the_tested_one():
    """The loader these tests run is this tree's: the ASan build (unless
    PURGKIT_LOAD names another), no older than any source it is compiled
    from (an edit without `make` would test the old code), and saying
    this tree's version."""
    path = loader_path()
    assert os.access(path, os.X_OK), f"{path} is not an executable"
    if "PURGKIT_LOAD" not in os.environ:
        assert os.path.samefile(
            path, build_targets.BUILD / "host-asan" / "bin" / "purgkit-load")
        with open(path, "rb") as f:
            assert b"__asan_init" in f.read(), \
                f"{path} is not built with AddressSanitizer"
    built = os.path.getmtime(path)
    newer = [s for s in loader_sources() if os.path.getmtime(s) > built]
    assert not newer, f"{path} is older than {newer}: run `make`"
    version = subprocess.run([os.path.join(ROOT, "scripts", "version")],
                             capture_output=True, text=True,
                             check=True).stdout.strip()
    r = subprocess.run([path, "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and \
        r.stdout.split()[:2] == ["purgkit-load", version], r.stdout
