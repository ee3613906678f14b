#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""kexec benchmark: purgkit-load against Debian's kexec-tools, in QEMU.

The same Debian kernel and the same small initrd (purgkit-init alone) are
kexec'd REPEAT times through each loader, under TCG, by purgkit-run, on
every architecture purgkit-run has (tools/purgkit_run/arches.py) whose
static purgkit-load is built (--arch picks some).  On a foreign architecture kexec-tools is Debian's package
for it, fetched like the kernel, run with the cross libc's libraries and
those of the Debian packages it needs beyond them
(KEXEC_TOOLS_LIBRARY_PACKAGES).  Every architecture ends up in one table.
Measured on the host, from the streamed console, with the monotonic clock:

  exec -> new kernel   from the init's "purgkit-init: executing" line to the
                       new kernel's first line (the first printk line whose
                       timestamp starts again from zero; the new kernel gets
                       its arch's early console, Arch.early_console, so it
                       prints at once);
  exec -> new init     to the second init's "second kernel up" line.

What the trampoline says of itself ("purgkit: time: entry to hand-off ...;
sha256 N bytes in ... ms, R MB/s"): its own time and its hashing rate, on
its own clock, printed beside the end-to-end figures.

And the size of the code each loader runs between the kernels:

  purgkit     build/<arch>/trampolines/linux.ro: the bytes the relocator
              places (its SHF_ALLOC sections, each aligned), and the file;
  kexec-tools the purgatory segment that `kexec -l -d` reports, the one
              holding the kexec_load entry (bufsz is what is copied, memsz
              what is reserved: bss included, rounded to pages; ours is
              rounded the same way).

Medians are printed side by side with purgkit/kexec-tools ratios.  Under
TCG, times are the emulator's, not a machine's: compare ratios, not seconds.
"""

import argparse
import contextlib
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from purgkit_run import cli  # noqa: E402
from purgkit_run.arches import ARCHES  # noqa: E402
from purgkit_run.console import EXIT_TIMEOUT  # noqa: E402
from purgkit_run.initramfs import build_stage2_initramfs  # noqa: E402
from purgkit_run.kernel import KernelError  # noqa: E402
from purgkit_run.kernel import fetch_kernel, fetch_package  # noqa: E402
from purgkit_run.kernel import host_dpkg_arch  # noqa: E402

HOST_KEXEC_TOOLS = "/usr/sbin/kexec"
# The Debian packages (bookworm) holding the shared libraries a foreign
# kexec-tools needs beyond the cross libc (/usr/<triplet>/lib), per
# architecture.  arm64's kexec is built with Xen support: libxenctrl
# (libxenmisc4.17) and what it links, and zlib.  ppc64el's needs libc only.
KEXEC_TOOLS_LIBRARY_PACKAGES = {
    "aarch64": ("zlib1g", "libxenmisc4.17", "libxencall1",
                "libxendevicemodel1", "libxenevtchn1", "libxenforeignmemory1",
                "libxengnttab1", "libxentoolcore1", "libxentoollog1"),
}
PRINTK_TIME = re.compile(r"^\s*\[\s*(\d+\.\d+)\]")
SECOND_INIT = "purgkit-init: second kernel up"
TRAMPOLINE_TIME = re.compile(
    r"purgkit: time: entry to hand-off (\d+\.\d+) ms; sha256 (\d+) bytes "
    r"in (\d+\.\d+) ms, (\d+) MB/s")
SHF_ALLOC = 0x2
SHT_NOBITS = 8


def first_new_kernel_line(result):
    """Arrival time of the new kernel's first line, or None.

    After the exec marker the old kernel still prints its last lines
    ("kexec_core: Starting new kernel"); the new kernel's printk clock
    starts again, so its first line is the first whose timestamp is below
    the last one seen.
    """
    last_stamp = None
    for line in result.lines:
        match = PRINTK_TIME.match(line.text)
        if not match:
            continue
        stamp = float(match.group(1))
        if line.time > result.exec_time and last_stamp is not None and \
                stamp < last_stamp:
            return line.time
        last_stamp = stamp
    return None


def line_time(result, text):
    for line in result.lines:
        if text in line.text and line.time >= (result.exec_time or 0):
            return line.time
    return None


def trampoline_time(result):
    """(entry->hand-off ms, bytes hashed, MB/s) as the trampoline reported
    them, or None (kexec-tools' purgatory says nothing of the kind)."""
    for line in result.lines:
        match = TRAMPOLINE_TIME.search(line.text)
        if match:
            return (float(match.group(1)), int(match.group(2)),
                    int(match.group(4)))
    return None


def purgatory_segment(result):
    """(bufsz, memsz) of the segment holding the entry, from `kexec -l -d`:
    the entry of a kexec-tools image is always in its purgatory."""
    text = "\n".join(line.text for line in result.lines)
    entry = re.search(r"kexec_load: entry = (0x[0-9a-f]+)", text)
    if not entry:
        return None
    entry = int(entry.group(1), 16)
    segments = {}
    for number, field, value in re.findall(
            r"segment\[(\d+)\]\.(bufsz|mem|memsz)\s*=\s*(0x[0-9a-f]+)", text):
        segments.setdefault(number, {})[field] = int(value, 16)
    for segment in segments.values():
        if len(segment) == 3 and \
                segment["mem"] <= entry < segment["mem"] + segment["memsz"]:
            return segment["bufsz"], segment["memsz"]
    return None


def placed_size(path):
    """Bytes of an ET_REL's SHF_ALLOC sections, laid out with alignment,
    as (loaded, reserved): loaded excludes trailing NOBITS (bss)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError(f"{path}: not a 64-bit ELF file")
    endian = "<" if data[5] == 1 else ">"
    shoff, = struct.unpack_from(endian + "Q", data, 0x28)
    shentsize, shnum = struct.unpack_from(endian + "HH", data, 0x3a)
    offset = loaded = 0
    for index in range(shnum):
        fields = struct.unpack_from(endian + "IIQQQQIIQQ", data,
                                    shoff + index * shentsize)
        kind, flags, size, align = fields[1], fields[2], fields[5], fields[8]
        if not flags & SHF_ALLOC or size == 0:
            continue
        align = max(align, 1)
        offset = (offset + align - 1) // align * align + size
        if kind != SHT_NOBITS:
            loaded = offset
    return loaded, offset


def elf_dynamic(binary):
    """(interpreter or None, [NEEDED names]) of an ELF file, any arch."""
    out = subprocess.run(["readelf", "-W", "-l", "-d", binary], check=True,
                         capture_output=True, text=True).stdout
    interpreter = re.search(r"program interpreter: (\S+?)\]", out)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]", out)
    return (interpreter.group(1) if interpreter else None), needed


def foreign_libraries(binary, triplet, directories):
    """{initramfs path: host path} for a dynamic binary of a foreign
    architecture: its interpreter and NEEDED libraries, recursively, looked
    up in `directories` in order, placed where Debian has them
    (/lib/<triplet>/, the interpreter at its own path)."""
    def find(name):
        for directory in directories:
            if os.path.isfile(os.path.join(directory, name)):
                return os.path.join(directory, name)
        raise SystemExit(f"bench-kexec: {binary} needs {name}, found in none "
                         f"of {', '.join(directories)}")

    interpreter, pending = elf_dynamic(binary)
    if not interpreter:
        return {}
    libraries = {interpreter: find(os.path.basename(interpreter))}
    while pending:
        name = pending.pop()
        target = f"/lib/{triplet}/{name}"
        if target not in libraries:
            libraries[target] = find(name)
            pending += elf_dynamic(libraries[target])[1]
    return libraries


@contextlib.contextmanager
def loader_libraries_also_from(directories):
    """purgkit-run takes a foreign loader's libraries from the cross libc
    only (initramfs.loader_libraries); for the runs inside this block it
    also looks in `directories`, after the cross libc."""
    original = cli.loader_libraries

    def wider(loader, native, triplet):
        if native:
            return original(loader, native, triplet)
        return foreign_libraries(loader, triplet,
                                 [f"/usr/{triplet}/lib"] + directories)

    cli.loader_libraries = wider
    try:
        yield
    finally:
        cli.loader_libraries = original


def kexec_tools_for(arch, cache_dir):
    """(path of kexec, directories of the extra libraries it needs): the
    host's kexec-tools on the host's architecture, else Debian's package
    for `arch` and those of KEXEC_TOOLS_LIBRARY_PACKAGES.  (None, why)
    when the Debian release of `arch` builds no kexec-tools for it
    (riscv64 in Debian 13): the table then has purgkit's figures only."""
    if arch.dpkg_arch == host_dpkg_arch():
        return HOST_KEXEC_TOOLS, []
    try:
        unpacked = fetch_package(arch, "kexec-tools", cache_dir)
    except KernelError as error:
        if "has no candidate" not in str(error):
            raise
        return None, (f"Debian has no kexec-tools for {arch.dpkg_arch} "
                      f"({' '.join(s for _, s in arch.debian_suites) or 'bookworm'})")
    kexec = os.path.join(unpacked, "sbin", "kexec")
    directories = []
    for package in KEXEC_TOOLS_LIBRARY_PACKAGES.get(arch.name, ()):
        unpacked = fetch_package(arch, package, cache_dir)
        directories += [os.path.join(unpacked, lib, arch.triplet)
                        for lib in ("lib", "usr/lib")
                        if os.path.isdir(os.path.join(unpacked, lib,
                                                      arch.triplet))]
    return kexec, directories


class AtLeast(float):
    """A time not reached before the run's timeout: from the exec to the
    timeout, so the real figure is at least this."""


def run_once(arch, loader, load_args, kernel, init, build_dir, timeout):
    """(result, exec -> new kernel, exec -> new init), in seconds.  A run
    that timed out after the exec gives AtLeast figures for what it did
    not reach; any other failure ends the benchmark."""
    config = cli.RunConfig(
        arch=arch, load_args=load_args, kernel=kernel, loader=loader,
        init=init, build_dir=build_dir, quiet=True, timeout=timeout,
        expect=[SECOND_INIT])
    # Before the run's own start: start + timeout is at or before its
    # deadline, so a bound taken from it is never too high.
    before = time.monotonic()
    result = cli.run(config)
    timed_out = result.verdict.code == EXIT_TIMEOUT and \
        result.exec_time is not None
    if result.verdict.code != 0 and not timed_out:
        tail = "\n".join(cli.PREFIXES[l.source] + l.text
                         for l in result.lines[-25:])
        raise SystemExit(f"bench-kexec: {os.path.basename(loader)}: "
                         f"{result.verdict.reason}\n{tail}")
    lasted = AtLeast(before + (timeout or ARCHES[arch].default_timeout)
                     - result.exec_time)
    first = first_new_kernel_line(result)
    second = line_time(result, SECOND_INIT)
    return (result,
            first - result.exec_time if first else lasted,
            second - result.exec_time if second else lasted)


def median(series):
    """The median, marked AtLeast when a timed-out run's figure (a lower
    bound) is at or above it."""
    middle = statistics.median(series)
    if any(isinstance(x, AtLeast) and x <= middle for x in series):
        return AtLeast(middle)
    return middle


def seconds(value):
    return f"{'>' if isinstance(value, AtLeast) else ''}{value:.2f}"


def ratio(a, b):
    """a / b; "<" when b is only a lower bound, "-" when a is one too
    (or either is missing)."""
    if not a or not b or isinstance(a, AtLeast):
        return "     -"
    bound = "<" if isinstance(b, AtLeast) else ""
    return f"{bound}{a / b:.2f}".rjust(6)


def bench_arch(arch, repeat, build_dir, timeout=None):
    """Run both loaders `repeat` times on one architecture; return its rows
    for the table and a few notes."""
    kernel = fetch_kernel(arch, cli.default_cache_dir())
    init = cli.find_init(arch, build_dir, cli.default_cache_dir(),
                         lambda text: None)
    purgkit_load = os.path.join(build_dir, arch.name, "bin", "purgkit-load")
    trampoline = os.path.join(build_dir, arch.name, "trampolines", "linux.ro")
    kexec_tools, library_dirs = kexec_tools_for(arch, cli.default_cache_dir())
    missing_kexec_tools = None
    if kexec_tools is None:
        missing_kexec_tools, library_dirs = library_dirs, []
    for needed in (purgkit_load, trampoline, kexec_tools or purgkit_load):
        if not os.path.isfile(needed):
            raise SystemExit(f"bench-kexec: {needed} is missing (make all, "
                             "make deps)")
    append = " ".join(filter(None, (f"console={arch.console}",
                                    arch.early_console,
                                    "purgkit.stage=2 bench")))
    with tempfile.TemporaryDirectory(prefix="bench-kexec-") as work, \
            loader_libraries_also_from(library_dirs):
        initrd = os.path.join(work, "stage2.cpio")
        with open(initrd, "wb") as f:
            f.write(build_stage2_initramfs(init))
        loaders = {
            "purgkit-load": (purgkit_load, [kernel, "--type=linux",
                                            f"--initrd={initrd}",
                                            f"--append={append}"]),
        }
        if kexec_tools:
            loaders["kexec-tools"] = (kexec_tools, [
                "-d", kernel, f"--initrd={initrd}", f"--append={append}"])
        else:
            # No kexec-tools to compare with: the same load without the
            # SHA-256 check, so that the check's cost is what differs.
            loaders["--no-checks"] = (purgkit_load, loaders[
                "purgkit-load"][1] + ["--no-checks"])
        theirs_name = list(loaders)[1]
        times = {name: ([], []) for name in loaders}
        reports = []
        purgatory = None
        for repetition in range(repeat):
            for name, (loader, load_args) in loaders.items():
                result, to_kernel, to_init = run_once(
                    arch.name, loader, load_args, kernel, init, build_dir,
                    timeout)
                times[name][0].append(to_kernel)
                times[name][1].append(to_init)
                if name == "kexec-tools":
                    purgatory = purgatory_segment(result) or purgatory
                elif name == "purgkit-load":
                    reports.append(trampoline_time(result))
                print(f"{arch.name} run {repetition + 1}/{repeat} {name:13} "
                      f"exec->kernel {seconds(to_kernel):>7} s  "
                      f"exec->init {seconds(to_init):>7} s"
                      + ("  (timed out)" if isinstance(to_init, AtLeast)
                         else ""), flush=True)

    ours, theirs = ([median(series) for series in times[name]]
                    for name in ("purgkit-load", theirs_name))
    versus = " (vs --no-checks)" if missing_kexec_tools else ""
    loaded, _ = placed_size(trampoline)
    bufsz, _ = purgatory or (None, None)
    rows = [
        (f"{arch.name} exec -> new kernel first line (s){versus}",
         seconds(ours[0]), seconds(theirs[0]), ratio(ours[0], theirs[0])),
        (f"{arch.name} exec -> new init (s){versus}",
         seconds(ours[1]), seconds(theirs[1]), ratio(ours[1], theirs[1])),
        (f"{arch.name} code between kernels, loaded (B)",
         f"{loaded}", "-" if missing_kexec_tools else f"{bufsz or 0}",
         ratio(loaded, bufsz)),
    ]
    reports = [r for r in reports if r]
    if reports:
        rows.append((f"{arch.name} trampoline: entry -> hand-off (ms)",
                     f"{statistics.median(r[0] for r in reports):.1f}",
                     "-", ""))
        rows.append((f"{arch.name} trampoline: sha256 of "
                     f"{reports[0][1] / 1e6:.1f} MB (MB/s)",
                     f"{statistics.median(r[2] for r in reports):.0f}",
                     "-", ""))
    notes = []
    if missing_kexec_tools:
        notes.append(f"{arch.name}: {missing_kexec_tools}: its 'kexec-tools' "
                     "column is purgkit-load --no-checks (the same load "
                     "without the SHA-256 check), so the ratio is the "
                     "check's cost")
    notes += [f"{arch.name}: {os.path.basename(kernel)}; spread "
             + ", ".join(f"{name} exec->kernel {min(k):.2f}-{max(k):.2f} s"
                         for name, (k, _) in times.items())]
    for name, (_, to_init) in times.items():
        late = [t for t in to_init if isinstance(t, AtLeast)]
        if late:
            notes.append(f"{arch.name}: {name}: {len(late)} of {repeat} "
                         "runs did not reach the new init before the "
                         f"timeout ({timeout or arch.default_timeout:g} s "
                         "from QEMU's start; '>' marks such a lower bound)")
    return rows, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float,
                        help="seconds per run, from QEMU's start (default: "
                        "the arch's, as purgkit-run's); a run that times "
                        "out after the exec counts as a lower bound")
    parser.add_argument("--arch", action="append", choices=sorted(ARCHES),
                        help="every architecture purgkit-run has whose "
                        "purgkit-load is built, unless given (repeatable)")
    options = parser.parse_args()
    build_dir = os.path.abspath(options.build)
    rows, notes = [], []
    names = options.arch
    if not names:
        names = [name for name in ARCHES if os.path.isfile(
            os.path.join(build_dir, name, "bin", "purgkit-load"))]
        for name in sorted(set(ARCHES) - set(names)):
            print(f"bench-kexec: {name}: no {build_dir}/{name}/bin/"
                  "purgkit-load (its target row builds no static tools, or "
                  "make all has not run): left out", flush=True)
        if not names:
            raise SystemExit("bench-kexec: no architecture to run (make all)")
    for name in names:
        arch_rows, arch_notes = bench_arch(ARCHES[name], options.repeat,
                                           build_dir, options.timeout)
        rows += arch_rows
        notes += arch_notes

    width = max(len(row[0]) for row in rows) + 2
    print()
    print(f"kexec benchmark under TCG, median of {options.repeat}")
    print(f"{'':{width}}{'purgkit':>10}{'kexec-tools':>13}{'ratio':>8}")
    for label, ours, theirs, their_ratio in rows:
        print(f"{label:{width}}{ours:>10}{theirs:>13}  {their_ratio}")
    print("(code: purgkit's linux.ro SHF_ALLOC sections; kexec-tools' "
          "purgatory segment from kexec -l -d; trampoline rows: what "
          "purgkit's trampoline measured on its own clock)")
    for note in notes:
        print(note)
    print("(TCG on a shared host: other QEMUs or compilers running at the "
          "same time widen the spread; compare medians and ratios)")


if __name__ == "__main__":
    main()
