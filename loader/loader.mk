# SPDX-License-Identifier: MIT
# purgkit-load, the loader, in four builds:
#   build/host/bin/purgkit-load        host tool; carries every target's
#                                      trampolines (plans for any machine)
#   build/host-asan/bin/purgkit-load   the same with ASan+UBSan, for tests
#   build/<t>/bin/purgkit-load         static, for an initramfs on target t;
#                                      carries t's trampolines
# Payload types live one file each in loader/<arch>/ and register
# themselves (PK_PAYLOAD_TYPE), so every file there is compiled, for each
# architecture family of the target table (mk/targets.mk).

LOADER_SRCS := $(addprefix loader/,main.c util.c arch.c memmap.c iomem.c segments.c plan.c crash.c \
		uki.c zboot.c tree.c output.c kexec.c kexec_file.c elf.c) \
	$(foreach f,$(PK_FAMILIES),$(sort $(wildcard loader/$(f)/*.c)))
LOADER_HEADERS := $(wildcard loader/*.h loader/*/*.h sdk/include/purgkit/*.h \
		sdk/include/purgkit/arch/*/*.h sdk/include/purgkit/proto/*.h \
		trampolines/include/purgkit/*.h relocator/include/purgkit/*.h)
# The loader's own headers (loader/, layered: docs/loader.md) and the
# contract and relocator headers it builds on.
LOADER_INCLUDES := -Iloader -Itrampolines/include -Isdk/include -Irelocator/include
LOADER_CFLAGS := -DPK_VERSION='"$(VERSION)"' $(LOADER_INCLUDES)
LOADER_LIBS := -lelf -lfdt -lcrypto -lz -llzma -llz4 -lzstd
# A static link takes the libraries in this order: libelf and libcrypto
# need libzstd after them (libelf reads zstd-compressed sections).
LOADER_STATIC_LIBS := $(LOADER_LIBS) -ldl -pthread

# Trampolines to embed, as ARCH:NAME:PATH, for a list of targets.
loader_tramp_specs = $(foreach t,$(1),$(foreach n,$(TRAMPOLINES_$(ARCH_$(t))),\
	$(t):$(n):$(BUILD)/$(t)/trampolines/$(n).ro))
loader_tramp_files = $(foreach s,$(call loader_tramp_specs,$(1)),\
	$(word 3,$(subst :, ,$(s))))

# The relocator library's sources, compiled into the sanitized and static
# builds with their own compiler (relocator/relocator.mk sets the list).
LOADER_RELOC_SRCS = $(or $(RELOC_LIB_SRCS),$(filter-out relocator/purgkit-link.c,$(wildcard relocator/*.c)))

# A static build for a target other than the host links that
# architecture's Debian libraries from a private sysroot
# (loader/sysroot.sh <DEB_ARCH>); the host's own build links the host's.
$(foreach t,$(ALL_TARGETS),$(if $(filter $(t),$(HOST_ARCH)),,\
	$(eval LOADER_SYSROOT_$(t) := .cache/sysroot-$(DEB_ARCH_$(t)))))

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
	-isystem $(LOADER_SYSROOT_$(1))/usr/include/$(TRIPLET_$(1)))
loader_sysroot_ldflags = $(if $(LOADER_SYSROOT_$(1)),\
	-L$(LOADER_SYSROOT_$(1))/usr/lib/$(TRIPLET_$(1)))
loader_sysroot_dep = $(if $(LOADER_SYSROOT_$(1)),$(LOADER_SYSROOT_$(1))/.complete)

# Static builds for the targets whose row says STATIC_TOOLS.
LOADER_STATIC_TARGETS := $(foreach t,$(TARGETS),$(if $(filter yes,$(STATIC_TOOLS_$(t))),$(t)))

# A sysroot from a later Debian than the cross toolchain's C library (the
# row's SYSROOT_SUITE) needs loader/compat/libc-compat.c, linked last,
# and libxxhash, which that Debian's liblz4.a calls (bookworm's carries
# its own copy).
loader_compat = $(if $(and $(LOADER_SYSROOT_$(1)),$(SYSROOT_SUITE_$(1))),\
	$(BUILD)/$(1)/loader/libcompat.a)
loader_suite_libs = $(if $(call loader_compat,$(1)),-lxxhash)

define loader_compat_rules
$(BUILD)/$(1)/loader/libcompat.a: loader/compat/libc-compat.c loader/loader.mk
	@mkdir -p $$(@D)
	$(CROSS_COMPILE_$(1))gcc $(filter-out $(HOST_SANITIZE_FLAGS),$(HOST_CFLAGS)) \
		-c -o $$(@:.a=.o) $$<
	rm -f $$@
	$(CROSS_COMPILE_$(1))ar rcs $$@ $$(@:.a=.o)

$(BUILD)/$(1)/bin/purgkit-load: $(BUILD)/$(1)/loader/libcompat.a
endef

$(foreach t,$(LOADER_STATIC_TARGETS),$(eval $(call loader_rules,$(t),$(CROSS_COMPILE_$(t))gcc,\
	$(LOADER_HOST_CFLAGS_NOSAN) $(call loader_sysroot_flags,$(t)),\
	-static $(call loader_sysroot_ldflags,$(t)),$(LOADER_STATIC_LIBS) $(call loader_suite_libs,$(t)) $(call loader_compat,$(t)),$(t),src,\
	$(call loader_sysroot_dep,$(t))))\
	$(if $(call loader_compat,$(t)),$(eval $(call loader_compat_rules,$(t)))))

define loader_sysroot_rule
$(LOADER_SYSROOT_$(1))/.complete: loader/sysroot.sh
	loader/sysroot.sh $(DEB_ARCH_$(1)) $(LOADER_SYSROOT_$(1)) $(SYSROOT_SUITE_$(1))
endef
$(foreach t,$(LOADER_STATIC_TARGETS),$(if $(LOADER_SYSROOT_$(t)),\
	$(eval $(call loader_sysroot_rule,$(t)))))

ALL_OUTPUTS += $(BUILD)/host/bin/purgkit-load \
	$(foreach t,$(LOADER_STATIC_TARGETS),$(BUILD)/$(t)/bin/purgkit-load)

.PHONY: loader check-loader
loader: $(BUILD)/host/bin/purgkit-load

# Plans against recorded memory maps: no privilege, no QEMU.
check-loader: $(BUILD)/host-asan/bin/purgkit-load
	PURGKIT_LOAD=$(abspath $(BUILD))/host-asan/bin/purgkit-load \
	ASAN_OPTIONS=detect_leaks=1 \
		$(PYTHON) -m pytest -q tests/loader
