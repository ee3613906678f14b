# SPDX-License-Identifier: MIT
"""Fixtures for the SDK unit tests: sdk-test per target, per engine.

The helpers live in sdk_support.py, which tests import by name (every test
folder has a conftest.py, so `from conftest import` is ambiguous)."""
import os
import pathlib
import subprocess
import pytest

from sdk_support import (TARGETS, PORTABLE, host_cpu_lacks_accel, SdkTest,
                         engines_for)


@pytest.fixture(params=TARGETS)
def sdk(request):
    return SdkTest(request.param)


def pytest_generate_tests(metafunc):
    # Tests that take `target_engine` run for every target x engine.
    if "target_engine" in metafunc.fixturenames:
        params, ids = [], []
        for t in TARGETS:
            for name, engine in engines_for(t):
                params.append((t, engine))
                ids.append(f"{t}-{name}")
        metafunc.parametrize("target_engine", params, ids=ids)


@pytest.fixture
def engine_sdk(target_engine):
    """An SdkTest plus the engine to force; skips the accelerated engine
    of a native target on a CPU without it (with the reason), fails if a
    qemu-user CPU model lacks it."""
    target, engine = target_engine
    sdk = SdkTest(target)
    if engine != PORTABLE:
        lines = sdk.run(sdk.force(engine))
        if lines != ["ok"]:
            lacking = host_cpu_lacks_accel(target)
            if lacking:
                pytest.skip(lacking)
            pytest.fail(f"{target}: engine {engine} refused: {lines}")
    return sdk, engine
