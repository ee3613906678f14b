# SPDX-License-Identifier: MIT
"""The README's "Try your own trampoline" steps, run as written.

The commands are read from README.md when the test runs, so the test and
the README cannot drift apart: what a newcomer types is what is tested, and
the verdict the README promises is the one they get."""

import os
import re
import subprocess

import pytest

from e2e_support import ROOT, require_qemu

README = os.path.join(ROOT, "README.md")


def readme_section(title):
    with open(README) as f:
        text = f.read()
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text,
                      re.S | re.M)
    assert match, f"README.md has no section '## {title}'"
    return match.group(1)


def code_blocks(section):
    """[(language, text)] of the fenced blocks, in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```$", section, re.S | re.M)


def test_readme_try_your_own_trampoline_has_its_commands_and_verdict():
    blocks = code_blocks(readme_section("Try your own trampoline"))
    assert [language for language, _ in blocks[:2]] == ["sh", ""]
    assert "tools/purgkit-run" in blocks[0][1]
    assert blocks[1][1].splitlines()[-1].startswith("purgkit-run: PASS: ")


@pytest.mark.qemu
def test_readme_try_your_own_trampoline_ends_in_pass(tmp_path):
    """Install into a fresh HOME, build examples/hello out of tree, kexec
    the Multiboot test payload through it: the run ends in the README's
    own two last lines, and exits 0."""
    require_qemu("x86_64")
    (_, commands), (_, promised) = code_blocks(
        readme_section("Try your own trampoline"))[:2]
    environment = dict(os.environ, HOME=str(tmp_path))
    environment.pop("MAKEFLAGS", None)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", commands],
                            cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=900)
    console = result.stdout.splitlines()
    why = f"exit {result.returncode}\n{result.stderr[-3000:]}\n" + \
        "\n".join(console[-30:])
    assert result.returncode == 0, why
    payload_line, verdict_line = promised.splitlines()[-2:]
    assert any(line.startswith("new| hello: hello from my trampoline")
               for line in console), why
    assert payload_line in console, why
    assert result.stderr.splitlines()[-1] == verdict_line, why


# --- the README's first command: make demo ----------------------------------

def test_make_demo_on_a_fresh_tree_builds_the_payload_it_runs(tmp_path):
    """`make -n demo` into an empty build directory, as on a fresh clone:
    the demo's Multiboot payload is among what it builds before running."""
    commands = readme_section("Two commands")
    assert "make demo" in code_blocks(commands)[0][1]
    build = tmp_path / "build"
    plan = subprocess.run(["make", "-n", "demo", f"BUILD={build}"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    built = plan.index(f"-o {build}/payloads/x86_64/multiboot.elf")
    assert built < plan.index("scripts/demo"), plan


@pytest.mark.qemu
def test_demo_ends_in_its_pass_line():
    """What .ci/run checks after `make demo` (scripts/demo is its last
    step; make deps is left out: it may call apt-get)."""
    require_qemu("x86_64")
    result = subprocess.run([os.path.join(ROOT, "scripts", "demo")],
                            cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    last = result.stdout.splitlines()[-1] if result.stdout else ""
    assert result.returncode == 0, result.stderr[-2000:]
    assert last.startswith("demo: PASS: "), result.stdout[-2000:]
