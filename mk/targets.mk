# SPDX-License-Identifier: MIT
# Targets and their freestanding flags, chosen once for the whole SDK.
#
# Every flag below is here for a reason that matters between two kernels:
#   -Os                     a trampoline is mostly cold code that runs once;
#                           its loaded bytes count (kexec copies them, and the
#                           time between two kernels is the user's), so size
#                           wins, except in the hot modules (PK_HOT_SRCS: the
#                           hashing loops), built with -O2.  memcpy and memset
#                           are not among them: x86_64's are one rep string
#                           instruction, and -O2 doubles ppc64's for the same
#                           32-byte loop body.
#   -ffunction-sections -fdata-sections
#                           one section per function and object, so that
#                           `ld -r --gc-sections -u pk_entry` keeps only what
#                           the trampoline reaches (.pk.patch is kept whole).
#   -ffreestanding          no hosted libc; the compiler may still emit calls to
#                           memcpy/memmove/memset/memcmp, which sdk/lib provides.
#   -fno-stack-protector    there is no canary and no __stack_chk_fail to call.
#   -fno-asynchronous-unwind-tables, -fno-unwind-tables
#                           no .eh_frame: nothing unwinds, and it only costs bytes.
#   -fno-common             tentative definitions would become COMMON symbols,
#                           which the relocator refuses (they have no section).
#   -fvisibility=hidden     nothing is exported from a trampoline; hidden
#                           symbols let the compiler avoid the GOT.
# Per target, the flags and facts are one row each: mk/targets/<target>.mk.

# The target table.  A target is a file, mk/targets/<target>.mk, which sets
# (suffixed _<target>; docs/architecture.md has the checklist):
#   ARCH              the architecture family: the folder of sdk/lib/<f>/,
#                     sdk/include/purgkit/arch/<f>/, linker/<f>.lds.S,
#                     trampolines/<f>/, loader/<f>/, relocator/reloc_<f>.c,
#                     tests/payloads/<f>/
#   TRIPLET           GNU triplet; the cross prefix is "<triplet>-" unless
#                     the host (uname -m) is the target
#   DEB_ARCH          Debian's name for the architecture (sysroots, kernels)
#   LINKER_FORMAT     ld's OUTPUT_FORMAT for the linker scripts
#   PK_ARCH_CFLAGS    the freestanding flags of the arch, each with its reason
#   PK_VECTOR_CFLAGS  the flags of the family's one vector module (may be empty)
#   PK_NO_VECTOR_CFLAGS
#                     those of PK_ARCH_CFLAGS that forbid vector code, which
#                     the vector module drops
#   BIG_ENDIAN        0 or 1
#   PAGE_SIZE         the page size of Debian's kernel for it, in bytes
#   QEMU_USER         the qemu-user program that runs its static programs
#   STATIC_TOOLS      yes/no: static purgkit-load and purgkit-init for it
#                     (its libraries: the host's, or a private sysroot that
#                     loader/sysroot.sh <DEB_ARCH> fetches)
#   SYSROOT_SUITE     (optional) the Debian suite of that sysroot when it is
#                     not bookworm, the cross toolchain's (riscv64: trixie,
#                     Debian 12 has no port); its static link then takes
#                     loader/compat/libc-compat.c too
PK_TARGET_ROWS := $(sort $(wildcard mk/targets/*.mk))
include $(PK_TARGET_ROWS)
ALL_TARGETS := $(basename $(notdir $(PK_TARGET_ROWS)))
PK_TARGET_FACTS := ARCH TRIPLET DEB_ARCH LINKER_FORMAT PK_ARCH_CFLAGS \
	PK_VECTOR_CFLAGS PK_NO_VECTOR_CFLAGS BIG_ENDIAN PAGE_SIZE QEMU_USER STATIC_TOOLS
$(foreach t,$(ALL_TARGETS),$(foreach f,$(PK_TARGET_FACTS),\
	$(if $(filter undefined,$(origin $(f)_$(t))),\
	$(error mk/targets/$(t).mk: $(f)_$(t) is not set (mk/targets.mk lists what a target row sets)))))

# The architecture families of the table, and the parts each must have: a
# missing one is an error here, naming it, rather than a surprise later.
PK_FAMILIES := $(sort $(foreach t,$(ALL_TARGETS),$(ARCH_$(t))))
PK_FAMILY_PARTS = sdk/lib/$(1)/arch.mk linker/$(1).lds.S \
	trampolines/$(1)/trampolines.mk loader/$(1)/arch.c relocator/reloc_$(1).c
$(foreach f,$(PK_FAMILIES),$(foreach p,$(call PK_FAMILY_PARTS,$(f)),\
	$(if $(wildcard $(p)),,$(error architecture family $(f) (mk/targets/*.mk) has no $(p)))))

HOST_ARCH := $(shell uname -m)

$(foreach t,$(ALL_TARGETS),$(eval CROSS_COMPILE_$(t) := \
	$(if $(filter $(t),$(HOST_ARCH)),,$(TRIPLET_$(t))-)))

# `make CROSS_COMPILE=... TARGET=...` overrides the toolchain for one target.
ifdef TARGET
ifeq ($(filter $(TARGET),$(ALL_TARGETS)),)
$(error TARGET=$(TARGET) is not a target (one of: $(ALL_TARGETS); a target is a row in mk/targets/))
endif
ifdef CROSS_COMPILE
CROSS_COMPILE_$(TARGET) := $(CROSS_COMPILE)
endif
endif

# A target is built when its compiler is installed (or when named with TARGET=).
have_cc = $(shell command -v $(CROSS_COMPILE_$(1))gcc >/dev/null 2>&1 && echo $(1))
ifdef TARGET
TARGETS := $(TARGET)
else
TARGETS ?= $(foreach t,$(ALL_TARGETS),$(call have_cc,$(t)))
endif

# The SDK's own warnings.  An installed purgkit gives a user's code the
# same list as the default of PURGKIT_WARNINGS (purgkit.mk, the .pc files'
# `warnings` variable, CMake's PURGKIT_WARNINGS), theirs to change.
PK_WARNING_CFLAGS := -Wall -Wextra -Werror -Wno-unused-parameter
PK_COMMON_CFLAGS := -std=gnu11 -Os -g -ffreestanding -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-common \
	-fvisibility=hidden -fno-strict-aliasing $(PK_WARNING_CFLAGS)

# The modules where the time between two kernels goes: built for speed.
# The families' vector modules (SDK_VECTOR_SRCS_<f>) are SHA-256 engines.
PK_HOT_SRCS = sha256_blocks.c $(foreach f,$(PK_FAMILIES),$(SDK_VECTOR_SRCS_$(f)))
PK_HOT_CFLAGS := -O2


PK_GC_CFLAGS := -ffunction-sections -fdata-sections
PK_TARGET_CFLAGS = $(PK_COMMON_CFLAGS) $(PK_GC_CFLAGS) $(PK_ARCH_CFLAGS_$(1)) \
	-DPK_ARCH=$(ARCH_$(1)) -Isdk/include
# The flags the relocator's tests compile single objects with: the target's,
# less PK_GC_CFLAGS (they compare sections by name with GNU ld's link).
PK_TEST_OBJECT_CFLAGS = $(filter-out $(PK_GC_CFLAGS),$(PK_TARGET_CFLAGS))

# $(call pk_module_cflags,TARGET,SOURCE): the flags one SDK source is built
# with, everywhere (the library, its hosted tests, the benchmark): the
# target's, or for the vector module the target's less
# PK_NO_VECTOR_CFLAGS_<target> plus PK_VECTOR_CFLAGS_<target>; then -O2 for
# a hot module.
pk_module_cflags = $(if $(filter $(SDK_VECTOR_SRCS_$(ARCH_$(1))),$(notdir $(2))),$(filter-out $(PK_NO_VECTOR_CFLAGS_$(1)),$(call PK_TARGET_CFLAGS,$(1))) $(PK_VECTOR_CFLAGS_$(1)),$(call PK_TARGET_CFLAGS,$(1))) $(if $(filter $(PK_HOT_SRCS),$(notdir $(2))),$(PK_HOT_CFLAGS))

# The same facts for the tests, written out by the build rather than typed
# again in Python: $(BUILD)/targets.json has every target and, for each,
# its architecture family, cross-compiler prefix, freestanding flags and
# the facts of its row (triplet, deb_arch, linker_format, qemu_user,
# static_tools, big_endian, page_size).
# Rewritten only when a fact changes (e.g. `make TARGET=x86_64
# CROSS_COMPILE=...`).
pk_comma := ,
pk_empty :=
pk_space := $(pk_empty) $(pk_empty)
pk_json_list = [$(subst $(pk_space),$(pk_comma)$(pk_space),$(strip $(patsubst %,"%",$(1))))]
# $(call pk_json_map,FUNCTION): {"TARGET": "$(call FUNCTION,TARGET)", ...}
pk_json_map = {$(patsubst %;,%,$(subst ;$(pk_space)",$(pk_comma)$(pk_space)",$(strip \
	$(foreach t,$(ALL_TARGETS),"$(t)": "$(strip $(call $(1),$(t)))";))))}
pk_cross_compile = $(CROSS_COMPILE_$(1))
pk_arch = $(ARCH_$(1))
# $(call pk_json_number_map,FACT): {"TARGET": $(FACT_TARGET), ...}, unquoted
pk_json_number_map = {$(patsubst %;,%,$(subst ;$(pk_space)",$(pk_comma)$(pk_space)",$(strip \
	$(foreach t,$(ALL_TARGETS),"$(t)": $(strip $($(1)_$(t)));))))}
pk_triplet = $(TRIPLET_$(1))
pk_deb_arch = $(DEB_ARCH_$(1))
pk_linker_format = $(LINKER_FORMAT_$(1))
pk_qemu_user = $(QEMU_USER_$(1))
pk_static_tools = $(STATIC_TOOLS_$(1))
PK_TARGETS_JSON = {"all": $(call pk_json_list,$(ALL_TARGETS)), \
	"arch": $(call pk_json_map,pk_arch), \
	"cross_compile": $(call pk_json_map,pk_cross_compile), \
	"cflags": $(call pk_json_map,PK_TEST_OBJECT_CFLAGS), \
	"triplet": $(call pk_json_map,pk_triplet), \
	"deb_arch": $(call pk_json_map,pk_deb_arch), \
	"linker_format": $(call pk_json_map,pk_linker_format), \
	"qemu_user": $(call pk_json_map,pk_qemu_user), \
	"static_tools": $(call pk_json_map,pk_static_tools), \
	"big_endian": $(call pk_json_number_map,BIG_ENDIAN), \
	"page_size": $(call pk_json_number_map,PAGE_SIZE)}

.PHONY: pk-force
$(BUILD)/targets.json: pk-force
	@mkdir -p $(@D)
	@printf '%s\n' '$(PK_TARGETS_JSON)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

ALL_OUTPUTS += $(BUILD)/targets.json
