# SPDX-License-Identifier: MIT
# Debian packages, from the target table like everything per target:
#   make deb            debian/control from the rows, then
#                       dpkg-buildpackage -us -uc -b $(DEB_FLAGS)
#                       (the packages land in the folder above the tree)
#   make debian-control rewrite debian/control from the rows (it is kept
#                       in git so that a bare dpkg-buildpackage works;
#                       tests/install/test_deb.py fails when it is stale)
#
# Packages: purgkit (host tools, purgkit-run, docs), purgkit-sdk (headers,
# purgkit.mk, CMake, test payloads), libpurgkit-reloc-dev, and per row of
# mk/targets/: purgkit-sdk-<target> (its library, trampolines, linker
# scripts, .pc) and, when the row says STATIC_TOOLS, purgkit-guest-<target>
# (the static purgkit-load and purgkit-init purgkit-run's guest runs).
# Debian package names have no "_": x86_64 becomes x86-64.

pk_deb_name = $(subst _,-,$(1))
PK_STATIC_TARGETS = $(foreach t,$(ALL_TARGETS),$(if $(filter yes,$(STATIC_TOOLS_$(t))),$(t)))

# The cross compilers the package build needs: every target's, but on a
# machine of that architecture its own gcc (Build-Depends: gcc).
PK_DEB_BUILD_DEPENDS = $(foreach t,$(ALL_TARGETS),\
	gcc-$(call pk_deb_name,$(TRIPLET_$(t))) [!$(DEB_ARCH_$(t))]) \
	$(foreach t,$(PK_STATIC_TARGETS),\
	libc6-dev-$(DEB_ARCH_$(t))-cross [!$(DEB_ARCH_$(t))])
# The same, one word each ("name:[!arch]") for the shell.
PK_DEB_BUILD_DEPENDS_WORDS = $(subst $(pk_space)[,:[,$(strip $(PK_DEB_BUILD_DEPENDS)))
pk_deb_list = $(subst $(pk_space),$(pk_comma)$(pk_space),$(strip $(1)))

pk_deb_target_sed = -e 's|@TARGET@|$(1)|g' -e 's|@PKG_TARGET@|$(call pk_deb_name,$(1))|g' \
	-e 's|@TRIPLET@|$(TRIPLET_$(1))|g' -e 's|@DEB_ARCH@|$(DEB_ARCH_$(1))|g' \
	-e 's|@COMPILER@|gcc-$(call pk_deb_name,$(TRIPLET_$(1)))|g' \
	-e 's|@BINUTILS@|binutils-$(call pk_deb_name,$(TRIPLET_$(1)))|g'

.PHONY: deb deb-build debian-control deb-files
# Where debian-control writes (the tests write a copy elsewhere).
DEBIAN_CONTROL ?= debian/control
debian-control:
	@{ $(foreach t,$(ALL_TARGETS),sed $(call pk_deb_target_sed,$(t)) debian/templates/control.sdk.in;) \
	   $(foreach t,$(PK_STATIC_TARGETS),sed $(call pk_deb_target_sed,$(t)) debian/templates/control.guest.in;) \
	 } > debian/control.targets.tmp
	@printf '               %s,\n' $(foreach d,$(PK_DEB_BUILD_DEPENDS_WORDS),'$(subst :, ,$(d))') \
		> debian/control.deps.tmp
	@sed -e '/^@BUILD_DEPENDS@$$/{r debian/control.deps.tmp' -e 'd}' \
	    -e 's|@SDK_PACKAGES@|$(call pk_deb_list,$(foreach t,$(ALL_TARGETS),purgkit-sdk-$(call pk_deb_name,$(t))))|' \
	    -e 's|@GUEST_PACKAGES@|$(call pk_deb_list,$(foreach t,$(PK_STATIC_TARGETS),purgkit-guest-$(call pk_deb_name,$(t))))|' \
	    -e '/^@TARGET_PACKAGES@$$/{r debian/control.targets.tmp' -e 'd}' \
	    debian/templates/control.in > debian/control.tmp
	@rm -f debian/control.targets.tmp debian/control.deps.tmp
	@if cmp -s debian/control.tmp $(DEBIAN_CONTROL); then rm debian/control.tmp; \
	 else mv debian/control.tmp $(DEBIAN_CONTROL); echo "$(DEBIAN_CONTROL): rewritten from mk/targets/"; fi

# What each per-target package holds (debian/rules calls this after
# make install into debian/tmp; written, never kept in git).  The guest
# tools are stripped here, by their target's strip (dh_strip knows only
# the host's).
deb-files:
	@set -e; $(foreach t,$(ALL_TARGETS),\
	  printf '%s\n' usr/lib/purgkit/$(t)/libpurgkit.a usr/lib/purgkit/$(t)/trampolines \
	    usr/share/purgkit/linker/$(t).lds usr/share/purgkit/linker/$(t)-flat.lds \
	    usr/share/pkgconfig/purgkit-$(t).pc > debian/purgkit-sdk-$(call pk_deb_name,$(t)).install; \
	  sed $(call pk_deb_target_sed,$(t)) debian/templates/sdk.lintian-overrides.in \
	    > debian/purgkit-sdk-$(call pk_deb_name,$(t)).lintian-overrides;)
	@set -e; $(foreach t,$(PK_STATIC_TARGETS),\
	  $(TRIPLET_$(t))-strip --strip-unneeded --remove-section=.comment debian/tmp/usr/lib/purgkit/$(t)/bin/*; \
	  printf '%s\n' usr/lib/purgkit/$(t)/bin > debian/purgkit-guest-$(call pk_deb_name,$(t)).install; \
	  sed $(call pk_deb_target_sed,$(t)) debian/templates/guest.lintian-overrides.in \
	    > debian/purgkit-guest-$(call pk_deb_name,$(t)).lintian-overrides;)

# DEB_FLAGS: more dpkg-buildpackage options (-j2; -nc to build again
# without cleaning first).  PK_DEB_BUILD: the build folder debian/rules
# uses (default debian/build; $(BUILD) reuses this tree's build, as the
# tests do).  The packages, .buildinfo and .changes are then moved from
# the folder above the tree to DEB_OUT, and lintian checks them: a tag
# not explained by an override (debian/*.lintian-overrides, written from
# debian/templates/) fails `make deb`.
# deb-build is the same without rewriting debian/control (the tests use
# it: a stale control must fail them, not be mended by them).
DEB_OUT ?= $(BUILD)/deb
deb: debian-control
	@$(MAKE) --no-print-directory deb-build
deb-build:
	dpkg-buildpackage -us -uc -b $(DEB_FLAGS)
	@rm -rf $(DEB_OUT) && mkdir -p $(DEB_OUT)
	mv $$(sed -e 's/ .*//' -e 's|^|../|' debian/files) \
		../purgkit_$$(dpkg-parsechangelog -S Version)_$$(dpkg-architecture -qDEB_HOST_ARCH).changes \
		$(DEB_OUT)/
	lintian --fail-on error,warning \
		$(DEB_OUT)/*.changes
