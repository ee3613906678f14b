# SPDX-License-Identifier: MIT
"""A target is one row, mk/targets/<target>.mk, and its family's folders
(docs/architecture.md has the checklist).  Whoever adds one and forgets a
fact or a part must be told by make, naming what is missing, before
anything is built: here, in a copy of the tree with one extra row, `make
-n` must fail with mk/targets.mk's line for each fact and each part."""
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def make_variable_list(name):
    """The words of `NAME := ...` in mk/targets.mk (continuation lines
    joined): what the checks there iterate over."""
    text = (ROOT / "mk" / "targets.mk").read_text().replace("\\\n", " ")
    m = re.search(r"^%s\s*:?=(.*)$" % name, text, re.M)
    assert m, f"mk/targets.mk sets no {name}"
    return m.group(1).split()


FACTS = make_variable_list("PK_TARGET_FACTS")
# sdk/lib/<f>/arch.mk linker/<f>.lds.S ... with <f> = $(1)
PARTS = make_variable_list("PK_FAMILY_PARTS")
# A target row to copy (any: each existing row's family has every part).
MODEL = sorted(ROOT.glob("mk/targets/*.mk"))[0].stem


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the tree's tracked files (no build/, no .cache/)."""
    copy = tmp_path_factory.mktemp("tree")
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"],
                            capture_output=True, check=True).stdout
    for name in listed.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def make_n(tree):
    """`make -n` in tree: (exit status, its error line)."""
    out = subprocess.run(["make", "-n", "-C", tree, "all"],
                         capture_output=True, text=True, timeout=120)
    errors = [l for l in out.stderr.splitlines() if "***" in l]
    return out.returncode, errors[0] if errors else out.stderr


def write_row(tree, target, family, leave_out=None):
    """mk/targets/<target>.mk: the model target's row under another name,
    of family, without the fact leave_out."""
    text = (tree / "mk" / "targets" / f"{MODEL}.mk").read_text()
    text = text.replace("\\\n", " ")
    lines = []
    for line in text.splitlines():
        m = re.match(r"^(\w+)_%s(\s*:?=.*)$" % MODEL, line)
        if not m:
            continue
        fact, value = m.groups()
        if fact == leave_out:
            continue
        if fact == "ARCH":
            value = f" := {family}"
        lines.append(f"{fact}_{target}{value}")
    row = tree / "mk" / "targets" / f"{target}.mk"
    row.write_text("\n".join(lines) + "\n")
    return row


def test_the_copy_with_the_rows_as_they_are_parses(tree):
    """The checks below fail for the reason they name, not another: the
    unchanged copy passes make -n's parse."""
    status, error = make_n(tree)
    assert status == 0, error


@pytest.mark.parametrize("fact", FACTS)
def test_a_row_missing_a_fact_is_a_make_error_naming_it(tree, fact):
    row = write_row(tree, "pktestarch", MODEL, leave_out=fact)
    try:
        status, error = make_n(tree)
    finally:
        row.unlink()
    assert status != 0
    assert (f"mk/targets/pktestarch.mk: {fact}_pktestarch is not set "
            "(mk/targets.mk lists what a target row sets)") in error, error


@pytest.mark.parametrize("part", PARTS)
def test_a_family_missing_a_part_is_a_make_error_naming_it(tree, part):
    """A new family with every part but one: the error names that one."""
    family = "pktestfam"
    made = [tree / p.replace("$(1)", family) for p in PARTS if p != part]
    for path in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    row = write_row(tree, "pktestarch", family)
    try:
        status, error = make_n(tree)
    finally:
        row.unlink()
        for path in made:
            path.unlink()
    assert status != 0
    missing = part.replace("$(1)", family)
    assert (f"architecture family {family} (mk/targets/*.mk) has no "
            f"{missing}") in error, error
