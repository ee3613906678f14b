# SPDX-License-Identifier: MIT
"""memcpy, memmove (overlapping both ways), memset, memcmp, strlen,
strnlen, strcmp, strncmp and strchr against reference loops, over every
alignment, on every target (the checks live in strings_check.h)."""


def test_string_routines(sdk):
    lines = sdk.run(b"strings\n")
    failures = [l for l in lines if l.startswith("FAIL")]
    assert not failures, "\n".join(failures[:20])
    assert lines[-1].startswith("checked ")
    assert int(lines[-1].split()[1]) > 10000
