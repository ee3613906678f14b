# SPDX-License-Identifier: MIT
"""The ready trampolines, without a boot: each one builds for its targets,
places with purgkit-link at several bases (entry first, inside the image,
below 4 GiB where the hand-off needs it), and exposes exactly the
patchable symbols, with exactly the sizes, that purgkit-load fills in
(the contract: trampolines/include/purgkit/trampolines.h,
sdk/include/purgkit/patch.h, read through build/host/contract.json).
A size drift here is a loader writing past a field between two kernels."""
import json
import os
import random
import re
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get("PURGKIT_BUILD", os.path.join(ROOT, "build"))
LINK = os.path.join(BUILD, "host", "bin", "purgkit-link")

# The contract, from the one source: build/host/contract.json is printed
# by a program compiled from the lists in purgkit/patch.h and
# purgkit/trampolines.h (sdk/gen/contract-json.c), the same lists the
# trampolines and the loader compile against.
with open(os.path.join(BUILD, "host", "contract.json")) as f:
    CONTRACT = json.load(f)
RUNTIME = CONTRACT["runtime"]
TRAMPOLINES = {}
for key, symbols in CONTRACT["trampolines"].items():
    arch, name = key.split("/")
    TRAMPOLINES.setdefault(arch, {})[name] = symbols
# Targets and their architecture family, as mk/targets.mk has them.
with open(os.path.join(BUILD, "targets.json")) as f:
    TARGETS_JSON = json.load(f)
TARGET_ARCH = TARGETS_JSON["arch"]


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
    # Bases on the target's page boundaries (its row's page size), as the
    # loader places trampolines.
    align = TARGETS_JSON["page_size"][target]
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
    """Each target whose cross compiler is installed (build/targets.json:
    mk/targets.mk's prefixes) has its library and every trampoline the
    contract lists for its architecture."""
    targets = TARGETS_JSON
    for target in targets["all"]:
        if not shutil.which(targets["cross_compile"][target] + "gcc"):
            continue
        assert target in built_targets(), f"{target} was not built"
        for name in TRAMPOLINES[TARGET_ARCH[target]]:
            ro = os.path.join(BUILD, target, "trampolines", f"{name}.ro")
            assert os.path.isfile(ro), f"{ro} was not built"


def test_every_built_trampoline_is_in_the_contract():
    """A trampoline the build makes but the contract does not list would
    be patched by a loader that knows nothing of its symbols."""
    for target in built_targets():
        folder = os.path.join(BUILD, target, "trampolines")
        built = {f[:-len(".ro")] for f in os.listdir(folder)
                 if f.endswith(".ro")}
        assert built == set(TRAMPOLINES[TARGET_ARCH[target]]), target
