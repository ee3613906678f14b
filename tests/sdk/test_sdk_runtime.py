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


# A function table as the loader writes it (loader/plan.c): offset, size
# (0: not known), name; sorted by offset.
FUNCTIONS = "3 16 32 alpha 64 0 beta 256 8 gamma"


def named(sdk, table, *offsets):
    line = f"symtab {table} " + " ".join(str(o) for o in offsets) + "\n"
    return sdk.run(line.encode())


def test_code_addresses_are_named_from_the_loaders_table(sdk):
    """pk_print_code_address: image base + offset and the function, from
    the table pk_symbol_table points at; the size bounds a function, a
    size of 0 (ELFv1 code) reaches to the next one."""
    out = named(sdk, "1 " + FUNCTIONS, 16, 47, 48, 64, 128, 260, 264, 8,
                4096)
    assert out[0] == "name test"
    lines = out[1:]
    base = int(lines[0].split()[3], 16)
    assert all(re.fullmatch(r"[0-9a-f]{16}( .*)?", l) for l in lines), lines
    assert lines[0].endswith(f"= image {base:x} + 0x10, in alpha+0x0")
    assert lines[1].endswith("+ 0x2f, in alpha+0x1f")
    assert lines[2].endswith("+ 0x30")            # past alpha's 32 bytes
    assert lines[3].endswith("+ 0x40, in beta+0x0")
    assert lines[4].endswith("+ 0x80, in beta+0x40")
    assert lines[5].endswith("+ 0x104, in gamma+0x4")
    assert lines[6].endswith("+ 0x108")           # past gamma's 8 bytes
    assert lines[7].endswith("+ 0x8")             # before any function
    assert lines[8].endswith("(outside the trampoline)")
    assert int(lines[0][:16], 16) == base + 16


def test_without_a_table_or_with_a_wrong_one_addresses_are_offsets(sdk):
    """A trampoline the loader wrote no table for (pk_symbol_table 0), or
    a table without its magic, still says image base + offset."""
    for table in ("1 -1", "0 " + FUNCTIONS):
        out = named(sdk, table, 16)
        assert out[0] == "name (none)", table
        assert re.fullmatch(r"[0-9a-f]{16} = image [0-9a-f]+ \+ 0x10",
                            out[1]), (table, out)
