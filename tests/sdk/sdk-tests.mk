# SPDX-License-Identifier: MIT
# SDK unit tests and benchmark (included from tests/tests.mk).
#
#   make check-sdk   build sdk-test for every target and run tests/sdk/ with
#                    pytest: natively on x86_64, under qemu-user on ppc64le
#                    and ppc64 (a POWER8 model, so the vector path runs too)
#   make bench-sdk   SHA-256 and memcpy throughput beside OpenSSL and libc,
#                    per target with a C library (natively or under qemu-user)
#
# sdk-test is built from the SDK's own sources with the target's
# freestanding flags plus -DPK_HOSTED (which only turns privileged
# instructions off), linked static without libc.

SDK_TEST_DIR := tests/sdk

# The SDK modules under test: everything but the runtime's entry and flow
# (runtime.c, the arch entry stubs) and the hardware drivers.
SDK_TEST_GENERIC := $(SDK_STRING_SRCS) $(SDK_SHA256_SRCS) console.c \
		    vsnprintf.c printf.c console_memlog.c $(SDK_FDT_SRCS) \
		    verify.c patch.c time.c symtab.c memory_map.c
# The arch-only sources under test are the family's SDK_HOSTED_SRCS_<arch>
# (sdk/lib/<arch>/arch.mk, with SDK_HOSTED_LDFLAGS_<arch>); the program's
# start is tests/sdk/harness/start_<arch>.S.
sdk_test_srcs = $(foreach s,$(SDK_TEST_GENERIC),$(or $(call sdk_override,$(1),$(s)),sdk/lib/$(s))) \
	$(addprefix $(call sdk_arch_dir,$(1))/,$(SDK_HOSTED_SRCS_$(ARCH_$(1))))
sdk_test_start = $(SDK_TEST_DIR)/harness/start_$(ARCH_$(1)).S

define sdk_test_rules
SDK_TEST_OBJDIR_$(1) := $(BUILD)/$(1)/tests/sdk/obj
SDK_TEST_OBJS_$(1) := $$(patsubst %,$$(SDK_TEST_OBJDIR_$(1))/%.o,$$(basename $$(call sdk_test_srcs,$(1)))) \
	$$(SDK_TEST_OBJDIR_$(1))/sdk_test.o $$(SDK_TEST_OBJDIR_$(1))/start.o

$$(SDK_TEST_OBJDIR_$(1))/sdk/lib/%.o: sdk/lib/%.c $(wildcard sdk/include/purgkit/*.h sdk/include/purgkit/arch/*/*.h sdk/lib/*.h) mk/targets.mk
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(call pk_module_cflags,$(1),$$<) -DPK_HOSTED -c -o $$@ $$<

$$(SDK_TEST_OBJDIR_$(1))/sdk_test.o: $(SDK_TEST_DIR)/sdk_test.c $(wildcard $(SDK_TEST_DIR)/*.h $(SDK_TEST_DIR)/harness/*.h)
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(CFLAGS_$(1)) -DPK_HOSTED -I$(SDK_TEST_DIR) -c -o $$@ $$<

$$(SDK_TEST_OBJDIR_$(1))/start.o: $$(call sdk_test_start,$(1))
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(CFLAGS_$(1)) -c -o $$@ $$<

$(BUILD)/$(1)/tests/sdk/sdk-test: $$(SDK_TEST_OBJS_$(1))
	$$(CC_$(1)) $$(CFLAGS_$(1)) $$(SDK_HOSTED_LDFLAGS_$(ARCH_$(1))) -static -nostdlib \
		-o $$@ $$^ -lgcc

SDK_TEST_BINS += $(BUILD)/$(1)/tests/sdk/sdk-test
endef

$(foreach t,$(TARGETS),$(eval $(call sdk_test_rules,$(t))))

SDK_PRINTF_ORACLE := $(BUILD)/host/tests/sdk/printf-oracle
$(SDK_PRINTF_ORACLE): $(SDK_TEST_DIR)/printf_oracle.c $(SDK_TEST_DIR)/printf_cases.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-format-truncation -o $@ $<

SDK_LIBS := $(foreach t,$(TARGETS),$(BUILD)/$(t)/libpurgkit.a)

.PHONY: check-sdk bench-sdk
check-sdk: $(SDK_TEST_BINS) $(SDK_PRINTF_ORACLE) $(SDK_LIBS) $(BUILD)/host/contract.json
	PURGKIT_BUILD=$(BUILD) PK_SDK_TARGETS="$(TARGETS)" $(PYTHON) -m pytest -q $(SDK_TEST_DIR)

# The benchmark: for each target with a C library to link (STATIC_TOOLS,
# as the static purgkit-load: the host's libraries, or the private
# sysroot's that loader/sysroot.sh fetches), a static sha256-bench that
# times the SDK's SHA-256 engines and memcpy, compiled from the sources
# and with the flags of libpurgkit.a (plus -DPK_HOSTED), beside that C
# library's OpenSSL and memcpy.  run_bench.py runs each one natively or
# under qemu-user (tests/sdk/sdk_support.py's runner) and prints ratios.
# A family whose SDK objects cannot link with its C library says so in
# its arch.mk (SDK_BENCH_LIBC_<arch> := no, with the reason).
SDK_BENCH_TARGETS := $(strip $(foreach t,$(TARGETS),$(if $(filter yes,$(STATIC_TOOLS_$(t))),\
	$(if $(filter no,$(SDK_BENCH_LIBC_$(ARCH_$(t)))),,$(t)))))
SDK_BENCH_GENERIC := sha256.c sha256_blocks.c sha256_engines.c patch.c
sdk_bench_srcs = $(foreach s,$(SDK_BENCH_GENERIC),$(or $(call sdk_override,$(1),$(s)),sdk/lib/$(s))) \
	$(addprefix $(call sdk_arch_dir,$(1))/,$(SDK_HOSTED_SRCS_$(ARCH_$(1))))
# The target's memcpy (the arch's, else the generic one), renamed so that
# it sits beside the C library's.
sdk_bench_memcpy = $(or $(call sdk_override,$(1),memcpy.c),sdk/lib/memcpy.c)

define sdk_bench_rules
SDK_BENCH_OBJDIR_$(1) := $(BUILD)/$(1)/tests/sdk/bench
SDK_BENCH_OBJS_$(1) := $$(patsubst %,$$(SDK_BENCH_OBJDIR_$(1))/%.o,$$(basename $$(call sdk_bench_srcs,$(1)))) \
	$$(SDK_BENCH_OBJDIR_$(1))/pk_bench_memcpy.o

$$(SDK_BENCH_OBJDIR_$(1))/sdk/lib/%.o: sdk/lib/%.c sdk/lib/sha256_impl.h $(wildcard sdk/include/purgkit/*.h sdk/include/purgkit/arch/*/*.h) mk/targets.mk
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(call pk_module_cflags,$(1),$$<) -DPK_HOSTED -c -o $$@ $$<

$$(SDK_BENCH_OBJDIR_$(1))/pk_bench_memcpy.o: $(call sdk_bench_memcpy,$(1))
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(call pk_module_cflags,$(1),$$<) -DPK_HOSTED \
		-Dmemcpy=pk_bench_memcpy -c -o $$@ $$<

# libcrypto wants libzstd and zlib after it (and a later Debian's, the
# compat archive last: loader/loader.mk).
$(BUILD)/$(1)/tests/sdk/sha256-bench: $(SDK_TEST_DIR)/bench/sha256_bench.c $$(SDK_BENCH_OBJS_$(1)) \
		$(call loader_compat,$(1)) | $(call loader_sysroot_dep,$(1))
	$$(CC_$(1)) -std=gnu11 -O2 -Wall -Wextra -Werror -Isdk/include \
		$(call loader_sysroot_flags,$(1)) -static $(call loader_sysroot_ldflags,$(1)) \
		-o $$@ $$(filter %.c %.o,$$^) -lcrypto -lzstd -lz -ldl -pthread \
		$(call loader_compat,$(1))

SDK_BENCH_BINS += $(BUILD)/$(1)/tests/sdk/sha256-bench
endef

$(foreach t,$(SDK_BENCH_TARGETS),$(eval $(call sdk_bench_rules,$(t))))

# Built by `make check` too, so the benchmark cannot rot between the runs
# someone makes of it.
TEST_OUTPUTS += $(SDK_BENCH_BINS)

bench-sdk: $(SDK_BENCH_BINS) $(BUILD)/targets.json
	PURGKIT_BUILD=$(BUILD) $(PYTHON) $(SDK_TEST_DIR)/bench/run_bench.py $(SDK_BENCH_TARGETS)
