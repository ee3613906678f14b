# SPDX-License-Identifier: MIT
"""The target table and the contract, for every test module, read from
what the build wrote rather than typed again in Python.

build/targets.json is written by mk/targets.mk from the target rows
(mk/targets/<target>.mk): every target ("all") and, per target, its
architecture family ("arch"), cross prefix, freestanding flags, triplet,
Debian architecture, linker format, qemu-user program, whether it has
static tools, byte order and page size.  build/host/contract.json is
printed from the contract's lists (sdk/gen/contract-json.c).

A test that needs knowledge the rows do not hold (an instruction to
forbid, a code model to try) keeps a table keyed by target or family and
reads it through row(): a target without a row is then a failing test
that names the table and the target, never a silent skip and never
another architecture's row.

    from build_targets import TARGETS, arch, built_targets, row
"""
import json
import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("PURGKIT_BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD


def _read(path, how):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        raise RuntimeError(f"{path} does not exist: run `make` first "
                           f"({how})") from None


# Read once, at import: a test module's parameters come from it.
TABLE = _read(BUILD / "targets.json", "mk/targets.mk writes it")
# Every target that has a row, sorted (mk/targets/<target>.mk).
TARGETS = tuple(TABLE["all"])
# The architecture families of those rows, sorted.
FAMILIES = tuple(sorted(set(TABLE["arch"].values())))


def contract():
    """build/host/contract.json: the trampoline<->loader contract."""
    return _read(BUILD / "host" / "contract.json",
                 "sdk/gen/contract-json.c prints it")


def constant(name):
    """One of the contract's constants (PK_*), by name."""
    return contract()["constants"][name]


def arch(target):
    """The architecture family of target (its folders' name)."""
    return TABLE["arch"][target]


def cross_compile(target):
    """The compiler prefix for target: "" when the host is the target."""
    return TABLE["cross_compile"][target]


def fact(name, target):
    """Any per-target fact of build/targets.json: triplet, deb_arch,
    linker_format, qemu_user, static_tools, big_endian, page_size."""
    return TABLE[name][target]


def page_size(target):
    return TABLE["page_size"][target]


def big_endian(target):
    return bool(TABLE["big_endian"][target])


def byteorder(target):
    """"big" or "little", as int.from_bytes takes it."""
    return "big" if big_endian(target) else "little"


def struct_order(target):
    """">" or "<", as struct.unpack takes it."""
    return ">" if big_endian(target) else "<"


def native(target):
    """Does target's code run here without qemu-user?"""
    return cross_compile(target) == ""


def have_compiler(target):
    return shutil.which(cross_compile(target) + "gcc") is not None


def built_targets():
    """The targets this build made (their SDK library exists), in table
    order."""
    return tuple(t for t in TARGETS
                 if (BUILD / t / "libpurgkit.a").is_file())


def targets_of(family):
    """The targets of one architecture family."""
    return tuple(t for t in TARGETS if arch(t) == family)


def missing_rows(table, keys):
    """The keys (targets or families) that table has no row for."""
    return [k for k in keys if k not in table]


def row(table, name, key):
    """table[key]; a missing row fails the test, naming the table (name:
    where it is, e.g. "tests/relocator/reloclib.py MODELS") and the key,
    so that a new target row is met by a failure, not by a skip or by
    another architecture's facts."""
    if key not in table:
        pytest.fail(f"{name} has no row for {key!r} (rows: "
                    f"{', '.join(sorted(table))}): a target row in "
                    f"mk/targets/ needs one here too", pytrace=False)
    return table[key]
