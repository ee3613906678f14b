# SPDX-License-Identifier: MIT
# purgkit-load, the loader, in four builds:
#   build/host/bin/purgkit-load        host tool; carries every target's
#                                      trampolines (plans for any machine)
#   build/host-asan/bin/purgkit-load   the same with ASan+UBSan, for tests
#   build/<t>/bin/purgkit-load         static, for an initramfs on target t;
#                                      carries t's trampolines
# Payload types live one file each in loader/<arch>/ and register
# themselves (PK_PAYLOAD_TYPE), so every file there is compiled.

LOADER_SRCS := $(addprefix loader/,main.c util.c arch.c memmap.c segments.c plan.c crash.c \
		output.c kexec.c elf.c) \
	$(sort $(wildcard loader/x86_64/*.c)) $(sort $(wildcard loader/ppc64/*.c))
LOADER_HEADERS := $(wildcard loader/*.h loader/*/*.h sdk/include/purgkit/*.h \
		sdk/include/purgkit/proto/*.h \
		trampolines/include/purgkit/*.h relocator/include/purgkit/*.h)
# The loader's own headers (loader/, layered: docs/loader.md) and the
# contract and relocator headers it builds on.
LOADER_INCLUDES := -Iloader -Itrampolines/include -Isdk/include -Irelocator/include
LOADER_CFLAGS := -DPK_VERSION='"$(VERSION)"' $(LOADER_INCLUDES)
LOADER_LIBS := -lelf -lfdt -lcrypto -lz
LOADER_STATIC_LIBS := $(LOADER_LIBS) -ldl -pthread

# Trampolines to embed, as ARCH:NAME:PATH, for a list of targets.
loader_tramp_specs = $(foreach t,$(1),$(foreach n,$(TRAMPOLINES_$(ARCH_$(t))),\
	$(t):$(n):$(BUILD)/$(t)/trampolines/$(n).ro))
loader_tramp_files = $(foreach s,$(call loader_tramp_specs,$(1)),\
	$(word 3,$(subst :, ,$(s))))

# The ppc64le static build links ppc64el libraries from a private sysroot.
# The relocator library's sources, compiled into the sanitized and static
# builds with their own compiler (relocator/relocator.mk sets the list).
LOADER_RELOC_SRCS = $(or $(RELOC_LIB_SRCS),$(filter-out relocator/purgkit-link.c,$(wildcard relocator/*.c)))

LOADER_SYSROOT_ppc64le := .cache/sysroot-ppc64el
LOADER_TRIPLET_ppc64le := powerpc64le-linux-gnu
LOADER_TRIPLET_x86_64 := x86_64-linux-gnu

# $(call loader_rules,VARIANT,CC,CFLAGS,LDFLAGS,LIBS,EMBEDDED-TARGETS,RELOC,DEPS)
#   RELOC: "lib" to link $(BUILD)/host/libpurgkit-reloc.a, "src" to compile
#   $(RELOC_LIB_SRCS) with this variant's compiler.
define loader_rules
LOADER_OBJS_$(1) := $$(patsubst loader/%.c,$(BUILD)/$(1)/loader/%.o,$(LOADER_SRCS)) \
	$(BUILD)/$(1)/loader/trampolines.o
LOADER_RELOC_$(1) := $(if $(filter lib,$(7)),$(BUILD)/host/libpurgkit-reloc.a,\
	$$(patsubst %.c,$(BUILD)/$(1)/loader-reloc/%.o,$$(LOADER_RELOC_SRCS)))

$(BUILD)/$(1)/loader/trampolines.c: loader/embed-trampolines.sh \
		$(call loader_tramp_files,$(6))
	@mkdir -p $$(@D)
	loader/embed-trampolines.sh $(call loader_tramp_specs,$(6)) > $$@.tmp
	mv $$@.tmp $$@

$(BUILD)/$(1)/loader/trampolines.o: $(BUILD)/$(1)/loader/trampolines.c \
		$(call loader_tramp_files,$(6)) $(LOADER_HEADERS) | $(8)
	$(2) $(3) -c -o $$@ $$<

$(BUILD)/$(1)/loader/%.o: loader/%.c $(LOADER_HEADERS) loader/loader.mk | $(8)
	@mkdir -p $$(@D)
	$(2) $(3) -c -o $$@ $$<

$(BUILD)/$(1)/loader-reloc/%.o: %.c $(wildcard relocator/*.h relocator/include/purgkit/*.h) | $(8)
	@mkdir -p $$(@D)
	$(2) $(filter-out $(LOADER_INCLUDES),$(3)) $$(RELOC_CFLAGS) -c -o $$@ $$<

$(BUILD)/$(1)/bin/purgkit-load: $$(LOADER_OBJS_$(1)) $$(LOADER_RELOC_$(1))
	@mkdir -p $$(@D)
	$(2) $(4) -o $$@ $$^ $(5)
endef

LOADER_HOST_CFLAGS := $(HOST_CFLAGS) $(LOADER_CFLAGS)
LOADER_HOST_CFLAGS_NOSAN := $(filter-out $(HOST_SANITIZE_FLAGS),$(LOADER_HOST_CFLAGS))

$(eval $(call loader_rules,host,$(HOSTCC),$(LOADER_HOST_CFLAGS),$(HOST_LDFLAGS),$(LOADER_LIBS),$(TARGETS),lib,))
$(eval $(call loader_rules,host-asan,$(HOSTCC),$(LOADER_HOST_CFLAGS_NOSAN) $(HOST_SANITIZE_FLAGS),$(HOST_SANITIZE_FLAGS),$(LOADER_LIBS),$(TARGETS),src,))

# Static builds per target: the host's own libraries for the host's arch,
# the private sysroot's for the others.
loader_sysroot_flags = $(if $(LOADER_SYSROOT_$(1)),\
	-isystem $(LOADER_SYSROOT_$(1))/usr/include \
	-isystem $(LOADER_SYSROOT_$(1))/usr/include/$(LOADER_TRIPLET_$(1)))
loader_sysroot_ldflags = $(if $(LOADER_SYSROOT_$(1)),\
	-L$(LOADER_SYSROOT_$(1))/usr/lib/$(LOADER_TRIPLET_$(1)))
loader_sysroot_dep = $(if $(LOADER_SYSROOT_$(1)),$(LOADER_SYSROOT_$(1))/.complete)

LOADER_STATIC_TARGETS := $(filter x86_64 ppc64le,$(TARGETS))

$(foreach t,$(LOADER_STATIC_TARGETS),$(eval $(call loader_rules,$(t),$(CROSS_COMPILE_$(t))gcc,\
	$(LOADER_HOST_CFLAGS_NOSAN) $(call loader_sysroot_flags,$(t)),\
	-static $(call loader_sysroot_ldflags,$(t)),$(LOADER_STATIC_LIBS),$(t),src,\
	$(call loader_sysroot_dep,$(t)))))

$(LOADER_SYSROOT_ppc64le)/.complete: loader/sysroot.sh
	loader/sysroot.sh ppc64el $(LOADER_SYSROOT_ppc64le)

ALL_OUTPUTS += $(BUILD)/host/bin/purgkit-load \
	$(foreach t,$(LOADER_STATIC_TARGETS),$(BUILD)/$(t)/bin/purgkit-load)

.PHONY: loader check-loader
loader: $(BUILD)/host/bin/purgkit-load

# Plans against recorded memory maps: no privilege, no QEMU.
check-loader: $(BUILD)/host-asan/bin/purgkit-load
	PURGKIT_LOAD=$(BUILD)/host-asan/bin/purgkit-load \
	ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) -m pytest -q tests/loader
