# SPDX-License-Identifier: MIT
"""Refusals that teach (issue 20): a trampoline of one's own that lacks a
symbol of the contract, or defines one at another size, is refused with
what needs it and how to define it; a --set or --reg typo gets the name
that was meant."""

import os
import subprocess

import pytest

import build_targets

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
MB1 = os.path.join(BUILD, "payloads", "x86_64", "multiboot.elf")


def built(relative):
    path = os.path.join(BUILD, relative)
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: run `make all test-outputs`",
                    pytrace=False)
    return path


def own_trampoline(tmp_path, source):
    """A user's x86_64 trampoline from C source, linked as
    PURGKIT_LINK_RO links it (the build's own flags and script)."""
    c = tmp_path / "own.c"
    c.write_text(source)
    obj, ro = tmp_path / "own.o", tmp_path / "own.ro"
    subprocess.run(["gcc", *build_targets.fact("cflags", "x86_64").split(),
                    "-Itrampolines/include", "-c", "-o", str(obj), str(c)],
                   cwd=ROOT, check=True)
    subprocess.run(["ld", "-r", "--gc-sections", "-T",
                    built("linker/x86_64.lds"), "-u", "pk_entry", "-o",
                    str(ro), str(obj), built("x86_64/libpurgkit.a")],
                   check=True)
    return str(ro)


def test_a_missing_contract_symbol_names_its_payload_type_and_the_fix(
        run, tmp_path):
    ro = tmp_path / "no-info.ro"
    subprocess.run(["objcopy", "--redefine-sym",
                    "pk_multiboot_info=pk_something_else",
                    built("x86_64/trampolines/multiboot.ro"), str(ro)],
                   check=True)
    r = run("--dry-run", "-l", built("payloads/x86_64/multiboot.elf"),
            f"--purgatory={ro}")
    assert r.rc != 0
    assert r.error_line() == (
        f"purgkit-load: trampoline {ro} has no 'pk_multiboot_info', which "
        "payload type multiboot writes: define it in the trampoline with "
        "PK_PATCH_DEFINE(pk_multiboot_info) = 0; (#include "
        "<purgkit/trampolines.h>; as the built-in x86_64/multiboot)")


def test_an_integer_contract_symbol_of_another_size_is_refused(run,
                                                               tmp_path):
    """patch.h: a patch of another size is refused.  A trampoline that
    defines pk_multiboot_info as 8 bytes (the contract's is uint32_t)
    would get half a value; it is refused, naming both sizes."""
    ro = own_trampoline(tmp_path, """
#include <purgkit/purgkit.h>
PK_PATCHABLE uint32_t pk_multiboot_entry = 0;
PK_PATCHABLE uint64_t pk_multiboot_info = 0;	/* the contract: uint32_t */
void pk_trampoline_main(void) { pk_panic("not reached"); }
""")
    r = run("--dry-run", "-l", built("payloads/x86_64/multiboot.elf"),
            f"--purgatory={ro}")
    assert r.rc != 0
    assert r.error_line() == (
        f"purgkit-load: trampoline {ro} defines 'pk_multiboot_info' as 8 "
        "bytes; the contract (purgkit/trampolines.h) makes it uint32_t, 4 "
        "bytes: define it with PK_PATCH_DEFINE(pk_multiboot_info)")


def test_the_same_trampoline_at_the_contracts_sizes_loads(run, tmp_path):
    """The refusal above is about the size, nothing else: the same file
    with the contract's types plans."""
    ro = own_trampoline(tmp_path, """
#include <purgkit/purgkit.h>
#include <purgkit/trampolines.h>
PK_PATCH_DEFINE(pk_multiboot_entry) = 0;
PK_PATCH_DEFINE(pk_multiboot_info) = 0;
void pk_trampoline_main(void) { pk_panic("not reached"); }
""")
    r = run("--dry-run", "-l", built("payloads/x86_64/multiboot.elf"),
            f"--purgatory={ro}")
    assert r.rc == 0, r.stderr


@pytest.mark.parametrize("typed, meant", [
    ("pk_multiboot_inf", "pk_multiboot_info"),
    ("PK_SERIAL_BAUD", "pk_serial_baud"),
])
def test_a_set_typo_suggests_the_nearest_patchable_name(run, typed, meant):
    r = run("--dry-run", "-l", built("payloads/x86_64/multiboot.elf"),
            "--set", f"{typed}=1")
    assert r.rc != 0
    assert r.error_line() == (
        f"purgkit-load: trampoline multiboot: cannot patch '{typed}': no "
        f"such symbol; did you mean '{meant}'?")


def test_a_set_of_a_name_near_nothing_suggests_nothing(run):
    r = run("--dry-run", "-l", built("payloads/x86_64/multiboot.elf"),
            "--set", "completely_unrelated=1")
    assert r.error_line() == ("purgkit-load: trampoline multiboot: cannot "
                              "patch 'completely_unrelated': no such symbol")


@pytest.mark.parametrize("mode, typed, meant", [
    (64, "rxa", "rax"), (32, "rax", "eax"), (16, "espp", "esp")])
def test_an_x86_64_reg_typo_suggests_the_register(run, write, mode, typed,
                                                   meant):
    r = run("--dry-run", "--type=raw", "--address=0x8000",
            f"--mode={mode}", "--reg", f"{typed}=1", "-l",
            write("x", b"x" * 16))
    assert r.rc != 0
    assert r.error_line().endswith(
        f"--reg {typed}: not a register of the {mode}-bit hand-off; did you "
        f"mean '{meant}'?")


PPC64_DIR = os.path.join(ROOT, "tests", "loader", "ppc64")


@pytest.mark.parametrize("typed, hint", [
    ("msr-le", "; did you mean 'msr_le'?"),
    ("r11", ""),        # a register, just not one raw sets: no "r1?"
])
def test_a_ppc64_reg_typo_suggests_the_register(run, typed, hint):
    r = run("--dry-run", "--type=elf", "--dtb",
            os.path.join(PPC64_DIR, "qemu-pseries-2G.dtb"), "--reg",
            f"{typed}=1", "-l", built("payloads/ppc64/payload-le.elf"),
            memmap=os.path.join(PPC64_DIR, "qemu-pseries-2G.memmap"))
    assert r.rc != 0
    assert r.error_line() == (f"purgkit-load: --reg {typed}: ppc64 raw "
                              f"sets r1, r3..r10 and msr_le{hint}")
