# SPDX-License-Identifier: MIT
"""Helpers for the relocator tests: build test trampolines with each
target's compiler, run purgkit-link, link the same object with GNU ld at
the same addresses (the oracle) and read ELF files with struct only."""

import json
import os
import pathlib
import re
import shutil
import struct
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILD = pathlib.Path(os.environ.get("PURGKIT_BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
LINK = pathlib.Path(os.environ.get(
    "PURGKIT_LINK", BUILD / "host-asan" / "bin" / "purgkit-link"))
if not LINK.is_absolute():
    LINK = ROOT / LINK

# The targets' compilers and freestanding flags, as mk/targets.mk chose
# them (written out by the build: build/targets.json), without -O, the
# code model and the include path, which the tests vary or do not need.
with open(BUILD / "targets.json") as _f:
    _TARGETS = json.load(_f)
CROSS = _TARGETS["cross_compile"]
ALL_TARGETS = _TARGETS["all"]
TARGET_FLAGS = {
    target: [f for f in flags.split()
             if not f.startswith(("-O", "-mcmodel=", "-I")) and f != "-fpie"]
    for target, flags in _TARGETS["cflags"].items()}
# Code models: the SDK's own first, then the other common ones.
MODELS = {
    "x86_64": {
        "pie-small": ["-fpie", "-mcmodel=small"],
        "pie-large": ["-fpie", "-mcmodel=large"],
        "nopic-small": ["-fno-pic", "-mcmodel=small"],
        "pic-default-vis": ["-fpic", "-mcmodel=small",
                            "-fvisibility=default"],
    },
    "ppc64le": {
        "medium": ["-mcmodel=medium"],
        "large": ["-mcmodel=large"],
    },
    "ppc64": {
        "medium": ["-mcmodel=medium"],
        "large": ["-mcmodel=large"],
    },
    # small: adrp + add/ldr (+-4 GiB); tiny: adr and literal loads
    # (+-1 MiB); large: 64-bit literal pools.  -fpic reaches the GOT
    # through _GLOBAL_OFFSET_TABLE_ and 15-bit offsets, -fPIC through
    # adrp + ldr, tiny pic through one literal load; default visibility
    # sends every global through the GOT.  gcc has no large pic model.
    "aarch64": {
        "pie-small": ["-fpie", "-mcmodel=small"],
        "nopic-small": ["-fno-pic", "-mcmodel=small"],
        "PIC-small-default-vis": ["-fPIC", "-mcmodel=small",
                                  "-fvisibility=default"],
        "pic-small-default-vis": ["-fpic", "-mcmodel=small",
                                  "-fvisibility=default"],
        "nopic-large": ["-fno-pic", "-mcmodel=large"],
        "pie-tiny": ["-fpie", "-mcmodel=tiny"],
        "pic-tiny-default-vis": ["-fpic", "-mcmodel=tiny",
                                 "-fvisibility=default"],
    },
    # -fpic with default visibility: every global through the GOT the
    # relocator builds; -mrelax: R_RISCV_RELAX hints (and any
    # R_RISCV_ALIGN) in the objects, which --no-relax links as they are.
    "riscv64": {
        "medany": ["-mcmodel=medany"],
        "medlow": ["-mcmodel=medlow"],
        "medany-pic": ["-mcmodel=medany", "-fpic", "-fvisibility=default"],
        "medlow-pic": ["-mcmodel=medlow", "-fpic", "-fvisibility=default"],
        "medany-relax": ["-mcmodel=medany", "-mrelax"],
    },
}
# Models whose code only runs below 2 GiB (absolute 32-bit addresses).
LOW_ONLY = {"nopic-small", "medlow"}

# ld rewrites some code on its own initiative (ppc64 TOC editing);
# these turn off what the relocator deliberately does not do.
ORACLE_LDFLAGS = {
    "x86_64": ["--no-warn-rwx-segments", "--no-warn-execstack"],
    "ppc64le": ["--no-toc-optimize", "--no-warn-rwx-segments",
                "--no-warn-execstack"],
    "ppc64": ["--no-toc-optimize", "--no-warn-rwx-segments",
              "--no-warn-execstack"],
    "aarch64": ["--no-warn-rwx-segments", "--no-warn-execstack"],
    # The relocator does no linker relaxation (reloc_riscv64.c).
    "riscv64": ["--no-relax", "--no-warn-rwx-segments",
                "--no-warn-execstack"],
}

# Sources a family's test trampolines link with besides the C ones (the
# SDK's own out-of-line register save/restore on ppc64), and each
# family's hand-written relocation cases (and whether they link only
# below 2 GiB).
EXTRA_SRCS = {
    "ppc64": [ROOT / "sdk" / "lib" / "ppc64" / "savres.S"],
}
HAND_WRITTEN = {
    "x86_64": ("x86_64_gotpcrel.S", True),
    "ppc64": ("ppc64_relocs.S", False),
    "aarch64": ("aarch64_relocs.S", False),
    "riscv64": ("riscv64_relocs.S", True),
}
ARCH = _TARGETS["arch"]
ALL_TARGETS = _TARGETS["all"]

# Families whose GOT slots ld numbers in its own (hash table) order: any
# order is a correct link, so the tests compare what each load reads.
GOT_ORDER_FREE = {"aarch64", "riscv64"}


def have(target):
    return shutil.which(CROSS[target] + "gcc") is not None


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True,
                          text=True, **kw)


def check(cmd, **kw):
    p = run(cmd, **kw)
    if p.returncode != 0:
        raise AssertionError("%s failed:\n%s%s" % (
            " ".join(map(str, cmd)), p.stdout, p.stderr))
    return p


def compile_ro(target, srcs, flags, out):
    """Compile srcs (C or assembly) and ld -r them into out."""
    out = pathlib.Path(out)
    objs = []
    for src in srcs:
        obj = out.with_name("%s.%s.o" % (out.stem, pathlib.Path(src).stem))
        check([CROSS[target] + "gcc"] + TARGET_FLAGS[target] + flags +
              ["-c", "-o", obj, src])
        objs.append(obj)
    check([CROSS[target] + "ld", "-r", "-o", out] + objs)
    return out


def link(args):
    return run([LINK] + list(args))


def parse_map(text):
    """Sections and patchable symbols from purgkit-link --map."""
    secs, syms, entry = [], {}, None
    part = None
    for line in text.splitlines():
        if line.startswith("Sections:"):
            part = "s"
        elif line.startswith("Patchable symbols"):
            part = "p"
        elif line.startswith("Entry: 0x"):
            entry = int(line.split()[1], 16)
        m = re.match(r"\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)"
                     r"\s+(\S+)( \(zero-fill\))?$", line)
        if part == "s" and m:
            secs.append(dict(addr=int(m.group(1), 16),
                             size=int(m.group(2), 16),
                             align=int(m.group(3), 16),
                             name=m.group(4), nobits=bool(m.group(5))))
        m = re.match(r"\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$", line)
        if part == "p" and m:
            syms[m.group(3)] = (int(m.group(1), 16), int(m.group(2), 16))
    return secs, syms, entry


class Elf:
    """Just enough ELF64 reading: headers, sections, symbols."""

    def __init__(self, path):
        self.data = pathlib.Path(path).read_bytes()
        d = self.data
        assert d[:4] == b"\x7fELF" and d[4] == 2
        self.end = "<" if d[5] == 1 else ">"
        (self.type, self.machine, _, self.entry, self.phoff, self.shoff,
         self.flags, _, self.phentsize, self.phnum, self.shentsize,
         self.shnum, self.shstrndx) = struct.unpack_from(
            self.end + "HHIQQQIHHHHHH", d, 16)
        self.sections = []
        for i in range(self.shnum):
            f = struct.unpack_from(self.end + "IIQQQQIIQQ", d,
                                   self.shoff + i * self.shentsize)
            self.sections.append(dict(
                name_off=f[0], type=f[1], flags=f[2], addr=f[3],
                offset=f[4], size=f[5], link=f[6], info=f[7],
                align=f[8], entsize=f[9]))
        strtab = self.sections[self.shstrndx]
        for s in self.sections:
            s["name"] = self._str(strtab, s["name_off"])

    def _str(self, sec, off):
        start = sec["offset"] + off
        return self.data[start:self.data.index(b"\0", start)].decode()

    def section(self, name):
        found = [s for s in self.sections if s["name"] == name]
        return found[0] if len(found) == 1 else None

    def contents(self, sec):
        return self.data[sec["offset"]:sec["offset"] + sec["size"]]

    def symbols(self):
        out = {}
        for s in self.sections:
            if s["type"] != 2:
                continue
            strtab = self.sections[s["link"]]
            for i in range(s["size"] // 24):
                name, info, other, shndx, value, size = struct.unpack_from(
                    self.end + "IBBHQQ", self.data, s["offset"] + 24 * i)
                if name:
                    out.setdefault(self._str(strtab, name),
                                   (value, size, shndx, info))
        return out


def oracle(target, ro, secs, workdir, tag):
    """Link ro with GNU ld, every section at the address purgkit-link
    chose; returns the parsed executable (or raises with ld's output)."""
    workdir = pathlib.Path(workdir)
    script = workdir / ("%s.lds" % tag)
    lines = ["SECTIONS", "{"]
    for s in secs:
        lines.append("  %s 0x%x : { *(%s) }" % (s["name"], s["addr"],
                                               s["name"]))
    lines.append("}")
    script.write_text("\n".join(lines) + "\n")
    out = workdir / ("%s.ld.elf" % tag)
    check([CROSS[target] + "ld", "-o", out, "-T", script, "-e", "pk_entry"] +
          ORACLE_LDFLAGS[target] + [ro])
    return Elf(out)


def symbol_values(elf):
    """st_value of every symbol of the .symtab, by index."""
    tab = [s for s in elf.sections if s["type"] == 2][0]
    return [struct.unpack_from(elf.end + "IBBHQQ", elf.data,
                               tab["offset"] + 24 * i)[4]
            for i in range(tab["size"] // 24)]


def relocations(elf, section_name):
    """(offset, type, symbol index, addend) of section_name's RELA."""
    idx = [i for i, s in enumerate(elf.sections)
           if s["name"] == section_name][0]
    out = []
    for s in elf.sections:
        if s["type"] != 4 or s["info"] != idx:
            continue
        for k in range(s["size"] // 24):
            off, info, addend = struct.unpack_from(
                elf.end + "QQq", elf.data, s["offset"] + 24 * k)
            out.append((off, info & 0xffffffff, info >> 32, addend))
    return out


def read_at(elf, addr, size):
    """size bytes at address addr of a linked ELF, from its sections."""
    for s in elf.sections:
        if s["addr"] <= addr and addr + size <= s["addr"] + s["size"] and \
                s["type"] == 1:
            at = s["offset"] + addr - s["addr"]
            return elf.data[at:at + size]
    raise AssertionError("0x%x is in no section" % addr)
