# SPDX-License-Identifier: MIT
"""make install gives a user everything to build a trampoline in their own
folder: headers, per-target libraries, linker scripts, the makefile
fragment, the tools and their man pages.  The examples are built out of
tree against the installed prefix, for every built target, and placed
with the installed purgkit-link; the x86_64 one is then booted by the
end-to-end tests (tests/e2e/test_x86_64.py)."""
import os
import re
import shutil
import subprocess

import pytest

import build_targets

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(ROOT, "build"))
# Each family's hello example (examples/<folder>), built against the
# installed purgkit for every target of the family.
EXAMPLES = {"x86_64": "hello", "ppc64": "hello-ppc64",
            "aarch64": "hello-aarch64", "riscv64": "hello-riscv64"}


def user_make(*args):
    """`make ARGS` as a user would type it: not as a child of the make that
    runs these tests, whose jobserver (MAKEFLAGS) does not reach this
    process, so a nested make would warn "jobserver unavailable"."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL",
                                  "MAKEOVERRIDES")}
    return subprocess.run(["make", *args], capture_output=True, text=True,
                          env=environment)


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    out = user_make("-s", "-C", ROOT, "install", f"PREFIX={prefix}")
    assert out.returncode == 0, out.stderr[-2000:]
    return prefix


def built_targets():
    return list(build_targets.built_targets())


def example(target):
    return build_targets.row(EXAMPLES, "tests/install/test_install.py "
                             "EXAMPLES", build_targets.arch(target))


def test_prefix_has_what_a_user_needs(prefix):
    for path in ["include/purgkit/purgkit.h", "include/purgkit/trampolines.h",
                 "include/purgkit/reloc.h", "share/purgkit/purgkit.mk",
                 "bin/purgkit-link", "bin/purgkit-load", "bin/purgkit-run",
                 "share/man/man1/purgkit-link.1",
                 "share/man/man1/purgkit-load.1",
                 "share/man/man1/purgkit-run.1"]:
        assert (prefix / path).exists(), path
    for target in built_targets():
        # The static tools purgkit-run puts in its initramfs, for every
        # target whose row says it has them (mk/targets/<target>.mk).
        if build_targets.fact("static_tools", target) == "yes":
            for tool in ("purgkit-load", "purgkit-init"):
                path = prefix / "lib/purgkit" / target / "bin" / tool
                assert path.is_file(), path
        assert (prefix / "lib/purgkit" / target / "libpurgkit.a").is_file()
        assert (prefix / "share/purgkit/linker" / f"{target}.lds").is_file()
        assert any((prefix / "lib/purgkit" / target / "trampolines").iterdir())


def test_installed_purgkit_run_starts(prefix):
    out = subprocess.run([str(prefix / "bin/purgkit-run"), "--help"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "--arch" in out.stdout


def test_installed_purgkit_run_says_its_version_and_real_defaults(prefix):
    """--version is the Makefile's VERSION; --help names the cache and
    build folders the installed copy really uses (issue 20: it said
    .cache/kernels, the source tree's)."""
    env = {"HOME": "/home/someone", "PATH": "/usr/bin:/bin",
           "COLUMNS": "300"}
    version = subprocess.run([str(prefix / "bin/purgkit-run"), "--version"],
                             capture_output=True, text=True, env=env)
    with open(os.path.join(ROOT, "Makefile")) as f:
        made = re.search(r"^VERSION := (\S+)$", f.read(), re.M).group(1)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"purgkit-run (purgkit) {made}"
    out = subprocess.run([str(prefix / "bin/purgkit-run"), "--help"],
                         capture_output=True, text=True, env=env)
    assert "(default here: /home/someone/.cache/purgkit/kernels;" in \
        " ".join(out.stdout.split()), out.stdout
    assert f"(default here: {prefix}/lib/purgkit;" in \
        " ".join(out.stdout.split()), out.stdout


def test_installed_purgkit_run_finds_the_installed_loader_and_init(prefix):
    """Installed, purgkit-run takes the static loader and init from
    PREFIX/lib/purgkit/<arch>/bin and keeps kernels in ~/.cache/purgkit,
    not in a source tree it does not have."""
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from purgkit_run import cli; from purgkit_run.arches import ARCHES; "
             "b = cli.default_build_dir(); a = ARCHES['x86_64']; "
             "print(b); print(cli.default_cache_dir()); "
             "print(cli.find_init(a, b, '/nonexistent', print)); "
             "print(cli.find_loader(a, cli.RunConfig('x86_64', []), b))")
    out = subprocess.run(["/usr/bin/python3", "-c", probe,
                          str(prefix / "share/purgkit/tools")],
                         capture_output=True, text=True,
                         env={"HOME": "/home/someone", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    build, cache, init, loader = out.stdout.split()
    assert build == str(prefix / "lib/purgkit")
    assert cache == "/home/someone/.cache/purgkit/kernels"
    assert init == str(prefix / "lib/purgkit/x86_64/bin/purgkit-init")
    assert loader == str(prefix / "lib/purgkit/x86_64/bin/purgkit-load")


@pytest.mark.parametrize("target", built_targets())
def test_example_builds_out_of_tree_and_places(prefix, target, tmp_path):
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", example(target)), work)
    out = user_make("-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}",
                    f"PURGKIT_TARGET={target}")
    assert out.returncode == 0, out.stderr
    assert "warning" not in out.stderr
    placed = subprocess.run([str(prefix / "bin/purgkit-link"), "--base",
                             "0x1000000", "--map", "--set",
                             'hello_greeting="from a test"', "-o",
                             str(tmp_path / "hello.bin"),
                             str(work / "hello.ro")],
                            capture_output=True, text=True)
    assert placed.returncode == 0, placed.stderr
    assert "Entry: 0x0000000001000000 (pk_entry)" in placed.stdout
    assert "hello_greeting" in placed.stdout
    assert b"from a test\0" in (tmp_path / "hello.bin").read_bytes()


def test_a_trampoline_with_an_undefined_symbol_fails_its_build(prefix,
                                                               tmp_path):
    work = tmp_path / "broken"
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), work)
    source = work / "hello.c"
    source.write_text(source.read_text().replace(
        "pk_x86_64_enter_protected32(&regs);",
        "pk_no_such_function(); pk_x86_64_enter_protected32(&regs);")
        .replace("void pk_trampoline_main(void)",
                 "void pk_no_such_function(void);\nvoid pk_trampoline_main(void)"))
    out = user_make("-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}")
    assert out.returncode != 0
    assert "undefined reference to `pk_no_such_function'" in out.stderr
    assert not (work / "hello.ro").exists()
    # Nothing half-made is left behind (issue 20: a failed link left
    # hello.ro.tmp).
    assert sorted(p.name for p in work.iterdir()
                  if p.name.startswith("hello.ro")) == []


@pytest.mark.parametrize("target", [t for t in built_targets()
                                    if build_targets.arch(t) == "ppc64"])
def test_ppc64_trampoline_built_for_size_places(prefix, target, tmp_path):
    """At -Os GCC calls _savegpr0_*/_restgpr0_*, which only a final link
    makes; libpurgkit.a provides them, so the .ro has no undefined
    symbols and places."""
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", "hello-ppc64"), work)
    source = work / "hello.c"
    # Enough live registers across calls that -Os saves them out of line.
    source.write_text(source.read_text() + '''
uint64_t hello_mix(uint64_t a, uint64_t b, uint64_t c, uint64_t d);
uint64_t hello_mix(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t e = a * b, f = b * c, g = c * d, h = d * a, i = a ^ c;
	uint64_t j = b ^ d, k = a + d, l = b + c;

	pk_printf("%llu", (unsigned long long)a);
	pk_printf("%llu", (unsigned long long)b);
	return e + f + g + h + i + j + k + l;
}
''')
    out = user_make("-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}",
                    f"PURGKIT_TARGET={target}", "CFLAGS=-Os")
    assert out.returncode == 0, out.stderr
    nm = subprocess.run(["nm", str(work / "hello.ro")], capture_output=True,
                        text=True).stdout
    assert " T _savegpr0_" in nm or " t _savegpr0_" in nm
    placed = subprocess.run([str(prefix / "bin/purgkit-link"), "--base",
                             "0x4000000", "-o", str(tmp_path / "h.bin"),
                             str(work / "hello.ro")],
                            capture_output=True, text=True)
    assert placed.returncode == 0, placed.stderr
