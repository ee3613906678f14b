#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""kexec benchmark: purgkit-load against Debian's kexec-tools, in QEMU.

The same Debian kernel and the same small initrd (purgkit-init alone) are
kexec'd REPEAT times through each loader, on x86_64 under TCG, by
purgkit-run.  Measured on the host, from the streamed console, with the
monotonic clock:

  exec -> new kernel   from the init's "purgkit-init: executing" line to the
                       new kernel's first line (the first printk line whose
                       timestamp starts again from zero; the new kernel gets
                       earlyprintk so that line is printed at once);
  exec -> new init     to the second init's "second kernel up" line.

And the size of the code each loader runs between the kernels:

  purgkit     build/x86_64/trampolines/linux.ro: the bytes the relocator
              places (its SHF_ALLOC sections, each aligned), and the file;
  kexec-tools the purgatory segment that `kexec -l -d` reports (bufsz is
              what is copied, memsz what is reserved, bss included).

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
from purgkit_run.kernel import fetch_kernel  # noqa: E402

ARCH = "x86_64"
KEXEC_TOOLS = "/usr/sbin/kexec"
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
    """(bufsz, memsz) of the purgatory segment in `kexec -l -d` output."""
    text = "\n".join(line.text for line in result.lines)
    where = re.search(r"Loaded purgatory at addr (0x[0-9a-f]+)", text)
    if not where:
        return None
    address = int(where.group(1), 16)
    segments = {}
    for number, field, value in re.findall(
            r"segment\[(\d+)\]\.(bufsz|mem|memsz)\s*=\s*(0x[0-9a-f]+)", text):
        segments.setdefault(number, {})[field] = int(value, 16)
    for segment in segments.values():
        if segment.get("mem") == address:
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


def run_once(loader, load_args, kernel, init, build_dir):
    config = cli.RunConfig(
        arch=ARCH, load_args=load_args, kernel=kernel, loader=loader,
        init=init, build_dir=build_dir, quiet=True,
        expect=["purgkit-init: executing", SECOND_INIT])
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
    options = parser.parse_args()
    build_dir = os.path.abspath(options.build)
    arch = ARCHES[ARCH]
    kernel = fetch_kernel(arch, cli.default_cache_dir())
    init = cli.find_init(arch, build_dir, cli.default_cache_dir(),
                         lambda text: None)
    purgkit_load = os.path.join(build_dir, ARCH, "bin", "purgkit-load")
    trampoline = os.path.join(build_dir, ARCH, "trampolines", "linux.ro")
    for needed in (purgkit_load, trampoline, KEXEC_TOOLS):
        if not os.path.isfile(needed):
            raise SystemExit(f"bench-kexec: {needed} is missing (make all, "
                             "make deps)")
    append = "console=ttyS0 earlyprintk=serial,ttyS0 purgkit.stage=2 bench"
    with tempfile.TemporaryDirectory(prefix="bench-kexec-") as work:
        initrd = os.path.join(work, "stage2.cpio")
        with open(initrd, "wb") as f:
            f.write(build_stage2_initramfs(init))
        loaders = {
            "purgkit-load": (purgkit_load, [kernel, "--type=linux",
                                            f"--initrd={initrd}",
                                            f"--append={append}"]),
            "kexec-tools": (KEXEC_TOOLS, ["-d", kernel, f"--initrd={initrd}",
                                          f"--append={append}"]),
        }
        times = {name: ([], []) for name in loaders}
        purgatory = None
        for repetition in range(options.repeat):
            for name, (loader, load_args) in loaders.items():
                result, to_kernel, to_init = run_once(
                    loader, load_args, kernel, init, build_dir)
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
    file_size = os.path.getsize(trampoline)
    bufsz, memsz = purgatory or (None, None)
    ours, theirs = medians["purgkit-load"], medians["kexec-tools"]
    print()
    print(f"kexec benchmark: {ARCH} under TCG, {os.path.basename(kernel)}, "
          f"median of {options.repeat}")
    print(f"{'':34}{'purgkit':>12}{'kexec-tools':>14}{'ratio':>8}")
    print(f"{'exec -> new kernel first line (s)':34}{ours[0]:12.2f}"
          f"{theirs[0]:14.2f}  {ratio(ours[0], theirs[0])}")
    print(f"{'exec -> new init (s)':34}{ours[1]:12.2f}"
          f"{theirs[1]:14.2f}  {ratio(ours[1], theirs[1])}")
    print(f"{'code between kernels, loaded (B)':34}{loaded:12d}"
          f"{bufsz or 0:14d}  {ratio(loaded, bufsz)}")
    print(f"{'  ... with bss, reserved (B)':34}{reserved:12d}"
          f"{memsz or 0:14d}  {ratio(reserved, memsz)}")
    print(f"(linux.ro file: {file_size} B; purgkit: SHF_ALLOC sections of "
          "linux.ro; kexec-tools: purgatory segment from kexec -l -d)")


if __name__ == "__main__":
    main()
