# SPDX-License-Identifier: MIT
# The linker scripts: one source per architecture family
# (linker/<arch>.lds.S), run through the C preprocessor into
#   $(BUILD)/linker/<target>.lds        relocatable trampoline (ld -r)
#   $(BUILD)/linker/<target>-flat.lds   the same at a fixed address (PK_FLAT)
# so that little- and big-endian, relocatable and flat cannot drift apart.
# Made for every target, compiler or not: cpp is the host's, and
# `make install` installs them all.

# OUTPUT_FORMAT comes from the target's row (LINKER_FORMAT_<target>).
LINKER_CPP := $(HOSTCC) -E -P -C -undef -nostdinc -x c

# $(call linker_script,TARGET,EXTRA-DEFINES)
define linker_script
	@mkdir -p $(@D)
	{ echo "/* Generated from linker/$(ARCH_$(1)).lds.S for $(1): do not edit. */"; \
	  $(LINKER_CPP) -DPK_OUTPUT_FORMAT='"$(LINKER_FORMAT_$(1))"' $(2) $<; } > $@.tmp
	mv $@.tmp $@
endef

define linker_rules
$(BUILD)/linker/$(1).lds: linker/$(ARCH_$(1)).lds.S linker/common.lds.h linker/linker.mk
	$$(call linker_script,$(1),)

$(BUILD)/linker/$(1)-flat.lds: linker/$(ARCH_$(1)).lds.S linker/common.lds.h linker/linker.mk
	$$(call linker_script,$(1),-DPK_FLAT)

LINKER_SCRIPTS += $(BUILD)/linker/$(1).lds $(BUILD)/linker/$(1)-flat.lds
endef

$(foreach t,$(ALL_TARGETS),$(eval $(call linker_rules,$(t))))

ALL_OUTPUTS += $(LINKER_SCRIPTS)
