# SPDX-License-Identifier: MIT
# Tests, benchmarks and fuzzing.
#
#   make check       everything (depends on make deps): pytest over tests/
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

.PHONY: check check-fast payloads test-outputs bench fuzz

# Each part's benchmark; `make bench` runs them all, one after another.
BENCH_TARGETS := bench-sdk bench-kexec
# Each family's test payloads (tests/payloads/<arch>/payloads.mk) add
# theirs to PAYLOAD_OUTPUTS.
payloads: $(PAYLOAD_OUTPUTS)

test-outputs: all payloads $(TEST_OUTPUTS)

check: deps
	@$(MAKE) --no-print-directory test-outputs
	$(PYTEST) $(PYTEST_ARGS) tests/

check-fast: deps
	@$(MAKE) --no-print-directory test-outputs
	$(PYTEST) $(PYTEST_ARGS) -m "not qemu" tests/

fuzz: fuzz-relocator fuzz-loader

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)
