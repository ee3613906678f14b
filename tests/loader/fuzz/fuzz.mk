# SPDX-License-Identifier: MIT
# libFuzzer targets for purgkit-load's parsers (tests/loader/fuzz/fuzz_loader.c):
#   $(BUILD)/host-fuzz/loader-fuzz-NAME   NAME: memmap elf plan devtree set
# `make fuzz` runs each for FUZZ_SECONDS.  Every input that found new code
# is kept in $(BUILD)/host-fuzz/corpus-NAME (seeded from
# tests/loader/fuzz/seeds/NAME), every crash in
# $(BUILD)/host-fuzz/artifacts/NAME-*, and each run's final statistics
# (execs, crashes) in $(BUILD)/host-fuzz/NAME.log.

LOADER_FUZZ_TARGETS := memmap elf plan devtree set
LOADER_FUZZ_NUM_memmap := 1
LOADER_FUZZ_NUM_elf := 2
LOADER_FUZZ_NUM_plan := 3
LOADER_FUZZ_NUM_devtree := 4
LOADER_FUZZ_NUM_set := 5
# Inputs as large as the largest seed each target has, and no larger.
LOADER_FUZZ_MAXLEN_devtree := 32768
LOADER_FUZZ_MAXLEN_plan := 16384
LOADER_FUZZ_MAXLEN_elf := 8192
LOADER_FUZZ_MAXLEN_memmap := 4096
LOADER_FUZZ_MAXLEN_set := 512

# Each part with its own include folders, as in the real builds.
LOADER_FUZZ_FLAGS := -std=gnu11 -O1 -g -D_GNU_SOURCE \
	-DPK_VERSION='"fuzz"' -DPURGKIT_VERSION='"fuzz"' \
	-DPK_RELOC_MAX_IMAGE="(1ull << 24)" \
	-fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined
# The loader's own main() gives way to libFuzzer's.
LOADER_FUZZ_SRCS := $(filter-out loader/main.c,$(LOADER_SRCS)) $(RELOC_LIB_SRCS)
LOADER_FUZZ_OBJS := $(patsubst %.c,$(BUILD)/host-fuzz/obj/%.o,$(LOADER_FUZZ_SRCS)) \
	$(BUILD)/host-fuzz/obj/loader/main.o $(BUILD)/host-fuzz/obj/trampolines.o

$(BUILD)/host-fuzz/obj/relocator/%.o: relocator/%.c $(RELOC_HEADERS) tests/loader/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(LOADER_FUZZ_FLAGS) -Irelocator -Irelocator/include -Isdk/include \
		$(RELOC_BACKENDS_DEFINE) -c -o $@ $<

$(BUILD)/host-fuzz/obj/loader/%.o: loader/%.c $(LOADER_HEADERS) tests/loader/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(LOADER_FUZZ_FLAGS) $(LOADER_INCLUDES) -c -o $@ $<

$(BUILD)/host-fuzz/obj/loader/main.o: loader/main.c $(LOADER_HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(LOADER_FUZZ_FLAGS) $(LOADER_INCLUDES) -Dmain=pk_loader_main -c -o $@ $<

$(BUILD)/host-fuzz/obj/trampolines.o: $(BUILD)/host/loader/trampolines.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(LOADER_FUZZ_FLAGS) $(LOADER_INCLUDES) -c -o $@ $<

$(BUILD)/host-fuzz/loader-fuzz-%: tests/loader/fuzz/fuzz_loader.c \
		$(LOADER_FUZZ_OBJS) $(BUILD)/x86_64/trampolines/linux.ro
	@mkdir -p $(@D)
	$(FUZZ_CC) $(LOADER_FUZZ_FLAGS) $(LOADER_INCLUDES) -fsanitize=fuzzer \
		-DPK_FUZZ_TARGET=$(LOADER_FUZZ_NUM_$*) \
		-DPK_FUZZ_MEMMAP='"$(CURDIR)/tests/loader/memmaps/qemu-x86_64-pc-1G.memmap"' \
		-DPK_FUZZ_PPC_MEMMAP='"$(CURDIR)/tests/loader/ppc64/qemu-pseries-2G.memmap"' \
		-DPK_FUZZ_DTB='"$(CURDIR)/tests/loader/fuzz/seeds/devtree/qemu-pseries-2G-packed.dtb"' \
		-DPK_FUZZ_TRAMPOLINE='"$(CURDIR)/$(BUILD)/x86_64/trampolines/linux.ro"' \
		-o $@ $< $(LOADER_FUZZ_OBJS) $(LOADER_LIBS)

.PHONY: fuzz-loader $(addprefix fuzz-loader-,$(LOADER_FUZZ_TARGETS))

fuzz-loader: $(addprefix fuzz-loader-,$(LOADER_FUZZ_TARGETS))

# One target for FUZZ_SECONDS; fails if it found a crash.
$(addprefix fuzz-loader-,$(LOADER_FUZZ_TARGETS)): fuzz-loader-%: $(BUILD)/host-fuzz/loader-fuzz-%
	@mkdir -p $(BUILD)/host-fuzz/corpus-$* $(BUILD)/host-fuzz/artifacts
	$(BUILD)/host-fuzz/loader-fuzz-$* -max_total_time=$(FUZZ_SECONDS) \
		-max_len=$(LOADER_FUZZ_MAXLEN_$*) -timeout=10 -rss_limit_mb=2048 -close_fd_mask=2 \
		-artifact_prefix=$(BUILD)/host-fuzz/artifacts/$*- \
		-print_final_stats=1 \
		$(BUILD)/host-fuzz/corpus-$* tests/loader/fuzz/seeds/$* \
		2>&1 | tee $(BUILD)/host-fuzz/$*.log | grep -E "^(stat::|==|SUMMARY|Done)" ; \
		test $${PIPESTATUS[0]} -eq 0

# The objects are shared by the five binaries: keep them between runs.
.SECONDARY: $(LOADER_FUZZ_OBJS)
