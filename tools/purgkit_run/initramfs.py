# SPDX-License-Identifier: MIT
"""Build the initramfs that purgkit-run boots: init, loader, payload files."""

import os
import re
import subprocess

from .cpio import CpioWriter

FILES_DIR = "/purgkit/files"
DEFAULT_LOADER_PATH = "/bin/purgkit-load"

# Loader options whose value names a host file.  --module's value is
# "FILE ARGS..."; only its first word is a file.
FILE_OPTIONS = ("--initrd", "--dtb", "--purgatory", "--memmap", "--module",
                "--ramdisk", "--set")
# Loader options (purgkit-load's and kexec's) whose two-word value is not a
# host file: that word passes unchanged even if a file of that name exists
# (``--type linux`` beside a file called "linux").
VALUE_OPTIONS = ("--type", "--arch", "--append", "--command-line",
                 "--console", "--secondary-entry", "--address", "--entry",
                 "--mode", "--reg", "--dump-segments",
                 "--test-corrupt-segment", "--mem-min", "--mem-max")


class InitramfsError(Exception):
    """A file the initramfs needs is missing or unusable."""


def map_loader_args(args, exists=os.path.isfile, files=None):
    """Rewrite loader arguments so that host files become initramfs paths.

    The rule, in full:
      * ``--opt=VALUE`` and ``--opt VALUE`` (two words), for ``--opt`` in
        FILE_OPTIONS, when VALUE (for ``--module``: its first
        space-separated word; for ``--set SYMBOL=@FILE``: FILE) names an
        existing host file;
      * a bare positional argument (not starting with "-", and not the value
        of a two-word option in FILE_OPTIONS or VALUE_OPTIONS) that names
        an existing host file.
    Each such file is given the name ``/purgkit/files/<basename>`` (prefixed
    with "<n>-" when two different host files share a basename; the same
    host file twice maps to one name) and the argument is rewritten to it.
    Every other argument is passed through unchanged.

    Returns ``(new_args, files)`` where ``files`` maps each initramfs path
    to its host path.  Given ``files`` (an earlier call's), the mapping
    goes on from it, so that the load and each step name one host file by
    one initramfs path (the earlier dict is not changed).
    """
    files = dict(files or {})
    by_host = {os.path.realpath(host): name for name, host in files.items()}

    def place(host):
        real = os.path.realpath(host)
        if real in by_host:
            return by_host[real]
        name = f"{FILES_DIR}/{os.path.basename(host)}"
        n = len(files)
        while name in files:
            name = f"{FILES_DIR}/{n}-{os.path.basename(host)}"
            n += 1
        files[name] = host
        by_host[real] = name
        return name

    def map_value(option, value):
        if option == "--set":
            symbol, equals, patch = value.partition("=")
            if equals and patch.startswith("@") and exists(patch[1:]):
                return f"{symbol}=@{place(patch[1:])}"
            return value
        if option == "--module":
            first, sep, rest = value.partition(" ")
            return place(first) + sep + rest if exists(first) else value
        return place(value) if exists(value) else value

    mapped = []
    pending_option = None
    for arg in args:
        if pending_option:
            mapped.append(map_value(pending_option, arg)
                          if pending_option in FILE_OPTIONS else arg)
            pending_option = None
            continue
        option, equals, value = arg.partition("=")
        if option in FILE_OPTIONS and equals:
            mapped.append(f"{option}={map_value(option, value)}")
        elif arg in FILE_OPTIONS or arg in VALUE_OPTIONS:
            mapped.append(arg)
            pending_option = arg
        elif not arg.startswith("-") and exists(arg):
            mapped.append(place(arg))
        else:
            mapped.append(arg)
    return mapped, files


def shared_libraries(binary):
    """Host paths of the shared libraries (and interpreter) ``binary`` needs.

    Empty for a static binary.  Uses ldd, so it works for host binaries only.
    """
    result = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if result.returncode != 0:
        return []
    libraries = []
    for line in result.stdout.splitlines():
        match = re.search(r"(?:=>\s*)?(/\S+)\s+\(0x", line)
        if match:
            libraries.append(match.group(1))
    return libraries


def _elf_dynamic(binary):
    """(interpreter or None, [NEEDED names]) of an ELF file, any arch."""
    result = subprocess.run(["readelf", "-W", "-l", "-d", binary],
                            capture_output=True, text=True)
    interpreter = re.search(r"program interpreter: (\S+?)\]", result.stdout)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]",
                        result.stdout)
    return (interpreter.group(1) if interpreter else None), needed


def loader_libraries(loader, native, triplet):
    """Shared libraries a dynamic loader needs in the initramfs.

    Returns {initramfs path: host path}; empty for a static binary.  A
    binary of the host's architecture (``native``) gets what ldd finds, at
    the same paths.  A foreign one (e.g. Debian's ppc64el kexec) gets its
    interpreter and NEEDED libraries, recursively, from the cross libc in
    /usr/<triplet>/lib, placed at its interpreter path and /lib/<triplet>/.
    """
    if native:
        return {path: path for path in shared_libraries(loader)}
    interpreter, needed = _elf_dynamic(loader)
    if not interpreter:
        return {}
    cross = f"/usr/{triplet}/lib"
    libraries = {interpreter: os.path.join(cross,
                                           os.path.basename(interpreter))}
    pending = list(needed)
    while pending:
        name = pending.pop()
        target = f"/lib/{triplet}/{name}"
        if target in libraries:
            continue
        host = os.path.join(cross, name)
        if not os.path.isfile(host):
            raise InitramfsError(f"{loader} needs {name}, not found in "
                                 f"{cross}")
        libraries[target] = host
        pending += _elf_dynamic(host)[1]
    return libraries


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as error:
        raise InitramfsError(f"cannot read {path}: {error.strerror}") from None


def build_initramfs(init, loader, load_args, files, exec_args=None,
                    loader_path=DEFAULT_LOADER_PATH, libraries=None,
                    extra_files=None, steps=()):
    """Return the bytes of a newc initramfs.

    ``init`` is the host path of purgkit-init (becomes /init), ``loader``
    the host path of the loader (becomes ``loader_path``; when that is not
    the default, /purgkit/loader names it).  ``load_args`` (already mapped)
    go to /purgkit/load-args and ``exec_args`` (None: the init's default
    "-e") to /purgkit/exec-args, each of ``steps`` (argument lists run
    between the two) to /purgkit/step-1, step-2, ..., all NUL-separated.
    ``files`` and
    ``libraries`` (see loader_libraries) map initramfs paths to host paths.
    ``extra_files`` maps initramfs paths to bytes.
    """
    archive = CpioWriter()
    for directory in ("dev", "proc", "sys", "bin", "purgkit"):
        archive.add_directory(directory)
    archive.add_device("dev/console", "c", 5, 1)
    archive.add_device("dev/null", "c", 1, 3, mode=0o666)
    archive.add_file("init", _read(init), mode=0o755)
    archive.add_file(loader_path, _read(loader), mode=0o755)
    if loader_path != DEFAULT_LOADER_PATH:
        archive.add_file("purgkit/loader", loader_path.encode() + b"\n")
    for name, host in sorted((libraries or {}).items()):
        archive.add_file(name, _read(host), mode=0o755)
    archive.add_file("purgkit/load-args",
                     b"".join(a.encode() + b"\0" for a in load_args))
    for number, step in enumerate(steps, 1):
        archive.add_file(f"purgkit/step-{number}",
                         b"".join(a.encode() + b"\0" for a in step))
    if exec_args is not None:
        archive.add_file("purgkit/exec-args",
                         b"".join(a.encode() + b"\0" for a in exec_args))
    for name, host in sorted(files.items()):
        archive.add_file(name, _read(host))
    for name, data in sorted((extra_files or {}).items()):
        archive.add_file(name, data)
    return archive.finish()


def build_stage2_initramfs(init):
    """A minimal initramfs holding only the init: enough for a second kernel
    booted with ``purgkit.stage=2`` to report and power off."""
    archive = CpioWriter()
    for directory in ("dev", "proc", "sys"):
        archive.add_directory(directory)
    archive.add_device("dev/console", "c", 5, 1)
    archive.add_file("init", _read(init), mode=0o755)
    return archive.finish()
