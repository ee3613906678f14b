# SPDX-License-Identifier: MIT
"""Fetch a Debian kernel for an architecture and cache it.

The version is never hard-coded: apt is asked which
``linux-image-<abi>-<flavour>`` the metapackage depends on, that package is
fetched with ``apt-get download`` and unpacked with ``dpkg -x``.  A foreign
architecture is fetched through a private apt state (lists, status, sources
and cache all inside the cache folder), so the machine's dpkg and apt
configuration are never touched.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time

from .arches import Arch

DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
DEBIAN_SUITES = (
    ("http://deb.debian.org/debian", "bookworm"),
    ("http://deb.debian.org/debian", "bookworm-updates"),
    ("http://deb.debian.org/debian-security", "bookworm-security"),
)


# The private package lists are refreshed when older than this (seconds).
LISTS_MAX_AGE = 24 * 3600


class KernelError(Exception):
    """The kernel could not be found or fetched; the message says why."""


def host_dpkg_arch():
    """Return dpkg's native architecture (e.g. ``amd64``)."""
    return subprocess.run(["dpkg", "--print-architecture"], check=True,
                          capture_output=True, text=True).stdout.strip()


def _private_apt_options(state_dir, dpkg_arch, suites=DEBIAN_SUITES):
    """apt options that keep every piece of state inside ``state_dir``,
    with its own sources list naming ``suites``."""
    lists = os.path.join(state_dir, "lists")
    cache = os.path.join(state_dir, "cache")
    parts = os.path.join(state_dir, "sources.list.d")
    for folder in (os.path.join(lists, "partial"),
                   os.path.join(cache, "archives", "partial"), parts):
        os.makedirs(folder, exist_ok=True)
    sources = os.path.join(state_dir, "sources.list")
    with open(sources, "w") as out:
        for uri, suite in suites:
            out.write(f"deb [arch={dpkg_arch} signed-by={DEBIAN_KEYRING}] "
                      f"{uri} {suite} main\n")
    status = os.path.join(state_dir, "status")
    if not os.path.exists(status):
        open(status, "w").close()
    options = {
        "APT::Architecture": dpkg_arch,
        "APT::Architectures": dpkg_arch,
        "Dir::State::Lists": lists,
        "Dir::State::Status": status,
        "Dir::Cache": cache,
        "Dir::Etc::SourceList": sources,
        "Dir::Etc::SourceParts": parts,
        "Debug::NoLocking": "1",
    }
    args = []
    for key, value in options.items():
        args += ["-o", f"{key}={value}"]
    return args


def _run(cmd, cwd=None, log=None):
    """Run an apt/dpkg command; on failure raise KernelError (its stderr)."""
    if log:
        log(" ".join(cmd))
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise KernelError(f"{cmd[0]} failed ({result.returncode}): "
                          f"{result.stderr.strip()[-600:]}")
    return result.stdout


def _stamp(apt_args):
    """The file whose mtime says when the private lists were refreshed."""
    for arg in apt_args:
        if arg.startswith("Dir::State::Lists="):
            lists = arg.split("=", 1)[1]
            return os.path.join(os.path.dirname(lists), "updated")
    raise ValueError("not a private apt state")


def _lists_age(apt_args):
    """Seconds since the private lists were refreshed (inf if never)."""
    try:
        return time.time() - os.path.getmtime(_stamp(apt_args))
    except OSError:
        return float("inf")


def _update(apt_args, log):
    """Refresh the private package lists.

    A partial failure (one suite mid-sync on the mirror) is tolerated: the
    lists that did arrive may still name the kernel, which is checked next.
    """
    for attempt in range(2):
        try:
            _run(["apt-get", "-q"] + apt_args + ["update"], log=log)
            break
        except KernelError as error:
            if log:
                log(f"apt-get update (attempt {attempt + 1}): {error}")
    # Partial or not, do not ask again before LISTS_MAX_AGE.
    open(_stamp(apt_args), "w").close()


def _image_package(apt_args, metapackage, log):
    """Ask apt which linux-image-<abi>-<flavour> the metapackage depends on."""
    out = _run(["apt-cache"] + apt_args + ["depends", metapackage], log=log)
    found = re.findall(r"Depends:\s+(linux-image-\d[\w.+-]*)", out)
    if not found:
        raise KernelError(f"{metapackage} depends on no linux-image-N "
                          f"package (apt-cache said: {out.strip()!r})")
    return found[0]


def _apt_args(arch: Arch, arch_dir, log):
    """apt options for ``arch``: none for the host's own architecture, a
    private state under ``arch_dir/apt`` (refreshed daily) for another."""
    if arch.dpkg_arch == host_dpkg_arch():
        return []
    apt_args = _private_apt_options(os.path.join(arch_dir, "apt"),
                                    arch.dpkg_arch,
                                    arch.debian_suites or DEBIAN_SUITES)
    if _lists_age(apt_args) > LISTS_MAX_AGE:
        _update(apt_args, log)
    return apt_args


def _unpack(apt_args, package, arch_dir, log):
    """Download ``package`` and unpack it into ``arch_dir/<package>/``
    (kept: a second call returns at once).  Returns that folder."""
    unpacked = os.path.join(arch_dir, package)
    if os.path.isdir(unpacked):
        return unpacked
    # Private folders, so that two runs fetching at once (parallel tests)
    # never share a half-downloaded .deb; the result appears by one rename.
    download = tempfile.mkdtemp(prefix=".download-", dir=arch_dir)
    try:
        try:
            _run(["apt-get", "-q"] + apt_args + ["download", package],
                 cwd=download, log=log)
        except KernelError:
            if not apt_args:
                raise
            _update(apt_args, log)
            _run(["apt-get", "-q"] + apt_args + ["download", package],
                 cwd=download, log=log)
        debs = [f for f in os.listdir(download) if f.endswith(".deb")]
        if len(debs) != 1:
            raise KernelError(f"apt-get download {package} left {debs!r}")
        staging = os.path.join(download, "unpacked")
        _run(["dpkg", "-x", os.path.join(download, debs[0]), staging],
             log=log)
        try:
            os.rename(staging, unpacked)
        except OSError:
            if not os.path.isdir(unpacked):    # not another run's copy
                raise KernelError(f"cannot move {package} into {arch_dir}")
    finally:
        shutil.rmtree(download, ignore_errors=True)
    return unpacked


def fetch_package(arch: Arch, package, cache_dir, log=None):
    """Unpack Debian's ``package`` for ``arch`` under ``cache_dir/<arch>/``
    and return the folder (e.g. kexec-tools, for the benchmark)."""
    arch_dir = os.path.abspath(os.path.join(cache_dir, arch.name))
    os.makedirs(arch_dir, exist_ok=True)
    apt_args = _apt_args(arch, arch_dir, log)
    return _unpack(apt_args, package, arch_dir, log)


def fetch_kernel(arch: Arch, cache_dir, log=None):
    """Return the path of a vmlinuz for ``arch``, fetching it if needed.

    The unpacked package lives in ``cache_dir/<arch>/<package>/``; a second
    call finds it there without network access, unless apt names a newer
    package.  When apt cannot be asked (offline) and exactly one unpacked
    kernel is cached, that one is used.
    """
    arch_dir = os.path.abspath(os.path.join(cache_dir, arch.name))
    os.makedirs(arch_dir, exist_ok=True)
    try:
        apt_args = _apt_args(arch, arch_dir, log)
        try:
            package = _image_package(apt_args, arch.kernel_metapackage, log)
        except KernelError:
            if not apt_args:
                raise
            _update(apt_args, log)
            package = _image_package(apt_args, arch.kernel_metapackage, log)
    except KernelError:
        cached = sorted(glob_kernels(arch_dir))
        if len(cached) == 1:
            return cached[0]
        raise
    vmlinuz = _find_vmlinuz(os.path.join(arch_dir, package))
    if vmlinuz:
        return vmlinuz
    vmlinuz = _find_vmlinuz(_unpack(apt_args, package, arch_dir, log))
    if not vmlinuz:
        raise KernelError(f"{package} holds no boot/vmlinu*")
    return vmlinuz


def _find_vmlinuz(unpacked):
    """The kernel image inside an unpacked linux-image package, or None."""
    boot = os.path.join(unpacked, "boot")
    if not os.path.isdir(boot):
        return None
    for name in sorted(os.listdir(boot)):
        if name.startswith("vmlinu"):
            return os.path.join(boot, name)
    return None


def glob_kernels(arch_dir):
    """Every vmlinuz already unpacked under ``arch_dir``."""
    found = []
    for entry in os.listdir(arch_dir):
        if entry.startswith("linux-image-") and not entry.endswith(".partial"):
            path = _find_vmlinuz(os.path.join(arch_dir, entry))
            if path:
                found.append(path)
    return found
