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
# Per architecture:
#   x86_64: -mno-red-zone   the exception handler runs on the same stack.
#           -mgeneral-regs-only
#                           no SSE/AVX/MMX/x87 code: CR4.OSFXSR is off at kexec
#                           entry, so any SSE instruction faults.  Only the
#                           SHA-NI module turns the unit on and uses it.
#           -fpie -mcmodel=small
#                           PC-relative code that runs wherever the loader puts
#                           it below 4 GiB.
#   ppc64:  -msoft-float -mno-altivec -mno-vsx
#                           MSR[FP], MSR[VEC] and MSR[VSX] may be off in real
#                           mode at kexec entry; only the vector-crypto SHA
#                           module turns MSR[VEC] on.
#           -mcmodel=medium TOC-relative data within 2 GiB of the TOC.
#           -mno-pointers-to-nested-functions -mno-string -mno-multiple
#                           simple, endian-neutral load/store code.
#           ppc64le: -mabi=elfv2 -mlittle-endian; ppc64: -mabi=elfv1 -mbig-endian.

ALL_TARGETS := x86_64 ppc64le ppc64

HOST_ARCH := $(shell uname -m)

CROSS_COMPILE_x86_64  := $(if $(filter x86_64,$(HOST_ARCH)),,x86_64-linux-gnu-)
CROSS_COMPILE_ppc64le := $(if $(filter ppc64le,$(HOST_ARCH)),,powerpc64le-linux-gnu-)
CROSS_COMPILE_ppc64   := $(if $(filter ppc64,$(HOST_ARCH)),,powerpc64-linux-gnu-)

# `make CROSS_COMPILE=... TARGET=...` overrides the toolchain for one target.
ifdef TARGET
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

# Which source folder under sdk/lib/ overrides the generic sources.
ARCH_x86_64  := x86_64
ARCH_ppc64le := ppc64
ARCH_ppc64   := ppc64

PK_COMMON_CFLAGS := -std=gnu11 -Os -g -ffreestanding -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-common \
	-fvisibility=hidden -fno-strict-aliasing \
	-Wall -Wextra -Werror -Wno-unused-parameter

PK_ARCH_CFLAGS_x86_64 := -m64 -mno-red-zone -mgeneral-regs-only -fpie -mcmodel=small
PK_ARCH_CFLAGS_ppc64le := -mlittle-endian -mabi=elfv2 -msoft-float \
	-mno-altivec -mno-vsx -mcmodel=medium -mno-string -mno-multiple \
	-mno-pointers-to-nested-functions
PK_ARCH_CFLAGS_ppc64 := -mbig-endian -mabi=elfv1 -msoft-float \
	-mno-altivec -mno-vsx -mcmodel=medium -mno-string -mno-multiple \
	-mno-pointers-to-nested-functions

# The modules where the time between two kernels goes: built for speed.
PK_HOT_SRCS := sha256_blocks.c sha256_shani.c sha256_vcrypto.c
PK_HOT_CFLAGS := -O2

# Flags for the one module per arch that turns a vector unit on itself;
# PK_VECTOR_DROP_CFLAGS are removed from its flags first.
PK_VECTOR_DROP_CFLAGS := -mgeneral-regs-only -msoft-float -mno-altivec -mno-vsx
PK_VECTOR_CFLAGS_x86_64 := -msse4.1 -msha
PK_VECTOR_CFLAGS_ppc64le := -mcpu=power8 -mhard-float -maltivec -mvsx -mcrypto
PK_VECTOR_CFLAGS_ppc64 := -mcpu=power8 -mhard-float -maltivec -mvsx -mcrypto

PK_GC_CFLAGS := -ffunction-sections -fdata-sections
PK_TARGET_CFLAGS = $(PK_COMMON_CFLAGS) $(PK_GC_CFLAGS) $(PK_ARCH_CFLAGS_$(1)) -Isdk/include
# The flags the relocator's tests compile single objects with: the target's,
# less PK_GC_CFLAGS (they compare sections by name with GNU ld's link).
PK_TEST_OBJECT_CFLAGS = $(filter-out $(PK_GC_CFLAGS),$(PK_TARGET_CFLAGS))

# $(call pk_module_cflags,TARGET,SOURCE): the flags one SDK source is built
# with, everywhere (the library, its hosted tests, the benchmark): the
# target's, or for the vector module the target's less
# PK_VECTOR_DROP_CFLAGS plus PK_VECTOR_CFLAGS_<target>; then -O2 for a hot
# module.
pk_module_cflags = $(if $(filter $(SDK_VECTOR_SRCS_$(ARCH_$(1))),$(notdir $(2))),$(filter-out $(PK_VECTOR_DROP_CFLAGS),$(call PK_TARGET_CFLAGS,$(1))) $(PK_VECTOR_CFLAGS_$(1)),$(call PK_TARGET_CFLAGS,$(1))) $(if $(filter $(PK_HOT_SRCS),$(notdir $(2))),$(PK_HOT_CFLAGS))

# The same facts for the tests, written out by the build rather than typed
# again in Python: $(BUILD)/targets.json has every target, each one's
# architecture family (sdk/lib/<arch>, trampolines/<arch>), cross-compiler
# prefix and freestanding flags.
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
PK_TARGETS_JSON = {"all": $(call pk_json_list,$(ALL_TARGETS)), \
	"arch": $(call pk_json_map,pk_arch), \
	"cross_compile": $(call pk_json_map,pk_cross_compile), \
	"cflags": $(call pk_json_map,PK_TEST_OBJECT_CFLAGS)}

.PHONY: pk-force
$(BUILD)/targets.json: pk-force
	@mkdir -p $(@D)
	@printf '%s\n' '$(PK_TARGETS_JSON)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

ALL_OUTPUTS += $(BUILD)/targets.json
