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


def same_got_targets(ro, sec, base, image, elf, mine, ld_bytes):
    """ld orders GOT slots by its hash table; any order is a correct
    link.  Check that each GOT load reads, in each image, a slot holding
    the same address; then take ld's displacement so the rest compares."""
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
    got_order_free = "--no-relax" in ldflags
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
            mine = same_got_targets(ro, s, base, image, elf, mine, ld_bytes)
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
          for t in ("x86_64", "ppc64le", "ppc64")
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
    srcs = list(C_SRCS)
    if target != "x86_64":
        srcs.append(PPC_SAVRES)
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


@pytest.mark.parametrize("target", ["x86_64", "ppc64le", "ppc64"])
def test_hand_written_relocations(tmp_path, target):
    """Assembly with the relocation types compilers rarely emit."""
    if not R.have(target):
        pytest.skip("no %sgcc" % R.CROSS[target])
    src = R.HERE / "src" / ("x86_64_gotpcrel.S" if target == "x86_64"
                            else "ppc64_relocs.S")
    ro = build(tmp_path, target, [src], [], False, target + "-asm")
    low_only = target == "x86_64"
    for base in bases(16, low_only, target):
        compare(tmp_path, target, ro, base, target + "-asm")
