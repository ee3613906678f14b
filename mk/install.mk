# SPDX-License-Identifier: MIT
# make install PREFIX=... [DESTDIR=...]
#
#   PREFIX/include/purgkit/                   the SDK's headers
#   PREFIX/lib/purgkit/<target>/libpurgkit.a  one library per target
#   PREFIX/lib/purgkit/<target>/trampolines/  the ready trampolines (.ro)
#   PREFIX/lib/purgkit/<target>/bin/          static purgkit-load and
#                                             purgkit-init for purgkit-run
#   PREFIX/share/purgkit/linker/              the linker scripts
#   PREFIX/share/purgkit/purgkit.mk           the fragment for your Makefile
#   PREFIX/bin/                               purgkit-link, purgkit-load, purgkit-run
#   PREFIX/share/man/man1/                    their man pages

INSTALL_ROOT := $(DESTDIR)$(PREFIX)
MAN_PAGES := $(wildcard relocator/*.1 loader/*.1 tools/*.1)
HOST_TOOLS := $(BUILD)/host/bin/purgkit-link $(BUILD)/host/bin/purgkit-load

# The fragment carries each target's cross prefix and flags, from the
# target table (mk/targets/<t>.mk), and this install's PREFIX: it is made
# at every install, never reused.  @TARGET_TABLE@ becomes one pair of
# lines per target.
define write_purgkit_mk
printf 'PURGKIT_CROSS_%s ?= %s\nPURGKIT_CFLAGS_%s := %s\n' $(foreach t,$(ALL_TARGETS),\
	'$(t)' '$(CROSS_COMPILE_$(t))' '$(t)' '$(filter-out -Isdk/include,$(call PK_TARGET_CFLAGS,$(t)))') \
	> $(INSTALL_ROOT)/share/purgkit/purgkit-targets.tmp
sed -e 's|@VERSION@|$(VERSION)|' -e 's|@PREFIX@|$(PREFIX)|' \
    -e 's|@TARGETS@|$(ALL_TARGETS)|' \
    -e '/@TARGET_TABLE@/{r $(INSTALL_ROOT)/share/purgkit/purgkit-targets.tmp' -e 'd}' \
    mk/purgkit.mk.in > $(INSTALL_ROOT)/share/purgkit/purgkit.mk
rm -f $(INSTALL_ROOT)/share/purgkit/purgkit-targets.tmp
endef

.PHONY: install
install: all
	install -d $(INSTALL_ROOT)/include $(INSTALL_ROOT)/bin \
		$(INSTALL_ROOT)/share/purgkit/linker $(INSTALL_ROOT)/share/man/man1
	cp -R sdk/include/purgkit $(INSTALL_ROOT)/include/
	install -m 644 trampolines/include/purgkit/*.h $(INSTALL_ROOT)/include/purgkit/
	install -m 644 relocator/include/purgkit/*.h $(INSTALL_ROOT)/include/purgkit/
	install -m 644 $(LINKER_SCRIPTS) $(INSTALL_ROOT)/share/purgkit/linker/
	$(write_purgkit_mk)
	set -e; for t in $(TARGETS); do \
		install -d $(INSTALL_ROOT)/lib/purgkit/$$t/trampolines; \
		install -m 644 $(BUILD)/$$t/libpurgkit.a $(INSTALL_ROOT)/lib/purgkit/$$t/; \
		install -m 644 $(BUILD)/$$t/trampolines/*.ro $(INSTALL_ROOT)/lib/purgkit/$$t/trampolines/; \
		for b in purgkit-load purgkit-init; do \
			if [ -f $(BUILD)/$$t/bin/$$b ]; then \
				install -D -m 755 $(BUILD)/$$t/bin/$$b $(INSTALL_ROOT)/lib/purgkit/$$t/bin/$$b; \
			fi; \
		done; \
	done
	set -e; for f in $(HOST_TOOLS); do install -m 755 $$f $(INSTALL_ROOT)/bin/; done
	set -e; if [ -f $(BUILD)/host/libpurgkit-reloc.a ]; then \
		install -m 644 $(BUILD)/host/libpurgkit-reloc.a $(INSTALL_ROOT)/lib/; fi
	set -e; if [ -f tools/purgkit-run ]; then \
		install -d $(INSTALL_ROOT)/share/purgkit/tools; \
		install -d $(INSTALL_ROOT)/share/purgkit/tools/init; \
		cp -R tools/purgkit-run tools/purgkit_run $(INSTALL_ROOT)/share/purgkit/tools/; \
		rm -rf $(INSTALL_ROOT)/share/purgkit/tools/purgkit_run/__pycache__; \
		install -m 644 tools/init/purgkit-init.c $(INSTALL_ROOT)/share/purgkit/tools/init/; \
		ln -sf ../share/purgkit/tools/purgkit-run $(INSTALL_ROOT)/bin/purgkit-run; fi
	set -e; for m in $(MAN_PAGES); do install -m 644 $$m $(INSTALL_ROOT)/share/man/man1/; done
