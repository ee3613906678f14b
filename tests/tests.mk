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

# Test payloads: freestanding x86 kernels that report what they got
# (tests/payloads/x86_64/payload.h).  32-bit ones for Multiboot and raw32,
# a 64-bit one for raw64, a real-mode flat binary for raw16.
PAYLOAD_CFLAGS := -ffreestanding -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables -Wall -Werror -nostdlib -static \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
PAYLOAD_DIR := tests/payloads/x86_64
PAYLOAD_DEPS := $(PAYLOAD_DIR)/payload.h $(PAYLOAD_DIR)/payload.lds

$(BUILD)/payloads/x86_64/multiboot.elf $(BUILD)/payloads/x86_64/multiboot2.elf \
$(BUILD)/payloads/x86_64/raw32.elf $(BUILD)/payloads/x86_64/screen.elf: $(BUILD)/payloads/x86_64/%.elf: $(PAYLOAD_DIR)/%.c $(PAYLOAD_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -m32 -O2 $(PAYLOAD_CFLAGS) -Wl,-T,$(PAYLOAD_DIR)/payload.lds -o $@ $<

$(BUILD)/payloads/x86_64/multiboot.elf $(BUILD)/payloads/x86_64/multiboot2.elf: \
	$(PAYLOAD_DIR)/multiboot_convention.h

$(BUILD)/payloads/x86_64/raw64.elf: $(PAYLOAD_DIR)/raw64.c $(PAYLOAD_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -m64 -mno-red-zone -mgeneral-regs-only -O2 $(PAYLOAD_CFLAGS) \
		-Wl,-T,$(PAYLOAD_DIR)/payload.lds -o $@ $<

$(BUILD)/payloads/x86_64/raw16.bin: $(PAYLOAD_DIR)/raw16.c $(PAYLOAD_DIR)/payload.h $(PAYLOAD_DIR)/raw16.lds
	@mkdir -p $(@D)
	$(HOSTCC) -m16 -march=i386 -Os $(PAYLOAD_CFLAGS) \
		-Wl,-T,$(PAYLOAD_DIR)/raw16.lds -o $(@:.bin=.elf) $<
	objcopy -O binary $(@:.bin=.elf) $@

PAYLOAD_OUTPUTS := $(addprefix $(BUILD)/payloads/x86_64/,multiboot.elf \
	multiboot2.elf raw32.elf raw64.elf raw16.bin screen.elf)

.PHONY: check check-fast payloads test-outputs bench fuzz

# Each part's benchmark; `make bench` runs them all, one after another.
BENCH_TARGETS := bench-sdk bench-kexec
payloads: $(PAYLOAD_OUTPUTS) $(PPC64_PAYLOAD_OUTPUTS)

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
