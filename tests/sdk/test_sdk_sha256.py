# SPDX-License-Identifier: MIT
"""SHA-256: every engine on every target against FIPS 180-4's examples
and against hashlib."""
import hashlib
import random

import pytest

from sdk_support import ACCEL, host_has_sha_ni

FIPS_EXAMPLES = [
    (b"abc",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (b"",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    (b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    (b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
     b"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
]
MILLION_A = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"


def sha_command(pieces):
    """The sdk-test `sha` command for a message given as pieces."""
    return (b"sha %d %s\n" % (len(pieces),
                              b" ".join(b"%d" % len(p) for p in pieces))
            + b"".join(pieces))


def test_accelerated_engine_present_and_the_faster_engine_selected(sdk):
    """Each target offers its accelerated engine where the CPU has it, and
    pk_sha256_select picks whichever engine is faster on this machine: on
    real POWER8 the vector unit, under qemu-user's emulation (these tests)
    the portable code, which TCG runs about four times faster."""
    lines = sdk.run(b"engines\n")
    accel = ACCEL[sdk.target]
    rows = [l.split() for l in lines if l.startswith("engine ")]
    supported = {int(r[1]): r[3] == "1" for r in rows}
    ticks = {r[2]: int(r[4]) for r in rows if r[3] == "1"}
    selected = lines[-1].split()[1]
    assert supported[0], "the portable engine must always be available"
    if sdk.target == "x86_64" and not host_has_sha_ni():
        pytest.skip("this CPU has no SHA extensions (no sha_ni in "
                    "/proc/cpuinfo)")
    # qemu -cpu power8 has vector crypto (AT_HWCAP2 VEC_CRYPTO).
    assert supported[accel], lines
    # No engine of another architecture.
    assert [e for e, yes in supported.items()
            if yes and e not in (0, accel)] == [], lines
    # The choice follows the measurement wherever the two engines differ
    # clearly (a second measurement may differ from select's by noise).
    fast, slow = sorted(ticks, key=ticks.get)
    if ticks[slow] > 1.5 * ticks[fast]:
        assert selected == fast, lines
    else:
        assert selected in ticks, lines


def test_fips_180_4_examples(engine_sdk):
    sdk, engine = engine_sdk
    script = sdk.force(engine)
    for msg, _ in FIPS_EXAMPLES:
        script += sha_command([msg])
    # One million 'a', in uneven pieces.
    million = b"a" * 1000000
    cuts = [0, 1, 64, 1000, 65536 + 3, 999999, 1000000]
    script += sha_command([million[a:b] for a, b in zip(cuts, cuts[1:])])
    lines = sdk.run(script)
    assert lines[0] == "ok"
    assert lines[1:] == [d for _, d in FIPS_EXAMPLES] + [MILLION_A]


def test_every_length_0_to_4096(engine_sdk):
    """One-shot and three-piece digests of every prefix of 4096 random
    bytes, against hashlib."""
    sdk, engine = engine_sdk
    data = random.Random(4096).randbytes(4096)
    lines = sdk.run(sdk.force(engine) + b"prefixes 4096\n" + data)
    assert lines[0] == "ok" and len(lines) == 4098
    for n, line in enumerate(lines[1:]):
        want = hashlib.sha256(data[:n]).hexdigest()
        assert line == f"{want} {want}", f"length {n}"


def test_random_lengths_in_random_pieces(engine_sdk):
    """Messages of random length up to 16 MiB, fed to pk_sha256_update
    in random pieces (1 byte to 1 MiB), against hashlib."""
    sdk, engine = engine_sdk
    rng = random.Random(1805 + engine)
    emulated = sdk.target != "x86_64"
    lengths = [16 << 20, rng.randrange(1, 16 << 20)] + \
        [rng.randrange(0, 1 << 20) for _ in range(2 if emulated else 6)]
    script, expect = sdk.force(engine), ["ok"]
    for length in lengths:
        msg = rng.randbytes(length)
        pieces, pos = [], 0
        while pos < length:
            size = min(length - pos, rng.choice(
                [1, 3, 63, 64, 65, rng.randrange(1, 4096),
                 rng.randrange(1, 1 << 20)]))
            pieces.append(msg[pos:pos + size])
            pos += size
        script += sha_command(pieces)
        expect.append(hashlib.sha256(msg).hexdigest())
    assert sdk.run(script, timeout=900) == expect


def test_engines_agree_on_odd_alignment(engine_sdk):
    """Pieces that leave the block pointer unaligned give the same
    digest as hashlib (the engines load unaligned data)."""
    sdk, engine = engine_sdk
    msg = random.Random(7).randbytes(5000)
    pieces = [msg[:1], msg[1:3000], msg[3000:3005], msg[3005:]]
    lines = sdk.run(sdk.force(engine) + sha_command(pieces))
    assert lines == ["ok", hashlib.sha256(msg).hexdigest()]


def verify_command(regions, expected_hex):
    return (b"verify %d %s %s\n" % (
        len(regions), b" ".join(b"%d" % len(r) for r in regions),
        expected_hex.encode()) + b"".join(regions))


def test_verify_regions(engine_sdk):
    """pk_sha256_verify_regions hashes scattered regions as one message,
    skips empty slots, and reports a mismatch with the real digest."""
    sdk, engine = engine_sdk
    rng = random.Random(99)
    regions = [rng.randbytes(n) for n in (100, 0, 4096, 1, 70000)]
    good = hashlib.sha256(b"".join(regions)).hexdigest()
    bad = good[:10] + ("0" if good[10] != "0" else "1") + good[11:]
    lines = sdk.run(sdk.force(engine) + verify_command(regions, good)
                    + verify_command(regions, bad)
                    + verify_command([], hashlib.sha256(b"").hexdigest()))
    assert lines == ["ok", f"0 {good}", f"-1 {good}",
                     f"0 {hashlib.sha256(b'').hexdigest()}"]
