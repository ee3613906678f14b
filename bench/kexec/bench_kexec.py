#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""kexec benchmark: purgkit-load against Debian's kexec-tools, in QEMU.

The same Debian kernel and the same small initrd (purgkit-init alone) are
kexec'd REPEAT times through each loader, under TCG, by purgkit-run, on
x86_64 and ppc64le (--arch picks one; on ppc64le kexec-tools is Debian's
ppc64el package, fetched like the kernel, run with the cross libc's
libraries).  Both architectures end up in one table.
Measured on the host, from the streamed console, with the monotonic clock:

  exec -> new kernel   from the init's "purgkit-init: executing" line to the
                       new kernel's first line (the first printk line whose
                       timestamp starts again from zero; on x86_64 the new
                       kernel gets earlyprintk so it prints at once);
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
import os
import re
import statistics
import struct
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from purgkit_run import cli  # noqa: E402
from purgkit_run.arches import ARCHES  # noqa: E402
from purgkit_run.initramfs import build_stage2_initramfs  # noqa: E402
from purgkit_run.kernel import fetch_kernel, fetch_package  # noqa: E402
from purgkit_run.kernel import host_dpkg_arch  # noqa: E402

HOST_KEXEC_TOOLS = "/usr/sbin/kexec"
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


def run_once(arch, loader, load_args, kernel, init, build_dir):
    config = cli.RunConfig(
        arch=arch, load_args=load_args, kernel=kernel, loader=loader,
        init=init, build_dir=build_dir, quiet=True,
        expect=[SECOND_INIT])
    result = cli.run(config)
    if result.verdict.code != 0:
        tail = "\n".join(cli.PREFIXES[l.source] + l.text
                         for l in result.lines[-25:])
        raise SystemExit(f"bench-kexec: {os.path.basename(loader)}: "
                         f"{result.verdict.reason}\n{tail}")
    first = first_new_kernel_line(result)
    second = line_time(result, SECOND_INIT)
    return result, first - result.exec_time, second - result.exec_time


def ratio(a, b):
    return f"{a / b:6.2f}" if a and b else "     -"


def bench_arch(arch, repeat, build_dir):
    """Run both loaders `repeat` times on one architecture; return its rows
    for the table and a few notes."""
    kernel = fetch_kernel(arch, cli.default_cache_dir())
    init = cli.find_init(arch, build_dir, cli.default_cache_dir(),
                         lambda text: None)
    purgkit_load = os.path.join(build_dir, arch.name, "bin", "purgkit-load")
    trampoline = os.path.join(build_dir, arch.name, "trampolines", "linux.ro")
    if arch.dpkg_arch == host_dpkg_arch():
        kexec_tools = HOST_KEXEC_TOOLS
    else:
        kexec_tools = os.path.join(fetch_package(
            arch, "kexec-tools", cli.default_cache_dir()), "sbin", "kexec")
    for needed in (purgkit_load, trampoline, kexec_tools):
        if not os.path.isfile(needed):
            raise SystemExit(f"bench-kexec: {needed} is missing (make all, "
                             "make deps)")
    append = f"console={arch.console} purgkit.stage=2 bench"
    if arch.name == "x86_64":
        append += " earlyprintk=serial,ttyS0"
    with tempfile.TemporaryDirectory(prefix="bench-kexec-") as work:
        initrd = os.path.join(work, "stage2.cpio")
        with open(initrd, "wb") as f:
            f.write(build_stage2_initramfs(init))
        loaders = {
            "purgkit-load": (purgkit_load, [kernel, "--type=linux",
                                            f"--initrd={initrd}",
                                            f"--append={append}"]),
            "kexec-tools": (kexec_tools, ["-d", kernel, f"--initrd={initrd}",
                                          f"--append={append}"]),
        }
        times = {name: ([], []) for name in loaders}
        reports = []
        purgatory = None
        for repetition in range(repeat):
            for name, (loader, load_args) in loaders.items():
                result, to_kernel, to_init = run_once(
                    arch.name, loader, load_args, kernel, init, build_dir)
                times[name][0].append(to_kernel)
                times[name][1].append(to_init)
                if name == "kexec-tools":
                    purgatory = purgatory_segment(result) or purgatory
                else:
                    reports.append(trampoline_time(result))
                print(f"{arch.name} run {repetition + 1}/{repeat} {name:13} "
                      f"exec->kernel {to_kernel:6.2f} s  "
                      f"exec->init {to_init:6.2f} s", flush=True)

    ours, theirs = ([statistics.median(series) for series in times[name]]
                    for name in ("purgkit-load", "kexec-tools"))
    loaded, _ = placed_size(trampoline)
    bufsz, _ = purgatory or (None, None)
    rows = [
        (f"{arch.name} exec -> new kernel first line (s)",
         f"{ours[0]:.2f}", f"{theirs[0]:.2f}", ratio(ours[0], theirs[0])),
        (f"{arch.name} exec -> new init (s)",
         f"{ours[1]:.2f}", f"{theirs[1]:.2f}", ratio(ours[1], theirs[1])),
        (f"{arch.name} code between kernels, loaded (B)",
         f"{loaded}", f"{bufsz or 0}", ratio(loaded, bufsz)),
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
    notes = [f"{arch.name}: {os.path.basename(kernel)}; spread "
             + ", ".join(f"{name} exec->kernel {min(k):.2f}-{max(k):.2f} s"
                         for name, (k, _) in times.items())]
    return rows, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--arch", action="append", choices=sorted(ARCHES),
                        help="x86_64 and ppc64le unless given (repeatable)")
    options = parser.parse_args()
    build_dir = os.path.abspath(options.build)
    rows, notes = [], []
    for name in options.arch or ["x86_64", "ppc64le"]:
        arch_rows, arch_notes = bench_arch(ARCHES[name], options.repeat,
                                           build_dir)
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
