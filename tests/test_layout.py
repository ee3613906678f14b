# SPDX-License-Identifier: MIT
"""pytest imports test modules by basename (the test folders are not
packages), so two test files with one name stop the whole run at
collection.  Catch that here, naming both files."""
import collections
import pathlib

TESTS = pathlib.Path(__file__).resolve().parent


def test_test_modules_have_unique_basenames():
    seen = collections.defaultdict(list)
    for path in TESTS.rglob("*.py"):
        if path.name != "conftest.py":
            seen[path.name].append(str(path.relative_to(TESTS)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"rename one of each: {clashes}"


def test_recorded_memory_maps_install_under_unique_names():
    """make install puts every recorded map and tree of tests/loader
    (memmaps/ and each family's folder) into one DOCDIR/memmaps/
    (mk/install.mk INSTALL_MEMMAPS): two with one name would make
    `install` refuse to overwrite the first."""
    seen = collections.defaultdict(list)
    loader = TESTS / "loader"
    for pattern in ("memmaps/*.memmap", "*/*.memmap", "*/*.dtb"):
        for path in loader.glob(pattern):
            seen[path.name].append(str(path.relative_to(TESTS)))
    clashes = {name: sorted(set(paths)) for name, paths in seen.items()
               if len(set(paths)) > 1}
    assert not clashes, f"rename one of each: {clashes}"
