# SPDX-License-Identifier: MIT
"""make install gives a user everything to build a trampoline in their own
folder: headers, per-target libraries, linker scripts, the makefile
fragment, a pkg-config file per target, a CMake package, the tools with
their man pages and bash completion, and the docs, examples, test payloads
and recorded memory maps.  The examples are built out of tree against the
installed prefix, for every built target, with make, CMake, Meson and
plain pkg-config (the same .ro each way), and placed with the installed
purgkit-link; the x86_64 one is then booted by the end-to-end tests
(tests/e2e/test_x86_64.py).  make uninstall takes back every file."""
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
                 "share/purgkit/link-ro", "share/purgkit/VERSION",
                 "share/cmake/purgkit/purgkit-config.cmake",
                 "share/cmake/purgkit/purgkit-config-version.cmake",
                 "bin/purgkit-link", "bin/purgkit-load", "bin/purgkit-run",
                 "lib/libpurgkit-reloc.a",
                 "share/man/man1/purgkit-link.1",
                 "share/man/man1/purgkit-load.1",
                 "share/man/man1/purgkit-run.1",
                 "share/bash-completion/completions/purgkit-load",
                 "share/bash-completion/completions/purgkit-link",
                 "share/bash-completion/completions/purgkit-run",
                 "share/doc/purgkit/README.md",
                 "share/doc/purgkit/CHANGELOG.md",
                 "share/doc/purgkit/LICENSE",
                 "share/doc/purgkit/docs/debugging.md",
                 "share/doc/purgkit/examples/hello/hello.c",
                 "share/doc/purgkit/examples/hello/CMakeLists.txt",
                 "share/doc/purgkit/examples/hello/meson.build",
                 "share/doc/purgkit/memmaps/qemu-x86_64-pc-1G.memmap"]:
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
        assert (prefix / "share/pkgconfig" / f"purgkit-{target}.pc").is_file()
        # The test payloads of the target's family (make payloads).
        family = build_targets.arch(target)
        assert any((prefix / "lib/purgkit/payloads" / family).iterdir())


def test_installed_purgkit_run_starts(prefix):
    out = subprocess.run([str(prefix / "bin/purgkit-run"), "--help"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "--arch" in out.stdout


def test_installed_purgkit_run_says_its_real_defaults(prefix):
    """--help names the cache and build folders the installed copy really
    uses (issue 20: it said .cache/kernels, the source tree's)."""
    env = {"HOME": "/home/someone", "PATH": "/usr/bin:/bin",
           "COLUMNS": "300"}
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


# ---- one version, the installed pages and tools say it ---------------------

def tree_version():
    return subprocess.run([os.path.join(ROOT, "scripts/version")],
                          capture_output=True, text=True,
                          check=True).stdout.strip()


def test_installed_tools_and_pages_say_the_trees_version(prefix):
    version = tree_version()
    for page in ("purgkit-link.1", "purgkit-load.1", "purgkit-run.1"):
        th = [line for line in (prefix / "share/man/man1" / page)
              .read_text().splitlines() if line.startswith(".TH ")]
        assert len(th) == 1 and f'"purgkit {version}"' in th[0], (page, th)
    out = subprocess.run([str(prefix / "bin/purgkit-run"), "--version"],
                         capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.stdout == f"purgkit-run (purgkit) {version}\n", out.stderr
    assert (prefix / "share/purgkit/VERSION").read_text() == version + "\n"
    pc = pkg_config(prefix, "--modversion", f"purgkit-{built_targets()[0]}")
    assert pc.stdout.strip() == version


# ---- the same .ro from make, CMake, Meson and pkg-config -------------------

def pkg_config(prefix, *args):
    environment = dict(os.environ,
                       PKG_CONFIG_PATH=str(prefix / "share/pkgconfig"))
    return subprocess.run(["pkg-config", *args], capture_output=True,
                          text=True, env=environment)


def stripped(prefix, target, path):
    """The object less its debug information, which names the folders it
    was built in (stripped by the target's objcopy, named by its .pc)."""
    out = path.parent / (path.name + ".stripped")
    cross = pkg_config(prefix, "--variable=cross_compile",
                       f"purgkit-{target}").stdout.strip()
    subprocess.run([f"{cross}objcopy", "--strip-debug", str(path), str(out)],
                   check=True)
    return out.read_bytes()


def build_with_make(prefix, target, work):
    out = user_make("-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}",
                    f"PURGKIT_TARGET={target}")
    assert out.returncode == 0, out.stderr
    return work / "hello.ro"


def build_with_cmake(prefix, target, work):
    build = work / "cmake-build"
    out = subprocess.run(["cmake", "-S", str(work), "-B", str(build),
                          f"-DCMAKE_PREFIX_PATH={prefix}",
                          f"-DPURGKIT_TARGET={target}"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    out = subprocess.run(["cmake", "--build", str(build)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "warning" not in out.stdout + out.stderr
    return build / "hello.ro"


def build_with_meson(prefix, target, work):
    build = work / "meson-build"
    environment = dict(os.environ,
                       PKG_CONFIG_PATH=str(prefix / "share/pkgconfig"))
    out = subprocess.run(["meson", "setup", str(build), str(work),
                          f"-Dpurgkit_target={target}"],
                         capture_output=True, text=True, env=environment)
    assert out.returncode == 0, out.stdout + out.stderr
    out = subprocess.run(["meson", "compile", "-C", str(build)],
                         capture_output=True, text=True, env=environment)
    assert out.returncode == 0, out.stdout + out.stderr
    return build / "hello.ro"


def build_with_pkg_config(prefix, target, work):
    """What a build system of one's own does with the .pc file alone."""
    module = f"purgkit-{target}"
    variable = {name: pkg_config(prefix, f"--variable={name}", module)
                .stdout.strip() for name in ("cc", "warnings", "link_ro")}
    cflags = pkg_config(prefix, "--cflags", module).stdout.split()
    obj = work / "pc-hello.o"
    subprocess.run([variable["cc"], *cflags, *variable["warnings"].split(),
                    "-c", "-o", str(obj), str(work / "hello.c")], check=True)
    ro = work / "pc-hello.ro"
    out = subprocess.run([*variable["link_ro"].split(), str(ro), str(obj)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return ro


@pytest.mark.parametrize("target", built_targets())
def test_cmake_meson_and_pkg_config_build_what_purgkit_mk_builds(
        prefix, target, tmp_path):
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", example(target)), work)
    made = stripped(prefix, target, build_with_make(prefix, target, work))
    for build in (build_with_cmake, build_with_meson, build_with_pkg_config):
        assert stripped(prefix, target, build(prefix, target, work)) == made, \
            build.__name__


def test_cmake_refuses_a_target_that_is_not_installed(prefix, tmp_path):
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), work)
    out = subprocess.run(["cmake", "-S", str(work), "-B", str(work / "b"),
                          f"-DCMAKE_PREFIX_PATH={prefix}",
                          "-DPURGKIT_TARGET=vax"],
                         capture_output=True, text=True)
    assert out.returncode != 0
    words = " ".join(out.stderr.split())   # CMake wraps its messages
    assert "purgkit_add_trampoline(hello): TARGET vax is not installed " \
        f"here (installed: {' '.join(built_targets())})" in words, words


def test_cmake_trial_link_fails_on_an_undefined_symbol(prefix, tmp_path):
    work = tmp_path / "broken"
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), work)
    source = work / "hello.c"
    source.write_text(source.read_text().replace(
        "void pk_trampoline_main(void)\n{",
        "void pk_no_such_function(void);\n"
        "void pk_trampoline_main(void)\n{\n\tpk_no_such_function();", 1))
    build_dir = work / "b"
    subprocess.run(["cmake", "-S", str(work), "-B", str(build_dir),
                    f"-DCMAKE_PREFIX_PATH={prefix}"], check=True,
                   capture_output=True)
    out = subprocess.run(["cmake", "--build", str(build_dir)],
                         capture_output=True, text=True)
    assert out.returncode != 0
    assert "undefined reference to `pk_no_such_function'" in \
        out.stdout + out.stderr
    assert not (build_dir / "hello.ro").exists()
    assert not (build_dir / "hello.ro.tmp").exists()


# ---- warnings are the user's ------------------------------------------------

WARNING_SOURCE = "int hello_unused_variable(void) { int unused; return 0; }\n"


@pytest.mark.parametrize("warnings, fails, warns", [
    (None, True, True),           # the default: the SDK's, -Werror among them
    ("-Wall", False, True),       # theirs: warned, built
    ("", False, False),           # none
])
def test_purgkit_warnings_are_the_users_choice(prefix, tmp_path, warnings,
                                               fails, warns):
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), work)
    (work / "hello.c").write_text((work / "hello.c").read_text() +
                                  WARNING_SOURCE)
    args = ["-C", str(work), f"PURGKIT_PREFIX={prefix}"]
    if warnings is not None:
        args.append(f"PURGKIT_WARNINGS={warnings}")
    out = user_make(*args)
    assert (out.returncode != 0) is fails, out.stderr
    assert ("unused-variable" in out.stderr) is warns, out.stderr
    default = "-Wall -Wextra -Werror -Wno-unused-parameter"
    assert (default in out.stdout) is (warnings is None)


def test_an_unknown_purgkit_target_is_one_line(prefix, tmp_path):
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), work)
    out = user_make("-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}",
                    "PURGKIT_TARGET=vax")
    assert out.returncode != 0
    assert out.stderr.count("\n") == 1, out.stderr
    assert "PURGKIT_TARGET=vax is not installed here (installed: " in \
        out.stderr


def test_link_ro_names_a_missing_input(prefix, tmp_path):
    out = subprocess.run([str(prefix / "share/purgkit/link-ro"), "ld",
                          "a.lds", "b.lds", "lib.a", str(tmp_path / "o.ro"),
                          "x.o"], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr == "link-ro: a.lds: no such file\n"
    assert not (tmp_path / "o.ro").exists()


# ---- GNU folders, DESTDIR, a moved tree, uninstall --------------------------

def test_gnu_folders_destdir_a_moved_tree_and_uninstall(tmp_path):
    stage = tmp_path / "stage"
    folders = [f"PREFIX=/opt/pk", "BINDIR=/opt/pk/sbin",
               "LIBDIR=/opt/pk/lib/some-multiarch",
               "MANDIR=/opt/pk/man", "DOCDIR=/opt/pk/doc/pk",
               "PKGLIBDIR=/opt/pk/libexec/pk"]
    out = user_make("-s", "-C", ROOT, "install", f"DESTDIR={stage}",
                    *folders)
    assert out.returncode == 0, out.stderr[-2000:]
    root = stage / "opt/pk"
    for path in ["sbin/purgkit-link", "sbin/purgkit-load",
                 "lib/some-multiarch/libpurgkit-reloc.a",
                 "man/man1/purgkit-load.1", "doc/pk/README.md",
                 "doc/pk/examples/hello/Makefile",
                 "share/purgkit/purgkit.mk"]:
        assert (root / path).exists(), path
    for target in built_targets():
        assert (root / "libexec/pk" / target / "libpurgkit.a").is_file()
    # purgkit-run finds the static tools in PKGLIBDIR wherever it is.
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from purgkit_run import cli; print(cli.default_build_dir())")
    out = subprocess.run(["/usr/bin/python3", "-c", probe,
                          str(root / "share/purgkit/tools")],
                         capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == str(root / "libexec/pk"), out.stderr
    assert not (root / "bin").exists() and not (root / "share/man").exists()
    # purgkit-run is a relative link: it works from the staging folder.
    run = root / "sbin/purgkit-run"
    assert os.readlink(run) == "../share/purgkit/tools/purgkit-run"
    assert subprocess.run([str(run), "--version"], capture_output=True,
                          text=True).returncode == 0
    # Built from where it was staged (installed at /opt/pk, found here).
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples", "hello"), work)
    made = user_make("-s", "-C", str(work), f"PURGKIT_PREFIX={root}")
    assert made.returncode == 0, made.stderr
    out = user_make("-s", "-C", ROOT, "uninstall", f"DESTDIR={stage}",
                    *folders)
    assert out.returncode == 0, out.stderr
    left = [p for p in stage.rglob("*") if not p.is_dir()]
    assert not left, left


# ---- bash completion ----------------------------------------------------------

COMPLETION_PROBE = r'''
source /usr/share/bash-completion/bash_completion
source "$1"
shift
COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
spec=$(complete -p "$1"); function=${spec#*-F }; function=${function%% *}
"$function" "$1" "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(prefix, tmp_path, *words):
    if not os.path.isfile("/usr/share/bash-completion/bash_completion"):
        pytest.fail("bash-completion is not installed (make deps)")
    probe = tmp_path / "probe.sh"
    probe.write_text(COMPLETION_PROBE)
    out = subprocess.run(
        ["bash", str(probe),
         str(prefix / "share/bash-completion/completions" / words[0]),
         *words], capture_output=True, text=True, cwd=tmp_path,
        env={"PATH": f"{prefix / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    return sorted(out.stdout.split())


def test_bash_completion_knows_options_types_arches_and_files(prefix,
                                                              tmp_path):
    (tmp_path / "tramp.ro").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert "--purgatory=" in complete(prefix, tmp_path, "purgkit-load",
                                      "--purg") or \
        "--purgatory" in complete(prefix, tmp_path, "purgkit-load", "--purg")
    types = complete(prefix, tmp_path, "purgkit-load", "--type", "")
    assert {"linux", "elf", "raw"} <= set(types)
    assert "multiboot2" in types or "x86_64" not in built_targets()
    arches = complete(prefix, tmp_path, "purgkit-load", "--arch", "")
    assert set(built_targets()) <= set(arches)
    assert complete(prefix, tmp_path, "purgkit-load", "--purgatory",
                    "") == ["tramp.ro"]
    assert complete(prefix, tmp_path, "purgkit-link", "--format",
                    "") == ["bin", "elf"]
    assert complete(prefix, tmp_path, "purgkit-link", "--ma") == ["--map"]
    assert "--arch" in complete(prefix, tmp_path, "purgkit-run", "--ar")
    run_arches = complete(prefix, tmp_path, "purgkit-run", "--arch", "")
    assert run_arches and set(run_arches) <= set(arches)
    # After --, purgkit-run's words are purgkit-load's.
    assert set(types) == set(complete(prefix, tmp_path, "purgkit-run",
                                      "--arch", run_arches[0], "--",
                                      "--type", ""))


def test_a_bad_install_cross_is_one_line(tmp_path):
    out = user_make("-s", "-C", ROOT, "install", f"PREFIX={tmp_path}",
                    "INSTALL_CROSS=host")
    assert out.returncode != 0
    assert out.stderr.count("\n") == 1, out.stderr
    assert "INSTALL_CROSS=host: one of build, triplet" in out.stderr
    assert not any(tmp_path.iterdir())


def test_uninstall_takes_only_what_install_put_in_a_shared_folder(tmp_path):
    """DOCDIR, PKGLIBDIR, PKGDATADIR and CMAKEDIR pointed at folders that
    hold other files: uninstall leaves those files and their folders."""
    stage = tmp_path / "stage"
    shared = {"DOCDIR": "/usr/share/doc", "PKGLIBDIR": "/usr/lib",
              "PKGDATADIR": "/usr/share", "CMAKEDIR": "/usr/lib/cmake"}
    others = []
    for folder in shared.values():
        other = stage / folder.lstrip("/") / "someone-elses-file"
        other.parent.mkdir(parents=True, exist_ok=True)
        other.write_text("keep me\n")
        others.append(other)
    folders = ["PREFIX=/usr"] + [f"{k}={v}" for k, v in shared.items()]
    out = user_make("-s", "-C", ROOT, "install", f"DESTDIR={stage}", *folders)
    assert out.returncode == 0, out.stderr[-2000:]
    assert (stage / "usr/share/doc/README.md").is_file()
    out = user_make("-s", "-C", ROOT, "uninstall", f"DESTDIR={stage}",
                    *folders)
    assert out.returncode == 0, out.stderr
    left = sorted(p for p in stage.rglob("*") if not p.is_dir())
    assert left == sorted(others), left
