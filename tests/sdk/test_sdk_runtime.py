# SPDX-License-Identifier: MIT
"""The runtime's verification step (pk_verify_image), run hosted on every
target: what a user sees on the console when the image is intact, when
it is not, and when the loader turned checks off."""
import hashlib
import os
import re


def image_script(pieces, digest, enabled=1, region_digests=()):
    sizes = " ".join(str(len(p)) for p in pieces)
    regions = "".join(" " + d.hex() for d in region_digests)
    header = f"image {len(pieces)} {sizes} {digest.hex()} {enabled}" \
        f"{regions}\n"
    return header.encode() + b"".join(pieces)


def test_intact_image_verifies_and_says_so(sdk):
    pieces = [os.urandom(n) for n in (4096, 1, 70000)]
    digest = hashlib.sha256(b"".join(pieces)).digest()
    out = "\n".join(sdk.run(image_script(pieces, digest)))
    assert "purgkit: sha256 (" in out and "of 3 regions, 74097 bytes" in out
    assert f"purgkit: sha256 ok {digest.hex()}" in out
    assert out.endswith("rc 0")


def test_changed_byte_is_a_mismatch_naming_regions_and_both_digests(sdk):
    pieces = [os.urandom(n) for n in (512, 4096)]
    digest = hashlib.sha256(b"".join(pieces)).digest()
    tampered = [pieces[0], pieces[1][:100] + b"\0" + pieces[1][101:]]
    if tampered[1] == pieces[1]:
        tampered[1] = pieces[1][:100] + b"\1" + pieces[1][101:]
    computed = hashlib.sha256(b"".join(tampered)).hexdigest()
    out = "\n".join(sdk.run(image_script(tampered, digest)))
    assert "purgkit: SHA-256 MISMATCH" in out
    assert re.search(r"region 0: 0x[0-9a-f]+\.\.0x[0-9a-f]+ \(512 bytes\)", out)
    assert re.search(r"region 1: .* \(4096 bytes\)", out)
    assert f"purgkit:   expected {digest.hex()}" in out
    assert f"purgkit:   computed {computed}" in out
    assert out.endswith("rc -1")


def test_mismatch_names_the_region_that_changed(sdk):
    pieces = [os.urandom(n) for n in (512, 4096, 100)]
    digest = hashlib.sha256(b"".join(pieces)).digest()
    # What the loader patches: each region's SHA-256, its first 8 bytes.
    own = [hashlib.sha256(p).digest()[:8] for p in pieces]
    tampered = [pieces[0], bytes([pieces[1][0] ^ 1]) + pieces[1][1:],
                pieces[2]]
    out = "\n".join(sdk.run(image_script(tampered, digest,
                                         region_digests=own)))
    assert "purgkit: SHA-256 MISMATCH" in out
    assert re.search(r"region 0: .* \(512 bytes\) ok$", out, re.M)
    assert re.search(r"region 1: .* \(4096 bytes\) CHANGED$", out, re.M)
    assert re.search(r"region 2: .* \(100 bytes\) ok$", out, re.M)
    assert out.endswith("rc -1")


def test_disabled_checks_are_announced_and_pass(sdk):
    out = "\n".join(sdk.run(image_script([b"x" * 10], bytes(32), enabled=0)))
    assert "purgkit: integrity check disabled by the loader" in out
    assert "sha256" not in out
    assert out.endswith("rc 0")
