# SPDX-License-Identifier: MIT
# Tests, benchmarks and fuzzing.
#
#   make check       everything but the slow variants (depends on make deps)
#   make check-slow  the slow variants (pytest -m slow)
#   make check-fast  the tests that boot no QEMU machine
#   make bench       the benchmarks (not tests: they print ratios)
#   make fuzz        every fuzzer (the relocator's, the loader's parsers:
#                    tests/loader/fuzz/fuzz.mk), FUZZ_SECONDS each (default 60)
#
# pytest comes from Debian's python3-pytest, so it runs under
# /usr/bin/python3 whatever python3 is first on PATH.

PYTEST := $(PYTHON) -m pytest -ra -p no:cacheprovider
PYTEST_ARGS ?=

# Parts add their own test fragments.
-include tests/sdk/sdk-tests.mk
-include $(foreach f,$(PK_FAMILIES),tests/payloads/$(f)/payloads.mk)
-include tools/tools.mk
include tests/loader/fuzz/fuzz.mk

# What the tests need built besides `all` (parts append to TEST_OUTPUTS).
TEST_OUTPUTS += $(SDK_TEST_BINS) $(SDK_PRINTF_ORACLE) \
	$(BUILD)/host-asan/bin/purgkit-load $(BUILD)/host-asan/bin/purgkit-link

.PHONY: check check-slow check-fast payloads test-outputs bench fuzz

# Each part's benchmark; `make bench` runs them all, one after another.
BENCH_TARGETS := bench-sdk bench-kexec
# Each family's test payloads (tests/payloads/<arch>/payloads.mk) add
# theirs to PAYLOAD_OUTPUTS.
payloads: $(PAYLOAD_OUTPUTS)

test-outputs: all payloads $(TEST_OUTPUTS)

# make check stays within 30 minutes on a 2-core machine: the variants
# marked slow (each architecture keeps a test of every kind in make check,
# tests/e2e/e2e_support.py VARIANT_ARCHES) run in make check-slow.
check: deps
	@$(MAKE) --no-print-directory test-outputs
	$(PYTEST) $(PYTEST_ARGS) -m "not slow" tests/

check-slow: deps
	@$(MAKE) --no-print-directory test-outputs
	$(PYTEST) $(PYTEST_ARGS) -m slow tests/

check-fast: deps
	@$(MAKE) --no-print-directory test-outputs
	$(PYTEST) $(PYTEST_ARGS) -m "not qemu" tests/

fuzz: fuzz-relocator fuzz-loader

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)
