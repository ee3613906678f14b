# SPDX-License-Identifier: MIT
# purgkit — a freestanding purgatory/trampoline SDK for Linux kexec.
#
# The tree is the architecture; each part adds its rules in its own fragment:
#   sdk/sdk.mk                 libpurgkit.a per target (freestanding)
#   linker/linker.mk           the linker scripts, per target, from one
#                              source per architecture family
#   trampolines/trampolines.mk the ready trampolines, build/<target>/trampolines/*.ro
#   relocator/relocator.mk     libpurgkit-reloc.a and purgkit-link (host)
#   loader/loader.mk           purgkit-load (host, and static per target)
#   tests/tests.mk             make check, make bench, make fuzz
# `make help` lists what you can ask for.

.DEFAULT_GOAL := all
SHELL := /bin/bash

# One version for every tool, page and file that says one: scripts/version
# (git describe on a release tag, else the VERSION file).
VERSION := $(shell scripts/version)
ifeq ($(VERSION),)
$(error scripts/version gave no version (VERSION file or git tags))
endif
BUILD   ?= build
PREFIX  ?= /usr/local
HOSTCC  ?= cc
PYTHON  ?= /usr/bin/python3

include mk/targets.mk
include mk/host.mk
include sdk/sdk.mk
include linker/linker.mk
include trampolines/trampolines.mk
include relocator/relocator.mk
include loader/loader.mk
include tests/tests.mk
include mk/install.mk
include mk/deb.mk

# The version is compiled into purgkit-link and purgkit-load: a new tag
# or VERSION rebuilds what says it.  Rewritten only when it changes.
$(BUILD)/version.stamp: pk-force
	@mkdir -p $(@D)
	@echo '$(VERSION)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/host/relocator/purgkit-link.o $(BUILD)/host-asan/relocator/purgkit-link.o \
$(foreach v,host host-asan $(LOADER_STATIC_TARGETS),$(LOADER_OBJS_$(v))): \
	$(BUILD)/version.stamp

.PHONY: all help deps demo clean distclean version

all: $(ALL_OUTPUTS)

deps:
	@scripts/install-deps

# What scripts/demo runs besides `all`: its Multiboot test payload.
DEMO_OUTPUTS := $(BUILD)/payloads/x86_64/multiboot.elf

demo: deps
	@$(MAKE) --no-print-directory all $(DEMO_OUTPUTS)
	@scripts/demo

version:
	@echo $(VERSION)

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf .cache

help:
	@echo "purgkit $(VERSION) — make targets:"
	@echo "  make              build libpurgkit.a, the trampolines and the host tools"
	@echo "                    for every installed target: $(TARGETS)"
	@echo "  make TARGET=t     build one target (one of: $(ALL_TARGETS))"
	@echo "  make TARGET=t CROSS_COMPILE=prefix-"
	@echo "                    ... with another toolchain"
	@echo "  make deps         install the Debian packages purgkit needs (apt-get)"
	@echo "  make demo         kexec a Debian kernel in QEMU through an SDK trampoline"
	@echo "  make check        all tests: unit, relocator, loader, end-to-end in QEMU"
	@echo "  make check-slow   the end-to-end variants make check leaves out (per arch)"
	@echo "  make check-fast   the tests that need no QEMU boot (about two minutes)"
	@echo "  make check-sdk, check-relocator, check-loader"
	@echo "                    one part's tests (no QEMU)"
	@echo "  make bench        SHA-256, memcpy and kexec benchmarks against their peers"
	@echo "  make bench-sdk    SHA-256 beside OpenSSL, memcpy beside libc"
	@echo "  make bench-kexec  kexec a Debian kernel: purgkit-load against kexec-tools"
	@echo "  make fuzz         fuzz the relocator and the loader's parsers, FUZZ_SECONDS each (default 60)"
	@echo "  make payloads     the test payloads each family boots (build/payloads/)"
	@echo "  make install      install into PREFIX (default /usr/local; DESTDIR, BINDIR,"
	@echo "                    LIBDIR, MANDIR, DOCDIR... honoured: docs/install.md)"
	@echo "  make uninstall    remove what make install put (the same variables)"
	@echo "  make deb          Debian packages (dpkg-buildpackage -us -uc -b, lintian)"
	@echo "                    into build/deb/; make debian-control after a new target row"
	@echo "  make version      the version the tools report (scripts/version)"
	@echo "  make clean        remove $(BUILD)/"
