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


def same_got_targets_x86_64(ro, sec, base, image, elf, mine, ld_bytes,
                            got):
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


def _sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


# R_AARCH64_*: how each GOT load finds its slot, from the instruction at
# place p (insn) and the GOT's address: a part of the slot's address
# ("page" or "low", which a symbol's adrp and ldr give), or all of it.
AARCH64_GOT_PARTS = {
    311: lambda p, insn, got: ("page", (p & ~0xfff) + (_sext(
        ((insn >> 5) & 0x7ffff) << 2 | (insn >> 29) & 3, 21) << 12)),
    312: lambda p, insn, got: ("low", ((insn >> 10) & 0xfff) << 3),
    313: lambda p, insn, got: ("slot", (got & ~0xfff) +
                               (((insn >> 10) & 0xfff) << 3)),
    310: lambda p, insn, got: ("slot", got + (((insn >> 10) & 0xfff) << 3)),
    309: lambda p, insn, got: ("slot", p + 4 * _sext((insn >> 5) & 0x7ffff,
                                                     19)),
}


def same_got_targets_aarch64(ro, sec, base, image, elf, mine, ld_bytes,
                             got):
    """The same for aarch64, whose GOT loads are an adrp (the slot's
    page) and an ldr (its low 12 bits) apart, or a 15-bit offset from the
    GOT, or a literal load: per symbol, the slot each image's loads
    reach must hold the same address."""
    mine = bytearray(mine)
    slots = {}   # symbol -> {"mine"/"ld": {part: value}}
    sites = []
    for off, rtype, sym, addend in R.relocations(R.Elf(ro), sec["name"]):
        if rtype not in AARCH64_GOT_PARTS:
            continue
        assert addend == 0, "GOT load with an addend at %s+0x%x" % (
            sec["name"], off)
        p = sec["addr"] + off
        for who, data, got_at in (("mine", mine, got["mine"]),
                                  ("ld", ld_bytes, got["ld"])):
            insn = int.from_bytes(data[off:off + 4], "little")
            part, value = AARCH64_GOT_PARTS[rtype](p, insn, got_at)
            if part == "slot":
                slots.setdefault((sym, off), {}).setdefault(who, {})[
                    "slot"] = value
            else:
                seen = slots.setdefault(sym, {}).setdefault(who, {})
                assert seen.setdefault(part, value) == value, \
                    "two GOT slots for one symbol at %s+0x%x" % (
                        sec["name"], off)
        sites.append(off)
    for key, who in slots.items():
        at = {}
        for name in ("mine", "ld"):
            parts = who[name]
            at[name] = parts["slot"] if "slot" in parts else \
                parts["page"] + parts["low"]
        v_mine = image[at["mine"] - base:at["mine"] - base + 8]
        v_ld = R.read_at(elf, at["ld"], 8)
        assert v_mine == v_ld, "GOT load of symbol %r in %s" % (
            key, sec["name"])
    for off in sites:
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


def same_got_targets_riscv64(ro, sec, base, image, elf, mine, ld_bytes,
                              got):
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


# Families whose GOT slots ld orders by its hash table (any order is a
# correct link): their GOT loads are compared by what they read.
SAME_GOT_TARGETS = {
    "x86_64": same_got_targets_x86_64,
    "aarch64": same_got_targets_aarch64,
    "riscv64": same_got_targets_riscv64,
}


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
                      R.ARCH[target] in R.GOT_ORDER_FREE)
    got = {"mine": next((s["addr"] for s in secs if s["name"] == ".got"),
                        0)}
    ld_got = elf.section(".got")
    got["ld"] = ld_got["addr"] if ld_got else 0
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
            # Or slots in another order than ld's: the loads are
            # compared by what they read, and the slots as a set.
            if theirs is not None and R.ARCH[target] in R.GOT_ORDER_FREE:
                words = lambda b: sorted(b[i:i + 8]
                                         for i in range(0, len(b), 8))
                assert words(mine) == words(elf.contents(theirs)), \
                    s["name"]
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
            mine = SAME_GOT_TARGETS[R.ARCH[target]](
                ro, s, base, image, elf, mine, ld_bytes, got)
        if mine != ld_bytes:
            at = next(i for i in range(len(mine))
                      if i >= len(ld_bytes) or mine[i] != ld_bytes[i])
            pytest.fail("%s at 0x%x: %s+0x%x differs from ld: %s vs %s" % (
                tag, base, s["name"], at, mine[at:at + 8].hex(),
                ld_bytes[at:at + 8].hex()))
        compared += 1
    assert compared >= 2
    return secs


# Every target of the table: one without code models in R.MODELS fails
# here, by name, rather than going untested.
MATRIX = [(t, m, o, script)
          for t in R.ALL_TARGETS
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
    srcs = list(C_SRCS) + R.EXTRA_SRCS.get(R.ARCH[target], [])
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


@pytest.mark.parametrize("target", R.ALL_TARGETS)
def test_hand_written_relocations(tmp_path, target):
    """Assembly with the relocation types compilers rarely emit."""
    if not R.have(target):
        pytest.skip("no %sgcc" % R.CROSS[target])
    name, low_only = R.HAND_WRITTEN[R.ARCH[target]]
    src = R.HERE / "src" / name
    ro = build(tmp_path, target, [src], [], False, target + "-asm")
    for base in bases(16, low_only, target):
        compare(tmp_path, target, ro, base, target + "-asm")
