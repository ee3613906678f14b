# SPDX-License-Identifier: MIT
"""The Debian packages (debian/, mk/deb.mk): debian/control follows the
target rows, `make deb` builds the packages with dpkg-buildpackage and
passes lintian (each remaining tag explained by an override), and the
packages, unpacked into a throw-away root with dpkg -x, hold everything a
user needs: the tools run, and examples/hello builds against the SDK there
with make, CMake and pkg-config, for every target."""
import os
import shutil
import subprocess

import pytest

import build_targets
from test_install import EXAMPLES, ROOT, build_with_cmake, user_make

BUILD = build_targets.BUILD


def deb_name(target):
    return target.replace("_", "-")


def static_targets():
    return [t for t in build_targets.TARGETS
            if build_targets.fact("static_tools", t) == "yes"]


def test_debian_control_is_current_with_the_target_rows(tmp_path):
    """debian/control is kept in git (a bare dpkg-buildpackage needs it);
    a new row means running `make debian-control`."""
    fresh = tmp_path / "control"
    out = user_make("-s", "-C", ROOT, "debian-control",
                    f"DEBIAN_CONTROL={fresh}")
    assert out.returncode == 0, out.stderr
    committed = os.path.join(ROOT, "debian/control")
    assert open(committed).read() == fresh.read_text(), \
        "debian/control is stale: run `make debian-control` and commit it"


def control_packages():
    with open(os.path.join(ROOT, "debian/control")) as f:
        return [line.split(":", 1)[1].strip() for line in f
                if line.startswith("Package:")]


def test_a_package_per_target_and_per_static_guest():
    packages = control_packages()
    for target in build_targets.TARGETS:
        assert f"purgkit-sdk-{deb_name(target)}" in packages, target
    for target in static_targets():
        assert f"purgkit-guest-{deb_name(target)}" in packages, target
    assert {"purgkit", "purgkit-sdk", "libpurgkit-reloc-dev"} <= set(packages)


def test_debian_version_is_the_release():
    version = subprocess.run(["dpkg-parsechangelog", "-l",
                              os.path.join(ROOT, "debian/changelog"),
                              "-S", "Version"], capture_output=True,
                             text=True, check=True).stdout.strip()
    with open(os.path.join(ROOT, "VERSION")) as f:
        assert version == f.read().strip()


@pytest.fixture(scope="module")
def debs(tmp_path_factory):
    """make deb-build (make deb less the rewriting of debian/control),
    reusing this tree's build (PK_DEB_BUILD) and not cleaning it first
    (-nc), into a folder of the test's; lintian included."""
    out_dir = tmp_path_factory.mktemp("debs")
    out = user_make("-s", "-C", ROOT, "deb-build", f"DEB_OUT={out_dir}",
                    f"PK_DEB_BUILD={BUILD}", "DEB_FLAGS=-nc")
    assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]
    return out_dir


@pytest.fixture(scope="module")
def unpacked(debs, tmp_path_factory):
    """Every package, dpkg -x'd into one throw-away root."""
    root = tmp_path_factory.mktemp("root")
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    return root


def test_make_deb_builds_every_package_of_control(debs):
    built = {deb.name.split("_")[0] for deb in debs.glob("*.deb")}
    expected = set(control_packages())
    assert expected <= built, expected - built
    assert list(debs.glob("*.changes")) and list(debs.glob("*.buildinfo"))


def test_the_packages_hold_the_tools_docs_and_per_target_sdk(unpacked):
    usr = unpacked / "usr"
    for path in ["bin/purgkit-load", "bin/purgkit-link", "bin/purgkit-run",
                 "share/man/man1/purgkit-load.1.gz",
                 "share/bash-completion/completions/purgkit-load",
                 "share/doc/purgkit/copyright",
                 "share/doc/purgkit/changelog.gz",
                 "share/doc/purgkit/examples/hello/hello.c",
                 "share/cmake/purgkit/purgkit-config.cmake",
                 "include/purgkit/purgkit.h", "share/purgkit/purgkit.mk"]:
        assert (usr / path).exists(), path
    for target in build_targets.TARGETS:
        assert (usr / "lib/purgkit" / target / "libpurgkit.a").is_file()
        assert (usr / "share/pkgconfig" / f"purgkit-{target}.pc").is_file()
    for target in static_targets():
        assert (usr / "lib/purgkit" / target / "bin/purgkit-load").is_file()
    out = subprocess.run([str(usr / "bin/purgkit-link"), "--version"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "purgkit-link (purgkit)" in out.stdout


@pytest.mark.parametrize("target", list(build_targets.built_targets()))
def test_hello_builds_against_the_unpacked_packages(unpacked, target,
                                                    tmp_path):
    family = build_targets.arch(target)
    work = tmp_path / "example"
    shutil.copytree(os.path.join(ROOT, "examples",
                                 build_targets.row(EXAMPLES, "EXAMPLES",
                                                   family)), work)
    prefix = unpacked / "usr"
    out = user_make("-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}",
                    f"PURGKIT_TARGET={target}")
    assert out.returncode == 0, out.stderr
    assert (work / "hello.ro").is_file()
    # The package names compilers by triplet (INSTALL_CROSS=triplet).
    triplet = build_targets.fact("triplet", target)
    assert f"PURGKIT_CROSS_{target} ?= {triplet}-" in \
        (prefix / "share/purgkit/purgkit.mk").read_text()
    assert build_with_cmake(prefix, target, work).is_file()
    assert build_with_pkg_config_moved(prefix, target, work).is_file()


def build_with_pkg_config_moved(prefix, target, work):
    """pkg-config on the unpacked tree: its .pc files say /usr, so the
    prefix is given (--define-variable=prefix=...)."""
    module = f"purgkit-{target}"
    environment = dict(os.environ,
                       PKG_CONFIG_PATH=str(prefix / "share/pkgconfig"))

    def pc(*args):
        out = subprocess.run(["pkg-config", f"--define-variable=prefix={prefix}",
                              *args, module], capture_output=True, text=True,
                             env=environment)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()
    obj = work / "pc-hello.o"
    subprocess.run([pc("--variable=cc"), *pc("--cflags").split(),
                    "-c", "-o", str(obj), str(work / "hello.c")], check=True)
    ro = work / "pc-hello.ro"
    out = subprocess.run([*pc("--variable=link_ro").split(), str(ro),
                          str(obj)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert str(prefix) in pc("--variable=lib")
    return ro
