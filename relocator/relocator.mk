# SPDX-License-Identifier: MIT
# The relocator: libpurgkit-reloc.a (host library, needs only libelf) and
# purgkit-link, its command.
#   $(BUILD)/host/libpurgkit-reloc.a       the library the loader links
#   $(BUILD)/host/bin/purgkit-link         the command
#   $(BUILD)/host-asan/bin/purgkit-link    ASan+UBSan build, for the tests
#   $(BUILD)/host-fuzz/reloc-fuzz          libFuzzer target (clang)
# RELOC_LIB_SRCS is the library's source list: loader.mk compiles it with
# other compilers for the static, per-target purgkit-load.

# The generic part, and one backend per architecture family of the target
# table (relocator/reloc_<arch>.c, mk/targets.mk): a family's backend joins
# the library, and its rows the machine table (PK_RELOC_BACKENDS, defined
# here from the same list), when a target row names the family.
RELOC_GENERIC_SRCS := relocator/reloc.c relocator/reloc_machines.c \
	relocator/reloc_set.c relocator/reloc_write.c relocator/input.c
RELOC_BACKEND_SRCS := $(foreach f,$(PK_FAMILIES),relocator/reloc_$(f).c)
RELOC_LIB_SRCS := $(RELOC_GENERIC_SRCS) $(RELOC_BACKEND_SRCS)
RELOC_BACKENDS_DEFINE := -D'PK_RELOC_BACKENDS(X)=$(foreach f,$(PK_FAMILIES),X($(f)))'
RELOC_HEADERS := relocator/include/purgkit/reloc.h relocator/reloc_internal.h \
	relocator/include/purgkit/byteorder.h \
	relocator/include/purgkit/input.h \
	sdk/include/purgkit/patch.h \
	$(PK_TARGET_ROWS)	# PK_RELOC_BACKENDS comes from the rows
RELOC_CFLAGS := -Irelocator -Irelocator/include -Isdk/include -DPURGKIT_VERSION='"$(VERSION)"' \
	$(RELOC_BACKENDS_DEFINE)
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang

RELOC_OBJS := $(patsubst relocator/%.c,$(BUILD)/host/relocator/%.o,$(RELOC_LIB_SRCS))
RELOC_ASAN_OBJS := $(patsubst relocator/%.c,$(BUILD)/host-asan/relocator/%.o,\
	$(RELOC_LIB_SRCS) relocator/purgkit-link.c)

$(BUILD)/host/relocator/%.o: relocator/%.c $(RELOC_HEADERS) relocator/relocator.mk
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(RELOC_CFLAGS) -c -o $@ $<

$(BUILD)/host-asan/relocator/%.o: relocator/%.c $(RELOC_HEADERS) relocator/relocator.mk
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_SANITIZE_FLAGS) $(RELOC_CFLAGS) -c -o $@ $<

$(BUILD)/host/libpurgkit-reloc.a: $(RELOC_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/host/bin/purgkit-link: $(BUILD)/host/relocator/purgkit-link.o \
		$(BUILD)/host/libpurgkit-reloc.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ -lelf

$(BUILD)/host-asan/bin/purgkit-link: $(RELOC_ASAN_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_LDFLAGS) $(HOST_SANITIZE_FLAGS) -o $@ $^ -lelf

$(BUILD)/host-fuzz/reloc-fuzz: tests/relocator/fuzz_reloc.c $(RELOC_LIB_SRCS) \
		$(RELOC_HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -O1 -g -D_GNU_SOURCE -Isdk/include \
		-Irelocator/include $(RELOC_CFLAGS) \
		-DPK_RELOC_MAX_IMAGE="(1ull << 24)" \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $@ \
		tests/relocator/fuzz_reloc.c $(RELOC_LIB_SRCS) -lelf

ALL_OUTPUTS += $(BUILD)/host/libpurgkit-reloc.a $(BUILD)/host/bin/purgkit-link

.PHONY: check-relocator fuzz-relocator

# The relocator's tests: GNU ld as the oracle for all three targets, every
# refusal, --set and --map, against the sanitized build.
check-relocator: $(BUILD)/host-asan/bin/purgkit-link $(BUILD)/targets.json \
		$(LINKER_SCRIPTS)
	PURGKIT_LINK=$(BUILD)/host-asan/bin/purgkit-link PURGKIT_BUILD=$(BUILD) \
		$(PYTHON) -m pytest -q tests/relocator

# Fuzz the library for FUZZ_SECONDS from the seed corpus; new inputs go to
# $(BUILD)/host-fuzz/corpus so the checked-in seeds stay small.
fuzz-relocator: $(BUILD)/host-fuzz/reloc-fuzz
	@mkdir -p $(BUILD)/host-fuzz/corpus $(BUILD)/host-fuzz/artifacts
	$(BUILD)/host-fuzz/reloc-fuzz -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/host-fuzz/artifacts/ \
		-print_final_stats=1 \
		$(BUILD)/host-fuzz/corpus tests/relocator/corpus
