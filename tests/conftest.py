# SPDX-License-Identifier: MIT
"""Shared by every test folder.  This file's folder, tests/, is on
sys.path (pytest puts a conftest.py's folder there), so any test module
imports the target table as ``from build_targets import ...``.

Every test fails on a sanitizer report from any program it ran.

The loader, relocator and plan tests run the ASan+UBSan builds
(build/host-asan).  A report on stderr is easy to miss: a refusal test
that only looks for its line, or a program that exits 0 after a UBSan
warning, would pass.  So every sanitizer here writes its reports to a
folder of this session (log_path), leak checking on, and a test after
which a report appeared fails with it."""
import os
import tempfile

import pytest

REPORTS = tempfile.mkdtemp(prefix="purgkit-sanitizer-")


def _with(variable, options):
    old = os.environ.get(variable, "")
    os.environ[variable] = ":".join(x for x in (old, options) if x)


_with("ASAN_OPTIONS", f"detect_leaks=1:log_path={REPORTS}/asan")
_with("UBSAN_OPTIONS", f"print_stacktrace=1:log_path={REPORTS}/ubsan")
_with("LSAN_OPTIONS", f"log_path={REPORTS}/lsan")


@pytest.fixture(autouse=True)
def no_sanitizer_report():
    before = set(os.listdir(REPORTS))
    yield
    new = sorted(set(os.listdir(REPORTS)) - before)
    if new:
        text = ""
        for name in new:
            with open(os.path.join(REPORTS, name), errors="replace") as f:
                text += f"--- {name}\n{f.read()[:4000]}"
        pytest.fail(f"sanitizer report(s) while this test ran:\n{text}",
                    pytrace=False)
