# SPDX-License-Identifier: MIT
# The ready trampolines: build/<target>/trampolines/<name>.ro
#
# Each is one C file built only against the SDK's public headers, then
#   ld -r --gc-sections -T build/linker/<target>.lds -u pk_entry  name.o libpurgkit.a
# and, as a check that fails the build instead of the boot, linked once
# more without -r (build/linker/<target>-flat.lds) so undefined symbols
# surface.  The scripts come from linker/<arch>.lds.S (linker/linker.mk).
# Last, build/host/contract-check holds its patchable symbols against the
# contract's lists (sdk/gen/contract-check.c).

# Each architecture family lists its trampolines in
# trampolines/<arch>/trampolines.mk (TRAMPOLINES_<arch> := names).
include $(foreach f,$(PK_FAMILIES),trampolines/$(f)/trampolines.mk)

TRAMPOLINE_CFLAGS := -Itrampolines/include

define trampoline_rules
$(BUILD)/$(1)/trampolines/$(2).o: trampolines/$(ARCH_$(1))/$(2).c \
		$(wildcard sdk/include/purgkit/*.h sdk/include/purgkit/arch/*/*.h sdk/include/purgkit/proto/*.h trampolines/include/purgkit/*.h)
	@mkdir -p $$(@D)
	$$(CC_$(1)) $$(CFLAGS_$(1)) $(TRAMPOLINE_CFLAGS) -c -o $$@ $$<

$(BUILD)/$(1)/trampolines/$(2).ro: $(BUILD)/$(1)/trampolines/$(2).o \
		$(BUILD)/$(1)/libpurgkit.a $(BUILD)/linker/$(1).lds $(BUILD)/linker/$(1)-flat.lds \
		$(BUILD)/host/contract-check
	$$(LD_$(1)) -r --gc-sections -T $(BUILD)/linker/$(1).lds -u pk_entry -o $$@.tmp $$< $(BUILD)/$(1)/libpurgkit.a || { rm -f $$@.tmp; exit 1; }
	$$(LD_$(1)) -static -nostdlib --no-warn-rwx-segments -T $(BUILD)/linker/$(1)-flat.lds -o $$@.check $$@.tmp || { rm -f $$@.tmp $$@.check; exit 1; }
	rm -f $$@.check
	$(BUILD)/host/contract-check $(ARCH_$(1))/$(2) $$@.tmp || { rm -f $$@.tmp; exit 1; }
	mv $$@.tmp $$@

ALL_OUTPUTS += $(BUILD)/$(1)/trampolines/$(2).ro
endef

$(foreach t,$(TARGETS),$(foreach n,$(TRAMPOLINES_$(ARCH_$(t))),$(eval $(call trampoline_rules,$(t),$(n)))))
