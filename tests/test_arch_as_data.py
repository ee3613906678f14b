# SPDX-License-Identifier: MIT
"""Architectures are data: a target is a row (mk/targets/<target>.mk) and
its family's folders, and generic code reaches arch code only through
tables.  Two guards keep it so:

- the generic files hold no branch on an architecture's name (a compiler
  macro such as __x86_64__, an ELF machine such as EM_PPC64, a string
  that is an arch name, an arch name in make code such as `filter
  x86_64`), except the few one-row-per-arch tables allowed below, each
  with its reason; a third architecture must never fall into "x86_64, or
  else ppc64";
- every per-arch table of the tests has a row for every target (or
  family) the build made, so a new target row meets a failure naming the
  table, not a skip."""
import importlib.util
import re
import sys

import pytest

import build_targets

ROOT = build_targets.ROOT

# The generic files: everything that is built or read for every family.
GENERIC = ["loader/*.c", "loader/*.h", "relocator/reloc.c",
           "relocator/reloc_machines.c", "relocator/reloc_set.c",
           "relocator/reloc_write.c", "relocator/include/purgkit/*.h",
           "sdk/lib/*.c", "sdk/lib/*.h", "sdk/include/purgkit/*.h",
           "trampolines/include/purgkit/*.h", "mk/*.mk", "mk/*.mk.in",
           "mk/*.pc.in", "mk/*.cmake.in", "mk/link-ro",
           "tools/completion/*.bash", "debian/rules", "debian/templates/*",
           "Makefile", "tests/*.mk"]

# Architecture names: every target, family and Debian name of the table,
# and the common ones that have no row yet (the next ones to come).
ARCH_NAMES = sorted(
    set(build_targets.TARGETS) | set(build_targets.FAMILIES) |
    set(build_targets.TABLE["deb_arch"].values()) |
    {"x86", "i386", "amd64", "powerpc", "powerpc64", "powerpc64le",
     "aarch64", "arm64", "arm", "riscv", "riscv64", "loongarch64",
     "s390x", "mips64"}, key=len, reverse=True)
ARCH_WORD = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, ARCH_NAMES)))
# Compiler macros naming an architecture, and ELF machine numbers.
ARCH_MACRO = re.compile(
    r"\b(?:__(?:x86_64|amd64|i386|powerpc64|powerpc|PPC64|PPC|ppc64|ppc|"
    r"aarch64|arm|riscv|loongarch|s390x|mips)\w*|_ARCH_PPC\w*)\b")
ELF_MACHINE = re.compile(r"\bEM_(?!NONE\b)[A-Z0-9_]+\b")
# A C string that is an architecture's name: "x86_64" compared with.
ARCH_STRING = re.compile(r'"(?:%s)"' % "|".join(map(re.escape, ARCH_NAMES)))

# The genuine one-row-per-arch tables of the generic files: (file, what
# the line matches) -> why it is a table and not a branch.  An entry that
# matches nothing is stale and fails too.
ALLOWED = {
    ("sdk/include/purgkit/arch.h", r"^#\s*(el)?if defined\(__\w+\)"):
        "the compiler-macro table: PK_ARCH for a build of one's own that "
        "does not pass -DPK_ARCH (the build always does); one row per family",
    ("relocator/reloc_machines.c", r"\{ EM_\w+, \"\w+\" \},"):
        "the names of ELF machines, so that an object for a machine "
        "without a backend is refused by name: one row per machine, read "
        "only for the message",
    ("relocator/reloc_machines.c", r"^#(ifndef|define) EM_LOONGARCH\b"):
        "the same table's loongarch row, whose number older <elf.h> lack",
    ("Makefile", r"^DEMO_OUTPUTS := \$\(BUILD\)/payloads/x86_64/"):
        "`make demo` boots one machine, an x86_64 PC (the README's first "
        "run): the example chosen, not a branch",
    ("mk/purgkit.mk.in", r"^PURGKIT_TARGET \?= x86_64$"):
        "the default target of a user's build against an installed "
        "purgkit (the examples set theirs)",
}


def strip_c_comments(text):
    """C text without its comments, line numbers kept."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"),
                  text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def strip_make_comments(text):
    return re.sub(r"(?m)(^|[^\\$])#.*$", r"\1", text)


def generic_files():
    return sorted({p for pattern in GENERIC for p in ROOT.glob(pattern)})


def arch_branches(path):
    """(line number, line, what) for every arch name the file's code (its
    comments aside) holds."""
    text = path.read_text()
    found = []
    if path.suffix in (".c", ".h", ".S"):
        for number, line in enumerate(strip_c_comments(text).splitlines(), 1):
            for what, pattern in (("compiler macro", ARCH_MACRO),
                                  ("ELF machine", ELF_MACHINE),
                                  ("arch-name string", ARCH_STRING)):
                if pattern.search(line):
                    found.append((number, line.strip(), what))
            if re.match(r"\s*#\s*(if|elif)", line) and ARCH_WORD.search(line):
                found.append((number, line.strip(), "#if on an arch name"))
    else:
        for number, line in enumerate(
                strip_make_comments(text).splitlines(), 1):
            if ARCH_WORD.search(line):
                found.append((number, line.strip(), "arch name in make code"))
    return found


def allowed(relative, line):
    return [key for key in ALLOWED
            if key[0] == relative and re.search(key[1], line)]


def test_generic_files_hold_no_branch_on_an_architecture_name():
    files = generic_files()
    assert len(files) > 40, "the generic files' patterns match too little"
    bad, used = [], set()
    for path in files:
        relative = str(path.relative_to(ROOT))
        for number, line, what in arch_branches(path):
            keys = allowed(relative, line)
            if keys:
                used.update(keys)
            else:
                bad.append(f"{relative}:{number}: {what}: {line}")
    assert not bad, (
        "generic files must reach arch code through a table (a target row, "
        "a family's folder, struct pk_arch, the relocator's machine rows), "
        "not a branch on its name; if this is a one-row-per-arch table, "
        "add it to ALLOWED in tests/test_arch_as_data.py with the reason:\n"
        + "\n".join(bad))
    stale = [key for key in ALLOWED if key not in used]
    assert not stale, f"ALLOWED entries that match nothing: {stale}"


@pytest.mark.parametrize("line, flagged", [
    ("#if defined(__aarch64__)", True),
    ("#ifdef __powerpc64__", True),
    ("\tif (ehdr->e_machine == EM_X86_64)", True),
    ("\tif (!strcmp(arch, \"ppc64le\"))", True),
    ("#if PK_ARCH_HAS_FOO /* not on x86_64 */", False),
    ("\tpk_error(\"--dtb is for ppc64 payloads\");", False),
    ("\tif (ehdr->e_machine == EM_NONE)", False),
])
def test_the_c_checker_flags_branches_and_leaves_prose_alone(tmp_path, line,
                                                             flagged):
    path = tmp_path / "probe.c"
    path.write_text(line + "\n")
    assert bool(arch_branches(path)) is flagged


@pytest.mark.parametrize("line, flagged", [
    ("ifeq ($(HOST_ARCH),x86_64)", True),
    ("X := $(filter ppc64,$(TARGETS))", True),
    ("# x86_64 needs no prefix", False),
    ("TARGETS ?= $(ALL_TARGETS)", False),
])
def test_the_make_checker_flags_arch_names_in_code(tmp_path, line, flagged):
    path = tmp_path / "probe.mk"
    path.write_text(line + "\n")
    assert bool(arch_branches(path)) is flagged


# ---- the tests' per-arch tables -------------------------------------------

def load(relative):
    """A test module by its path, under a name of its own (pytest imports
    it again as itself), with its folder on sys.path for its imports."""
    path = ROOT / relative
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(
        "arch_tables_" + path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (module, table, keyed by): "target" or "family" of every target the
# build made; "purgkit-run arch" of purgkit-run's arch table where the
# target row builds the static loader (the arches the e2e tests kexec on).
TABLES = [
    ("tests/relocator/reloclib.py", "MODELS", "target"),
    ("tests/relocator/reloclib.py", "ORACLE_LDFLAGS", "target"),
    ("tests/sdk/sdk_support.py", "QEMU_USER_OPTIONS", "family"),
    ("tests/sdk/sdk_support.py", "ACCEL_ENGINE", "family"),
    ("tests/sdk/sdk_support.py", "HOST_CPUINFO_FLAG", "family"),
    ("tests/sdk/test_sdk_freestanding.py", "FP_OR_VECTOR", "family"),
    ("tests/install/test_install.py", "EXAMPLES", "family"),
    ("tests/loader/loader_support.py", "TRAMPOLINE_CEILING", "target"),
    ("tests/e2e/test_kdump.py", "CRASH", "purgkit-run arch"),
    ("tests/e2e/test_linux_to_linux.py", "OLD_KERNEL_CLOCK",
     "purgkit-run arch"),
]


def keys(kind):
    built = build_targets.built_targets()
    if kind == "target":
        return built
    if kind == "family":
        return sorted({build_targets.arch(t) for t in built})
    return [a for a in sorted(load("tools/purgkit_run/arches.py").ARCHES)
            if build_targets.fact("static_tools", a) == "yes"]


@pytest.mark.parametrize("relative, table, kind", TABLES,
                         ids=[f"{r}:{t}" for r, t, _ in TABLES])
def test_every_per_arch_table_of_the_tests_has_a_row_for_each(relative,
                                                             table, kind):
    rows = getattr(load(relative), table)
    missing = build_targets.missing_rows(rows, keys(kind))
    assert not missing, (f"{relative} {table} has no row for "
                         f"{', '.join(missing)} (a {kind} of this build): "
                         "add one")


def test_a_missing_row_fails_naming_the_table_and_the_key():
    with pytest.raises(pytest.fail.Exception) as failure:
        build_targets.row({"x86_64": 1}, "tests/x.py TABLE", "riscv64")
    assert str(failure.value) == (
        "tests/x.py TABLE has no row for 'riscv64' (rows: x86_64): a target "
        "row in mk/targets/ needs one here too")
    assert build_targets.row({"x86_64": None}, "T", "x86_64") is None
