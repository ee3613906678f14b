# SPDX-License-Identifier: MIT
"""Fixtures for purgkit-load tests: run the loader, read its plan back.

The helpers live in loader_support.py, which tests import by name (every test
folder has a conftest.py, so `from conftest import` is ambiguous)."""
import hashlib
import json
import os
import subprocess
import sys
import pytest

from loader_support import X86_MEMMAP, loader_path, Result, read_memmap, check_segment_rules, check_verification, check_memory_map


@pytest.fixture
def run(tmp_path):
    def run(*args, memmap=X86_MEMMAP, dump=True):
        cmd = [loader_path()]
        dump_dir = None
        if memmap:
            cmd.append(f"--memmap={memmap}")
        if dump:
            dump_dir = str(tmp_path / "segments")
            cmd.append(f"--dump-segments={dump_dir}")
        cmd += [str(a) for a in args]
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=120)
        return Result(proc, dump_dir)
    return run


@pytest.fixture
def plan(run):
    """A successful --dry-run --json plan, its segment rules re-checked."""
    def plan(*args, memmap=X86_MEMMAP):
        result = run("--dry-run", "--json", *args, memmap=memmap)
        assert result.rc == 0, result.stderr
        p = result.plan
        check_segment_rules(p, read_memmap(memmap))
        check_verification(p, result)
        check_memory_map(p, result, read_memmap(memmap))
        p["_result"] = result
        return p
    return plan


@pytest.fixture
def write(tmp_path):
    def write(name, data):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)
    return write
