# SPDX-License-Identifier: MIT
"""Fixtures for the SDK unit tests: sdk-test per target, per engine.

The helpers live in sdk_support.py, which tests import by name (every test
folder has a conftest.py, so `from conftest import` is ambiguous)."""
import os
import pathlib
import subprocess
import pytest

from sdk_support import TARGETS, PORTABLE, host_has_sha_ni, SdkTest, engines_for


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
    """An SdkTest plus the engine to force; skips SHA-NI on CPUs without
    it (with the reason), fails if qemu's POWER8 lacks vector crypto."""
    target, engine = target_engine
    sdk = SdkTest(target)
    if engine != PORTABLE:
        lines = sdk.run(sdk.force(engine))
        if lines != ["ok"]:
            if target == "x86_64" and not host_has_sha_ni():
                pytest.skip("this CPU has no SHA extensions "
                            "(no sha_ni in /proc/cpuinfo)")
            pytest.fail(f"{target}: engine {engine} refused: {lines}")
    return sdk, engine
