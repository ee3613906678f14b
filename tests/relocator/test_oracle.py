# SPDX-License-Identifier: MIT
"""purgkit-link places a trampoline exactly as GNU ld links it.

For each target, code model and optimisation level, the test trampolines
are built into a .ro (with the SDK's linker script, and with a plain
ld -r), placed by purgkit-link at many bases, and linked by ld with every
section at the address purgkit-link chose.  Every placed section must be
byte-for-byte what ld wrote."""

import random

import pytest

import reloclib as R

C_SRCS = [R.HERE / "src" / n for n in ("calls.c", "more.c", "toc_heavy.c")]
PPC_SAVRES = R.ROOT / "sdk" / "lib" / "ppc64" / "savres.S"  # the SDK's own
# Sources a target's C needs besides C_SRCS (the out-of-line register
# save/restore routines GCC calls on ppc64 at -Os).
EXTRA_SRCS = {"ppc64le": [PPC_SAVRES], "ppc64": [PPC_SAVRES]}
# Assembly with the relocation types compilers rarely emit, and whether
# it addresses absolutely (so only links below 2 GiB).
HAND_WRITTEN = {
    "x86_64": ("x86_64_gotpcrel.S", True),
    "ppc64le": ("ppc64_relocs.S", False),
    "ppc64": ("ppc64_relocs.S", False),
    "riscv64": ("riscv64_relocs.S", True),
}
# The targets the build knows (build/targets.json) that have oracle models.
TARGETS = [t for t in R.ALL_TARGETS if t in R.MODELS]

# Bases: fixed ones that matter, plus seeded random ones (repeatable).
LOW_BASES = [0x0, 0x100000, 0x1000000, 0x7fe00000]
HIGH_BASES = [0x100000000, 0x123450000, 0x7ffff0000000, 0xffff800000000000]


def bases(align, low_only, seed):
    rnd = random.Random(seed)
    out = list(LOW_BASES)
    out += [rnd.randrange(0, 0x70000000) & ~(align - 1) for _ in range(2)]
    if not low_only:
        out += HIGH_BASES
        out += [rnd.randrange(1 << 32, 1 << 47) & ~(align - 1)
                for _ in range(2)]
    return out


def build(tmp_path, target, srcs, flags, script, tag):
    """ld -r the sources, with the SDK's script or without any."""
    ro = tmp_path / ("%s.ro" % tag)
    objs = []
    for src in srcs:
        obj = tmp_path / ("%s.%s.o" % (tag, src.stem))
        R.check([R.CROSS[target] + "gcc"] + R.TARGET_FLAGS[target] +
                flags + ["-c", "-o", obj, src])
        objs.append(obj)
    cmd = [R.CROSS[target] + "ld", "-r", "-o", ro]
    if script:
        cmd += ["-T", R.BUILD / "linker" / ("%s.lds" % target),
                "-u", "pk_entry"]
    R.check(cmd + objs)
    unmerge(ro)
    return ro


def unmerge(ro):
    """Clear SHF_MERGE and SHF_STRINGS on allocated sections, for ld and
    the relocator alike: a final ld link deduplicates strings across the
    objects ld -r joined, which the relocator does not do (the code stays
    correct; docs/relocator.md says so).  What is compared here is every
    relocation, not ld's string merging."""
    elf = R.Elf(ro)
    data = bytearray(ro.read_bytes())
    for i, s in enumerate(elf.sections):
        if s["flags"] & 0x2 and s["flags"] & 0x30:
            R.struct.pack_into(elf.end + "Q", data,
                               elf.shoff + i * elf.shentsize + 8,
                               s["flags"] & ~0x30)
    ro.write_bytes(bytes(data))


GOT_LOADS = {9, 41, 42}   # R_X86_64_GOTPCREL, GOTPCRELX, REX_GOTPCRELX
RISCV_GOT_HI20, RISCV_PCREL_LO12_I = 20, 24


def same_got_targets(target, ro, sec, base, image, elf, mine, ld_bytes):
    """ld orders GOT slots by its hash table; any order is a correct
    link.  Check that each GOT load reads, in each image, a slot holding
    the same address; then take ld's displacement so the rest compares."""
    if target == "riscv64":
        return same_riscv_got_targets(ro, sec, base, image, elf, mine,
                                      ld_bytes)
    mine = bytearray(mine)
    for off, rtype, _, addend in R.relocations(R.Elf(ro), sec["name"]):
        if rtype not in GOT_LOADS:
            continue
        p = sec["addr"] + off
        d_mine = int.from_bytes(mine[off:off + 4], "little", signed=True)
        d_ld = int.from_bytes(ld_bytes[off:off + 4], "little", signed=True)
        slot_mine = p + 4 + d_mine
        slot_ld = p + 4 + d_ld
        v_mine = image[slot_mine - base:slot_mine - base + 8]
        v_ld = R.read_at(elf, slot_ld, 8)
        assert v_mine == v_ld, "GOT load at %s+0x%x" % (sec["name"], off)
        mine[off:off + 4] = ld_bytes[off:off + 4]
    return bytes(mine)


def riscv_pair_address(p, hi, lo):
    """The address an auipc (or the lui ld made of it) + I-type pair
    reaches: the hi instruction's upper 20 bits, the lo's 12."""
    upper = hi & 0xfffff000
    upper -= (upper & 0x80000000) << 1
    low = lo >> 20
    low -= (low & 0x800) << 1
    return (0 if hi & 0x7f == 0x37 else p) + upper + low


def same_riscv_got_targets(ro, sec, base, image, elf, mine, ld_bytes):
    """The riscv64 GOT load is an auipc (R_RISCV_GOT_HI20) and the ld of
    the R_RISCV_PCREL_LO12_I that names its label: decode the slot each
    pair reads in each image and compare what the slots hold."""
    mine = bytearray(mine)
    ro_elf = R.Elf(ro)
    values = R.symbol_values(ro_elf)
    relocs = R.relocations(ro_elf, sec["name"])
    for off, rtype, _, _ in relocs:
        if rtype != RISCV_GOT_HI20:
            continue
        los = [lo for lo, t, sym, _ in relocs
               if t == RISCV_PCREL_LO12_I and values[sym] == off]
        assert los, "GOT load at %s+0x%x has no %%pcrel_lo" % (
            sec["name"], off)
        p = sec["addr"] + off
        u32 = lambda b, at: int.from_bytes(b[at:at + 4], "little")
        for lo in los:
            slot_mine = riscv_pair_address(p, u32(mine, off), u32(mine, lo))
            slot_ld = riscv_pair_address(p, u32(ld_bytes, off),
                                         u32(ld_bytes, lo))
            v_mine = image[slot_mine - base:slot_mine - base + 8]
            assert v_mine == R.read_at(elf, slot_ld, 8), \
                "GOT load at %s+0x%x" % (sec["name"], off)
            mine[lo:lo + 4] = ld_bytes[lo:lo + 4]
        mine[off:off + 4] = ld_bytes[off:off + 4]
    return bytes(mine)


def compare(tmp_path, target, ro, base, tag, ldflags=()):
    out = tmp_path / ("%s-%x.bin" % (tag, base))
    p = R.link(["--base", hex(base), "--map", "-o", out, ro])
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    secs, _, _ = R.parse_map(p.stdout)
    saved = R.ORACLE_LDFLAGS[target]
    try:
        R.ORACLE_LDFLAGS[target] = saved + list(ldflags)
        elf = R.oracle(target, ro, secs, tmp_path, "%s-%x" % (tag, base))
    finally:
        R.ORACLE_LDFLAGS[target] = saved
    image = out.read_bytes()
    got_order_free = ("--no-relax" in ldflags or
                      target in R.GOT_ORDER_FREE)
    assert len(image) == secs[-1]["addr"] + secs[-1]["size"] - base
    compared = 0
    for s in secs:
        mine = image[s["addr"] - base:s["addr"] - base + s["size"]]
        theirs = elf.section(s["name"])
        if s["nobits"]:
            assert mine == bytes(s["size"]), s["name"]
            continue
        if s["name"] in (".got", ".got.plt") and (
                theirs is None or got_order_free):
            # The relocator's GOT slots for loads ld rewrote: unused.
            continue
        assert theirs is not None, "ld has no section %s" % s["name"]
        assert theirs["addr"] == s["addr"], s["name"]
        ld_bytes = elf.contents(theirs)
        if s["name"] == ".got":
            # ld's slots come first; the relocator's extra slots serve
            # loads ld rewrote at this base (they are for other bases).
            assert len(ld_bytes) <= len(mine)
            mine = mine[:len(ld_bytes)]
        if got_order_free and mine != ld_bytes:
            mine = same_got_targets(target, ro, s, base, image, elf, mine,
                                    ld_bytes)
        if mine != ld_bytes:
            at = next(i for i in range(len(mine))
                      if i >= len(ld_bytes) or mine[i] != ld_bytes[i])
            pytest.fail("%s at 0x%x: %s+0x%x differs from ld: %s vs %s" % (
                tag, base, s["name"], at, mine[at:at + 8].hex(),
                ld_bytes[at:at + 8].hex()))
        compared += 1
    assert compared >= 2
    return secs


MATRIX = [(t, m, o, script)
          for t in TARGETS
          for m in R.MODELS[t]
          for o in ("-O0", "-O2", "-Os")
          for script in (True, False)]


@pytest.mark.parametrize("target,model,opt,script", MATRIX,
                         ids=["%s-%s%s-%s" % (t, m, o, "sdk" if s else "plain")
                              for t, m, o, s in MATRIX])
def test_matches_ld(tmp_path, target, model, opt, script):
    if not R.have(target):
        pytest.skip("no %sgcc" % R.CROSS[target])
    flags = R.MODELS[target][model] + [opt]
    srcs = list(C_SRCS) + EXTRA_SRCS.get(target, [])
    tag = "%s-%s%s" % (target, model, opt)
    ro = build(tmp_path, target, srcs, flags, script, tag)
    p = R.link(["--map", "-o", tmp_path / "probe.bin", ro])
    assert p.returncode == 0, p.stderr
    align = int(p.stdout.split("alignment ")[1].split()[0], 16)
    for base in bases(align, model in R.LOW_ONLY, tag):
        ldflags = []
        if model == "pic-default-vis" and base >= 0x80000000:
            # Above 2 GiB ld cannot rewrite GOT loads to immediates and
            # refuses; the relocator then keeps them all in its GOT,
            # which is what ld --no-relax does.
            ldflags = ["--no-relax"]
        compare(tmp_path, target, ro, base, tag, ldflags)


def test_every_target_has_oracle_models():
    """A target the build knows but these tests do not is a gap, said
    here rather than skipped."""
    assert [t for t in R.ALL_TARGETS if t not in R.MODELS] == []
    assert [t for t in R.ALL_TARGETS if t not in HAND_WRITTEN] == []


@pytest.mark.parametrize("target", TARGETS)
def test_hand_written_relocations(tmp_path, target):
    """Assembly with the relocation types compilers rarely emit."""
    if not R.have(target):
        pytest.skip("no %sgcc" % R.CROSS[target])
    name, low_only = HAND_WRITTEN[target]
    src = R.HERE / "src" / name
    ro = build(tmp_path, target, [src], [], False, target + "-asm")
    for base in bases(16, low_only, target):
        compare(tmp_path, target, ro, base, target + "-asm")
