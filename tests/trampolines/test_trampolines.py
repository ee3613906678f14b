# SPDX-License-Identifier: MIT
"""The ready trampolines, without a boot: each one builds for its targets,
places with purgkit-link at several bases (entry first, inside the image,
below 4 GiB where the hand-off needs it), and exposes exactly the
patchable symbols, with exactly the sizes, that purgkit-load fills in
(trampolines/include/purgkit/trampolines.h, sdk/include/purgkit/patch.h).
A size drift here is a loader writing past a field between two kernels."""
import os
import random
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(ROOT, "build"))
LINK = os.path.join(BUILD, "host", "bin", "purgkit-link")

RUNTIME = {"pk_verify_enabled": 4, "pk_verify_regions": 256,
           "pk_verify_digest": 32, "pk_console_mask": 4,
           "pk_serial_port": 4, "pk_serial_baud": 4, "pk_memlog_base": 8,
           "pk_memlog_size": 8, "pk_opal_base": 8, "pk_opal_entry": 8}

TRAMPOLINES = {
    "x86_64": {
        "linux": {"pk_linux_entry": 8, "pk_linux_boot_params": 8},
        "multiboot": {"pk_multiboot_entry": 4, "pk_multiboot_info": 4},
        "multiboot2": {"pk_multiboot2_entry": 4, "pk_multiboot2_info": 4},
        "raw64": {"pk_x86_64_regs": 17 * 8},
        "raw32": {"pk_x86_32_regs": 10 * 4},
        "raw16": {"pk_x86_16_regs": 8 * 4 + 8 * 2, "pk_real_mode_stub": 4},
    },
    "ppc64": {
        "linux": {"pk_linux_entry": 8, "pk_linux_dtb": 8, "pk_kernel_le": 8},
        "raw": {"pk_ppc64_regs": 34 * 8, "pk_secondary_entry": 8,
                "pk_ppc64_cpu_in_r3": 4,
                # struct pk_ppc64_place_table, purgkit/arch/ppc64/lowmem.h
                "pk_ppc64_place_table": 24 + 32 * 8},
    },
}
TARGET_ARCH = {"x86_64": "x86_64", "ppc64le": "ppc64", "ppc64": "ppc64"}


def built_targets():
    return [t for t in TARGET_ARCH
            if os.path.isfile(os.path.join(BUILD, t, "libpurgkit.a"))]


CASES = [(t, name) for t in built_targets()
         for name in TRAMPOLINES[TARGET_ARCH[t]]]


def place(ro, base):
    # Only the map is read; the image goes to /dev/null (written in place:
    # purgkit-link renames only over regular files).
    out = subprocess.run([LINK, "--base", hex(base), "--map", "-o",
                          os.devnull, ro], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def parse_map(text):
    entry = int(re.search(r"^Entry: (0x[0-9a-f]+)", text, re.M).group(1), 16)
    size = int(re.search(r", (0x[0-9a-f]+) bytes", text).group(1), 16)
    patch = text.split("Patchable symbols", 1)[1]
    symbols = {m.group(3): (int(m.group(1), 16), int(m.group(2), 16))
               for m in re.finditer(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S+)$",
                                    patch, re.M)}
    return entry, size, symbols


@pytest.mark.parametrize("target,name", CASES)
def test_trampoline_places_and_exposes_its_patchable_symbols(target, name):
    ro = os.path.join(BUILD, target, "trampolines", f"{name}.ro")
    assert os.path.isfile(ro), f"{ro} was not built"
    align = 0x10000 if target.startswith("ppc64") else 0x1000
    rng = random.Random(f"{target}-{name}")
    bases = [0x100000, 0x7ff00000 // align * align,
             rng.randrange(0x200000, 0xf0000000) // align * align]
    expected = dict(RUNTIME, **TRAMPOLINES[TARGET_ARCH[target]][name])
    for base in bases:
        entry, size, symbols = parse_map(place(ro, base))
        # The entry is the image's first byte: ppc64 copies its first
        # 0x100 bytes to address 0, x86_64 simply jumps there.
        assert entry == base
        assert {s: sz for s, (_, sz) in symbols.items()} == expected
        for symbol, (address, sz) in symbols.items():
            assert base <= address and address + sz <= base + size, symbol
        assert base + size < 1 << 32


def test_every_target_with_a_compiler_was_built():
    assert "x86_64" in built_targets()
