# SPDX-License-Identifier: MIT
"""Name the code addresses of a trampoline's last words.

When the runtime halts (a CPU exception, pk_panic, a failed check) its
last line is ``purgkit: halted`` (or ``purgkit: ...; halted``, see
PK_HALTED_LINE in purgkit/runtime.h).  Every address the dump printed
that lies in the trampoline's image is turned into ``function at
file:line`` here, on the host: the trampoline's ``.ro`` (the built-in one
of the build, or the --purgatory file the run was given) is placed at the
base the runtime printed with ``purgkit-link --format elf``, which keeps
the debug sections relocated, and the target's ``addr2line`` reads it.

What differs per architecture comes from its row in arches.py: the
binutils prefix (its triplet) and the dump's name for the faulting
address (``fault_pc``).
"""

import os
import re
import shutil
import struct
import subprocess

HALTED = re.compile(r"^purgkit: (?:.*; )?halted\s*$")
BANNER = re.compile(r"purgkit: trampoline (?:(\S+) )?at "
                    r"0x([0-9a-f]+)\.\.0x([0-9a-f]+)")
# What starts a dump: the lines from here to the halt are symbolised.
DUMP_START = re.compile(r"^purgkit: (CPU exception|fatal:|SHA-256 MISMATCH"
                        r"|refusing)")
# "purgkit: fault at ADDR ..." / "purgkit: called at ADDR ...": where.
WHERE = re.compile(r"^purgkit: (?:fault at|called at) ([0-9a-f]{16})")
HEX = re.compile(r"\b(?:0x)?([0-9a-f]{8,16})\b")
PURGATORY = ("--purgatory=", "--purgatory")


def is_halted(text):
    """Is this the runtime's last line before it halts?"""
    return HALTED.match(text.strip()) is not None


def trampoline_file(arch, name, load_args, build_dir):
    """The host .ro the loader placed: the --purgatory file of the loader
    arguments, else the built-in one of the build.  (path, why-not)."""
    for i, arg in enumerate(load_args):
        if arg.startswith("--purgatory="):
            return arg[len("--purgatory="):], None
        if arg == "--purgatory" and i + 1 < len(load_args):
            return load_args[i + 1], None
    if not name:
        return None, "the trampoline did not say its name (built with " \
            "an SDK without pk_symbol_table)"
    path = os.path.join(build_dir, arch.name, "trampolines", name + ".ro")
    if not os.path.isfile(path):
        return None, f"no {path}"
    return path, None


def find_link(build_dir, root):
    """purgkit-link: the build's, the installed one beside purgkit-run's
    prefix, or the one on PATH."""
    for path in (os.path.join(build_dir, "host", "bin", "purgkit-link"),
                 os.path.join(root, "build", "host", "bin", "purgkit-link"),
                 os.path.join(root, "..", "..", "bin", "purgkit-link")):
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.normpath(path)
    return shutil.which("purgkit-link")


def find_addr2line(arch):
    """The target's addr2line: <triplet>-addr2line, or the host's own
    for the host's architecture."""
    return shutil.which(arch.triplet + "-addr2line") or \
        (shutil.which("addr2line") if arch.cross_prefix == "" else None)


def elf_memsz(path):
    """p_memsz of the first program header of an ELF64 file."""
    with open(path, "rb") as f:
        head = f.read(64)
        order = ">" if head[5] == 2 else "<"
        phoff = struct.unpack_from(order + "Q", head, 0x20)[0]
        f.seek(phoff)
        phdr = f.read(56)
    return struct.unpack_from(order + "Q", phdr, 0x28)[0]


def dump_lines(texts):
    """The lines of the last dump: from the last banner's dump start (or
    the banner) to the halt."""
    start = 0
    for i, text in enumerate(texts):
        if BANNER.search(text):
            start = i
    for i in range(start, len(texts)):
        if DUMP_START.match(texts[i].strip()):
            return texts[i:]
    return texts[start:]


class Symbolizer:
    """Turns addresses in [base, end) into "function at file:line"."""

    def __init__(self, arch, build_dir, root, load_args, work_dir):
        self.arch = arch
        self.build_dir = build_dir
        self.root = root
        self.load_args = load_args
        self.work_dir = work_dir

    def symbolize(self, texts):
        """(names {address: "function at file:line"}, the faulting
        address or None, a note when nothing could be named)."""
        banner = None
        for text in texts:
            match = BANNER.search(text)
            if match:
                banner = match
        if banner is None:
            return {}, None, "no 'purgkit: trampoline ... at' line"
        name = banner.group(1)
        base, end = int(banner.group(2), 16), int(banner.group(3), 16)
        dump = dump_lines(texts)
        where = None
        addresses = []
        for text in dump:
            match = WHERE.match(text.strip())
            if match and where is None:
                where = int(match.group(1), 16)
            for number in HEX.findall(text):
                value = int(number, 16)
                if base <= value < end and value not in addresses:
                    addresses.append(value)
        if not addresses:
            return {}, where, None
        ro, why = trampoline_file(self.arch, name, self.load_args,
                                  self.build_dir)
        if ro is None:
            return {}, where, why
        link = find_link(self.build_dir, self.root)
        addr2line = find_addr2line(self.arch)
        if not link:
            return {}, where, "no purgkit-link (run make)"
        if not addr2line:
            return {}, where, f"no {self.arch.triplet}-addr2line " \
                "(make deps installs binutils for the target)"
        elf = os.path.join(self.work_dir, "trampoline.elf")
        placed = subprocess.run([link, "--base", hex(base), "--format",
                                 "elf", "-o", elf, ro],
                                capture_output=True, text=True)
        if placed.returncode != 0:
            return {}, where, f"purgkit-link {ro}: " + \
                (placed.stderr.strip().splitlines() or ["failed"])[-1]
        if elf_memsz(elf) != end - base:
            return {}, where, f"{ro} is not the trampoline that ran " \
                f"({elf_memsz(elf):#x} bytes placed, the runtime said " \
                f"{end - base:#x})"
        result = subprocess.run([addr2line, "-a", "-f", "-p", "-e", elf] +
                                [hex(a) for a in addresses],
                                capture_output=True, text=True)
        names = {}
        for line in result.stdout.splitlines():
            address, _, rest = line.partition(": ")
            try:
                value = int(address, 16)
            except ValueError:
                continue
            rest = rest.strip()
            # Assembler-local labels (.LC3: a string) and nothing known
            # name no code: left out.
            if rest.startswith(("??", ".L")):
                continue
            names[value] = self._short(rest)
        return names, where, None

    def _short(self, text):
        """"f at /abs/dir/x.c:12" with the path relative to the current
        directory when it is below it."""
        function, at, place = text.partition(" at ")
        if not at or place.startswith("??"):
            return function if function != "??" else text
        path, colon, line = place.rpartition(":")
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
        line = line.split(" ")[0]
        return f"{function} ({path}:{line})"
