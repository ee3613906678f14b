# SPDX-License-Identifier: MIT
# make install [PREFIX=/usr/local] [DESTDIR=...] [BINDIR=... LIBDIR=...]
# make uninstall (the same variables): removes exactly what install puts.
#
# The folders have their GNU names; each may be set on the command line:
#   BINDIR       PREFIX/bin                purgkit-link, purgkit-load, purgkit-run
#   LIBDIR       PREFIX/lib                libpurgkit-reloc.a (a host library:
#                                          may be multiarch, lib/x86_64-linux-gnu)
#   INCLUDEDIR   PREFIX/include            purgkit/*.h, the SDK's headers
#   DATADIR      PREFIX/share              (DATAROOTDIR)
#   MANDIR       DATADIR/man               man1/ the three pages
#   DOCDIR       DATADIR/doc/purgkit       README, CHANGELOG, LICENSE, docs/,
#                                          examples/, the recorded memory maps
#   PKGLIBDIR    PREFIX/lib/purgkit        one folder per target:
#       <target>/libpurgkit.a, <target>/trampolines/*.ro
#       <target>/bin/purgkit-load, purgkit-init: static programs FOR THE
#           TARGET, not for this machine (a ppc64le binary in an amd64
#           tree is right): purgkit-run puts them in the initramfs of the
#           QEMU guest it boots.  They and the libraries are the target's,
#           so PKGLIBDIR is never a multiarch folder of the host.
#       payloads/<family>/: the test payloads (`make payloads`)
#   PKGDATADIR   DATADIR/purgkit           purgkit.mk, link-ro, linker/<target>*.lds,
#                                          tools/ (purgkit-run's modules), VERSION,
#                                          pkglibdir (PKGLIBDIR relative to here,
#                                          for purgkit-run)
#   PKGCONFIGDIR DATADIR/pkgconfig         purgkit-<target>.pc (the SDK for a
#                                          target: the same on every host)
#   CMAKEDIR     DATADIR/cmake/purgkit     purgkit-config.cmake (find_package)
#   BASHCOMPDIR  DATADIR/bash-completion/completions
#
# Every file that names a folder (purgkit.mk, the .pc files, the CMake
# package) is written at install from the target table (mk/targets/<t>.mk,
# one entry per target) and names the others relative to its own prefix,
# so a tree unpacked elsewhere (dpkg -x) works with PURGKIT_PREFIX,
# pkg-config's --define-variable=prefix= or CMAKE_PREFIX_PATH.
#
# INSTALL_CROSS=triplet writes "<triplet>-" as every target's compiler
# prefix (what a package installed on any host wants); the default, build,
# writes the prefixes this build used ("" for the host's own target).

BINDIR       = $(PREFIX)/bin
LIBDIR       = $(PREFIX)/lib
INCLUDEDIR   = $(PREFIX)/include
DATAROOTDIR  = $(PREFIX)/share
DATADIR      = $(DATAROOTDIR)
MANDIR       = $(DATAROOTDIR)/man
DOCDIR       = $(DATAROOTDIR)/doc/purgkit
PKGLIBDIR    = $(PREFIX)/lib/purgkit
PKGDATADIR   = $(DATADIR)/purgkit
PKGCONFIGDIR = $(DATADIR)/pkgconfig
CMAKEDIR     = $(DATADIR)/cmake/purgkit
BASHCOMPDIR  = $(DATAROOTDIR)/bash-completion/completions
INSTALL_CROSS ?= build
ifeq ($(filter build triplet,$(INSTALL_CROSS)),)
$(error INSTALL_CROSS=$(INSTALL_CROSS): one of build, triplet)
endif
INSTALL ?= install

MAN_PAGES := $(wildcard relocator/*.1 loader/*.1 tools/*.1)
HOST_TOOLS := $(BUILD)/host/bin/purgkit-link $(BUILD)/host/bin/purgkit-load
# The families the build made targets of: their test payloads are installed.
INSTALL_FAMILIES := $(sort $(foreach t,$(TARGETS),$(ARCH_$(t))))
INSTALL_PAYLOADS := $(filter $(foreach f,$(INSTALL_FAMILIES),$(BUILD)/payloads/$(f)/%),\
	$(PAYLOAD_OUTPUTS))
INSTALL_MEMMAPS := $(sort $(wildcard tests/loader/memmaps/*.memmap \
	$(foreach f,$(INSTALL_FAMILIES),tests/loader/$(f)/*.memmap tests/loader/$(f)/*.dtb)))
INSTALL_DOCS := README.md CHANGELOG.md LICENSE
INSTALL_EXAMPLES := $(wildcard examples/*/*)
COMPLETED_COMMANDS := purgkit-load purgkit-link purgkit-run

# The compiler prefix a target is installed with.
pk_install_cross = $(if $(filter triplet,$(INSTALL_CROSS)),$(TRIPLET_$(1))-,$(CROSS_COMPILE_$(1)))
# The SDK's freestanding flags for a user's code: the target's, less the
# SDK's own include folder and warnings (PK_WARNING_CFLAGS: the user's
# choice, PURGKIT_WARNINGS, whose default is the same list).
pk_user_cflags = $(filter-out -Isdk/include $(PK_WARNING_CFLAGS),$(call PK_TARGET_CFLAGS,$(1)))
# $(call pk_from_prefix,DIR,PREFIX-VARIABLE): DIR written relative to the
# prefix variable when it lies under PREFIX (else as it is).
pk_from_prefix = $(patsubst $(PREFIX)/%,$(2)/%,$(1))
pk_dollar := $$

# One line per target, each a |-separated row the generators below read:
# target, family, compiler prefix (may be empty), freestanding flags.
define pk_install_rows
printf '%s|%s|%s|%s\n' $(foreach t,$(TARGETS),\
	'$(t)' '$(ARCH_$(t))' '$(call pk_install_cross,$(t))' '$(strip $(call pk_user_cflags,$(t)))')
endef

# sed arguments that fill a template's @NAME@ fields.
PK_INSTALL_SED = -e 's|@VERSION@|$(VERSION)|g' -e 's|@PREFIX@|$(PREFIX)|g' \
	-e 's|@TARGETS@|$(TARGETS)|g' -e 's|@WARNINGS@|$(PK_WARNING_CFLAGS)|g' \
	-e 's|@MK_INCLUDEDIR@|$(call pk_from_prefix,$(INCLUDEDIR),$(pk_dollar)(PURGKIT_PREFIX))|g' \
	-e 's|@MK_PKGLIBDIR@|$(call pk_from_prefix,$(PKGLIBDIR),$(pk_dollar)(PURGKIT_PREFIX))|g' \
	-e 's|@MK_PKGDATADIR@|$(call pk_from_prefix,$(PKGDATADIR),$(pk_dollar)(PURGKIT_PREFIX))|g' \
	-e 's|@PC_INCLUDEDIR@|$(call pk_from_prefix,$(INCLUDEDIR),$${prefix})|g' \
	-e 's|@PC_PKGLIBDIR@|$(call pk_from_prefix,$(PKGLIBDIR),$${prefix})|g' \
	-e 's|@PC_PKGDATADIR@|$(call pk_from_prefix,$(PKGDATADIR),$${prefix})|g' \
	-e 's|@CM_INCLUDEDIR@|$(call pk_from_prefix,$(INCLUDEDIR),$${PURGKIT_PREFIX})|g' \
	-e 's|@CM_PKGLIBDIR@|$(call pk_from_prefix,$(PKGLIBDIR),$${PURGKIT_PREFIX})|g' \
	-e 's|@CM_PKGDATADIR@|$(call pk_from_prefix,$(PKGDATADIR),$${PURGKIT_PREFIX})|g'

# purgkit.mk: the template with one pair of lines per target.
define write_purgkit_mk
$(pk_install_rows) | while IFS='|' read -r t f cross flags; do \
	printf 'PURGKIT_CROSS_%s ?= %s\nPURGKIT_CFLAGS_%s := %s\n' "$$t" "$$cross" "$$t" "$$flags"; \
done > $(DESTDIR)$(PKGDATADIR)/purgkit-targets.tmp
sed $(PK_INSTALL_SED) \
    -e '/@TARGET_TABLE@/{r $(DESTDIR)$(PKGDATADIR)/purgkit-targets.tmp' -e 'd}' \
    mk/purgkit.mk.in > $(DESTDIR)$(PKGDATADIR)/purgkit.mk
rm -f $(DESTDIR)$(PKGDATADIR)/purgkit-targets.tmp
endef

# purgkit-<target>.pc, one per built target.
define write_pkgconfig
$(pk_install_rows) | while IFS='|' read -r t f cross flags; do \
	sed $(PK_INSTALL_SED) -e "s|@TARGET@|$$t|g" -e "s|@FAMILY@|$$f|g" \
	    -e "s|@CROSS@|$$cross|g" -e "s|@CFLAGS@|$$flags|g" \
	    mk/purgkit.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/purgkit-$$t.pc || exit 1; \
done
endef

# The CMake package: the function (mk/purgkit-config.cmake.in), the
# version file, and the table of targets.
define write_cmake
$(pk_install_rows) | while IFS='|' read -r t f cross flags; do \
	printf 'purgkit_target_row(%s %s "%s" "%s")\n' "$$t" "$$f" "$$cross" "$$flags"; \
done > $(DESTDIR)$(CMAKEDIR)/purgkit-targets.cmake
sed $(PK_INSTALL_SED) \
    -e "s|@CMAKEDIR_TO_PREFIX@|$$(realpath -m --relative-to=$(CMAKEDIR) $(PREFIX))|g" \
    mk/purgkit-config.cmake.in > $(DESTDIR)$(CMAKEDIR)/purgkit-config.cmake
sed $(PK_INSTALL_SED) mk/purgkit-config-version.cmake.in \
    > $(DESTDIR)$(CMAKEDIR)/purgkit-config-version.cmake
endef

# What install makes, for uninstall, by name: the files, the trees that
# are purgkit's alone (the headers' purgkit/, a target's folder...), and
# the folders removed when that leaves them empty.  Nothing is removed by
# a folder variable alone, so DOCDIR=/usr/share/doc or PKGLIBDIR=/usr/lib
# lose only what install put there.  Every target of the table is named,
# built or not: uninstall needs no build.
PK_INSTALLED_FILES = \
	$(addprefix $(BINDIR)/,purgkit-link purgkit-load purgkit-run) \
	$(LIBDIR)/libpurgkit-reloc.a \
	$(addprefix $(MANDIR)/man1/,$(notdir $(MAN_PAGES))) \
	$(addprefix $(BASHCOMPDIR)/,$(COMPLETED_COMMANDS)) \
	$(foreach t,$(ALL_TARGETS),$(PKGCONFIGDIR)/purgkit-$(t).pc \
		$(PKGDATADIR)/linker/$(t).lds $(PKGDATADIR)/linker/$(t)-flat.lds) \
	$(addprefix $(CMAKEDIR)/,purgkit-config.cmake \
		purgkit-config-version.cmake purgkit-targets.cmake) \
	$(addprefix $(PKGDATADIR)/,purgkit.mk link-ro VERSION pkglibdir) \
	$(addprefix $(DOCDIR)/,$(INSTALL_DOCS))
PK_INSTALLED_TREES = $(INCLUDEDIR)/purgkit $(PKGDATADIR)/tools \
	$(foreach t,$(ALL_TARGETS),$(PKGLIBDIR)/$(t)) $(PKGLIBDIR)/payloads \
	$(addprefix $(DOCDIR)/,docs examples memmaps)
PK_INSTALLED_DIRS = $(PKGDATADIR)/linker $(PKGDATADIR) $(PKGLIBDIR) \
	$(CMAKEDIR) $(DOCDIR)

.PHONY: install uninstall
install: all $(INSTALL_PAYLOADS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR)/purgkit $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(PKGDATADIR)/linker $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/memmaps
	cp -R sdk/include/purgkit/. $(DESTDIR)$(INCLUDEDIR)/purgkit/
	$(INSTALL) -m 644 trampolines/include/purgkit/*.h relocator/include/purgkit/*.h \
		$(DESTDIR)$(INCLUDEDIR)/purgkit/
	$(INSTALL) -m 644 $(LINKER_SCRIPTS) $(DESTDIR)$(PKGDATADIR)/linker/
	$(INSTALL) -m 755 mk/link-ro $(DESTDIR)$(PKGDATADIR)/link-ro
	echo '$(VERSION)' > $(DESTDIR)$(PKGDATADIR)/VERSION
	realpath -m --relative-to=$(PKGDATADIR) $(PKGLIBDIR) > $(DESTDIR)$(PKGDATADIR)/pkglibdir
	$(write_purgkit_mk)
	$(write_pkgconfig)
	$(write_cmake)
	set -e; for t in $(TARGETS); do \
		$(INSTALL) -d $(DESTDIR)$(PKGLIBDIR)/$$t/trampolines; \
		$(INSTALL) -m 644 $(BUILD)/$$t/libpurgkit.a $(DESTDIR)$(PKGLIBDIR)/$$t/; \
		$(INSTALL) -m 644 $(BUILD)/$$t/trampolines/*.ro $(DESTDIR)$(PKGLIBDIR)/$$t/trampolines/; \
		for b in purgkit-load purgkit-init; do \
			if [ -f $(BUILD)/$$t/bin/$$b ]; then \
				$(INSTALL) -D -m 755 $(BUILD)/$$t/bin/$$b $(DESTDIR)$(PKGLIBDIR)/$$t/bin/$$b; \
			fi; \
		done; \
	done
	set -e; for p in $(patsubst $(BUILD)/payloads/%,%,$(INSTALL_PAYLOADS)); do \
		$(INSTALL) -D -m 644 $(BUILD)/payloads/$$p $(DESTDIR)$(PKGLIBDIR)/payloads/$$p; \
	done
	$(INSTALL) -m 755 $(HOST_TOOLS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(BUILD)/host/libpurgkit-reloc.a $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -d $(DESTDIR)$(PKGDATADIR)/tools/init
	cp -R tools/purgkit-run tools/purgkit_run $(DESTDIR)$(PKGDATADIR)/tools/
	rm -rf $(DESTDIR)$(PKGDATADIR)/tools/purgkit_run/__pycache__
	$(INSTALL) -m 644 tools/init/purgkit-init.c $(DESTDIR)$(PKGDATADIR)/tools/init/
	ln -sf $$(realpath -m --relative-to=$(BINDIR) $(PKGDATADIR)/tools/purgkit-run) \
		$(DESTDIR)$(BINDIR)/purgkit-run
	set -e; for m in $(MAN_PAGES); do \
		sed -e '/^\.TH /s/"purgkit [^"]*"/"purgkit $(VERSION)"/' $$m \
			> $(DESTDIR)$(MANDIR)/man1/$$(basename $$m); \
	done
	set -e; for c in $(COMPLETED_COMMANDS); do \
		$(INSTALL) -m 644 tools/completion/purgkit.bash $(DESTDIR)$(BASHCOMPDIR)/$$c; \
	done
	$(INSTALL) -m 644 $(INSTALL_DOCS) $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	set -e; for f in $(INSTALL_EXAMPLES); do \
		$(INSTALL) -D -m 644 $$f $(DESTDIR)$(DOCDIR)/$$f; \
	done
	$(if $(INSTALL_MEMMAPS),$(INSTALL) -m 644 $(INSTALL_MEMMAPS) $(DESTDIR)$(DOCDIR)/memmaps/)

uninstall:
	rm -f $(addprefix $(DESTDIR),$(PK_INSTALLED_FILES))
	rm -rf $(addprefix $(DESTDIR),$(PK_INSTALLED_TREES))
	for d in $(addprefix $(DESTDIR),$(PK_INSTALLED_DIRS)); do \
		rmdir "$$d" 2>/dev/null || true; done
