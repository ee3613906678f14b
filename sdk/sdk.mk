# SPDX-License-Identifier: MIT
# libpurgkit.a — the freestanding SDK, one library per target.
#
# Generic sources live in sdk/lib/.  A file in sdk/lib/<arch>/ with the same
# stem (memcpy.S beside memcpy.c) replaces the generic one, as in musl; other
# files there are arch-only.  Each list below is one module.

SDK_STRING_SRCS  := memcpy.c memmove.c memset.c memcmp.c strlen.c strnlen.c \
		    strcmp.c strncmp.c strchr.c
SDK_SHA256_SRCS  := sha256.c sha256_blocks.c sha256_verify.c sha256_engines.c
SDK_CONSOLE_SRCS := console.c vsnprintf.c printf.c console_memlog.c console_patch.c \
		    console_arch.c console_uart8250.c
SDK_FDT_SRCS     := fdt.c fdt_read.c
SDK_RUNTIME_SRCS := runtime.c verify.c patch.c time.c symtab.c memory_map.c

SDK_GENERIC_SRCS := $(SDK_STRING_SRCS) $(SDK_SHA256_SRCS) $(SDK_CONSOLE_SRCS) \
		    $(SDK_FDT_SRCS) $(SDK_RUNTIME_SRCS)

# Arch-only sources (set in sdk/lib/<arch>/arch.mk: SDK_ARCH_SRCS_<arch>,
# and SDK_VECTOR_SRCS_<arch> for the modules built with vector flags), one
# per architecture family of the target table (mk/targets.mk).
include $(foreach f,$(PK_FAMILIES),sdk/lib/$(f)/arch.mk)

# $(call sdk_srcs,target): the final source list, overrides applied.
sdk_arch_dir = sdk/lib/$(ARCH_$(1))
sdk_override = $(firstword $(wildcard $(call sdk_arch_dir,$(1))/$(basename $(2)).S \
		$(call sdk_arch_dir,$(1))/$(basename $(2)).c))
sdk_srcs = $(foreach s,$(SDK_GENERIC_SRCS),$(or $(call sdk_override,$(1),$(s)),sdk/lib/$(s))) \
	   $(addprefix $(call sdk_arch_dir,$(1))/,$(SDK_ARCH_SRCS_$(ARCH_$(1))))

# What every SDK object is compiled against: the public headers, every
# family's, and the library's internal ones (sdk/lib/*_impl.h).
SDK_HEADERS := $(wildcard sdk/include/purgkit/*.h sdk/include/purgkit/arch/*/*.h \
	sdk/include/purgkit/proto/*.h sdk/lib/*.h)

define sdk_rules
SDK_OBJS_$(1) := $$(patsubst %,$(BUILD)/$(1)/%.o,$$(basename $$(call sdk_srcs,$(1))))
CC_$(1) := $(CROSS_COMPILE_$(1))gcc
LD_$(1) := $(CROSS_COMPILE_$(1))ld
AR_$(1) := $(CROSS_COMPILE_$(1))ar
OBJDUMP_$(1) := $(CROSS_COMPILE_$(1))objdump
CFLAGS_$(1) := $(call PK_TARGET_CFLAGS,$(1))

$(BUILD)/$(1)/libpurgkit.a: $$(SDK_OBJS_$(1))
	@mkdir -p $$(@D)
	rm -f $$@ && $$(AR_$(1)) rcs $$@ $$^


$(BUILD)/$(1)/sdk/%.o: sdk/%.c $(SDK_HEADERS) mk/targets.mk mk/targets/$(1).mk
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(call pk_module_cflags,$(1),$$<) -MMD -MP -c -o $$@ $$<

# The assembly's structure offsets, generated from the C structures
# (sdk/gen/asm-offsets.c, the kernel's asm-offsets technique): compiled to
# assembly with the target's compiler, each ".ascii "->name VALUE"" marker
# becomes "#define NAME VALUE".  A marker that does not convert (or none
# at all) fails the build.
$(BUILD)/$(1)/include/generated/pk-asm-offsets.h: sdk/gen/asm-offsets.c \
		$(SDK_HEADERS) mk/targets.mk mk/targets/$(1).mk sdk/sdk.mk
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(CFLAGS_$(1)) -S -o $$@.s $$<
	{ echo "/* Generated from sdk/gen/asm-offsets.c for $(1): do not edit. */"; \
	  echo "#ifndef PK_ASM_OFFSETS_H"; echo "#define PK_ASM_OFFSETS_H"; \
	  sed -n 's/^[[:space:]]*\.ascii[[:space:]]*"->\([A-Za-z0-9_]*\) [$$$$#]*\([0-9][0-9]*\)".*/#define \U\1\E \2/p' $$@.s; \
	  echo "#endif"; } > $$@.tmp
	n=$$$$(grep -c '^#define PK_[A-Z0-9_]* [0-9]' $$@.tmp); \
	test "$$$$n" -gt 0 -a "$$$$n" -eq "$$$$(grep -c -- '"->' $$@.s)"
	rm -f $$@.s
	mv $$@.tmp $$@

$(BUILD)/$(1)/sdk/%.o: sdk/%.S $(SDK_HEADERS) mk/targets.mk mk/targets/$(1).mk \
		$(BUILD)/$(1)/include/generated/pk-asm-offsets.h
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(CFLAGS_$(1)) -I$(BUILD)/$(1)/include -D__ASSEMBLY__ -MMD -MP -c -o $$@ $$<

ALL_OUTPUTS += $(BUILD)/$(1)/libpurgkit.a
# What each object really included (a replacement file may include the
# generic one it replaces), as the compiler wrote it down.
-include $$(SDK_OBJS_$(1):.o=.d)
endef

$(foreach t,$(TARGETS),$(eval $(call sdk_rules,$(t))))

# The contract as JSON for the tests (and for people): printed by a host
# program compiled from the same lists the SDK, the trampolines and the
# loader compile against (sdk/gen/contract-json.c).
CONTRACT_HEADERS := $(wildcard sdk/include/purgkit/*.h sdk/include/purgkit/arch/*/*.h trampolines/include/purgkit/*.h)

$(BUILD)/host/contract-json: sdk/gen/contract-json.c sdk/gen/contract-table.h $(CONTRACT_HEADERS)
	@mkdir -p $(@D)
	$(HOSTCC) $(filter-out $(HOST_SANITIZE_FLAGS),$(HOST_CFLAGS)) \
		-Isdk/include -Itrampolines/include -o $@ $<

$(BUILD)/host/contract.json: $(BUILD)/host/contract-json
	$< > $@.tmp
	mv $@.tmp $@

ALL_OUTPUTS += $(BUILD)/host/contract.json

# The check the build runs on every trampoline it links
# (trampolines/trampolines.mk): its patchable symbols against the lists.
$(BUILD)/host/contract-check: sdk/gen/contract-check.c sdk/gen/contract-table.h $(CONTRACT_HEADERS) \
		relocator/include/purgkit/reloc.h $(BUILD)/host/libpurgkit-reloc.a
	@mkdir -p $(@D)
	$(HOSTCC) $(filter-out $(HOST_SANITIZE_FLAGS),$(HOST_CFLAGS)) \
		-Isdk/include -Irelocator/include -Itrampolines/include -o $@ $< $(BUILD)/host/libpurgkit-reloc.a -lelf
