#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""kexec benchmark: purgkit-load against Debian's kexec-tools, in QEMU.

The same Debian kernel and the same small initrd (purgkit-init alone) are
kexec'd REPEAT times through each loader, under TCG, by purgkit-run: x86_64
by default, ppc64le with --arch (kexec-tools is then Debian's ppc64el
package, fetched like the kernel, run with the cross libc's libraries).
Measured on the host, from the streamed console, with the monotonic clock:

  exec -> new kernel   from the init's "purgkit-init: executing" line to the
                       new kernel's first line (the first printk line whose
                       timestamp starts again from zero; on x86_64 the new
                       kernel gets earlyprintk so it prints at once);
  exec -> new init     to the second init's "second kernel up" line.

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--arch", default="x86_64", choices=sorted(ARCHES))
    options = parser.parse_args()
    build_dir = os.path.abspath(options.build)
    arch = ARCHES[options.arch]
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
        purgatory = None
        for repetition in range(options.repeat):
            for name, (loader, load_args) in loaders.items():
                result, to_kernel, to_init = run_once(
                    arch.name, loader, load_args, kernel, init, build_dir)
                times[name][0].append(to_kernel)
                times[name][1].append(to_init)
                if name == "kexec-tools":
                    purgatory = purgatory_segment(result) or purgatory
                print(f"run {repetition + 1}/{options.repeat} {name:13} "
                      f"exec->kernel {to_kernel:6.2f} s  "
                      f"exec->init {to_init:6.2f} s", flush=True)

    medians = {name: [statistics.median(series) for series in pair]
               for name, pair in times.items()}
    loaded, reserved = placed_size(trampoline)
    # kexec segments are page-rounded; count ours the same way.
    page = 65536 if arch.name == "ppc64le" else 4096
    reserved = (reserved + page - 1) // page * page
    file_size = os.path.getsize(trampoline)
    bufsz, memsz = purgatory or (None, None)
    ours, theirs = medians["purgkit-load"], medians["kexec-tools"]
    print()
    print(f"kexec benchmark: {arch.name} under TCG, "
          f"{os.path.basename(kernel)}, median of {options.repeat}")
    print(f"{'':34}{'purgkit':>12}{'kexec-tools':>14}{'ratio':>8}")
    print(f"{'exec -> new kernel first line (s)':34}{ours[0]:12.2f}"
          f"{theirs[0]:14.2f}  {ratio(ours[0], theirs[0])}")
    print(f"{'exec -> new init (s)':34}{ours[1]:12.2f}"
          f"{theirs[1]:14.2f}  {ratio(ours[1], theirs[1])}")
    print(f"{'code between kernels, loaded (B)':34}{loaded:12d}"
          f"{bufsz or 0:14d}  {ratio(loaded, bufsz)}")
    print(f"{'  with bss, page-rounded (B)':34}{reserved:12d}"
          f"{memsz or 0:14d}  {ratio(reserved, memsz)}")
    print(f"(linux.ro file: {file_size} B; purgkit: SHF_ALLOC sections of "
          "linux.ro; kexec-tools: purgatory segment from kexec -l -d)")
    for name, (to_kernel, to_init) in times.items():
        print(f"spread {name:13} exec->kernel {min(to_kernel):.2f}-"
              f"{max(to_kernel):.2f} s, exec->init {min(to_init):.2f}-"
              f"{max(to_init):.2f} s")
    print("(TCG on a shared host: other QEMUs or compilers running at the "
          "same time widen the spread; compare medians and ratios)")


if __name__ == "__main__":
    main()
