# SPDX-License-Identifier: MIT
# tools/ — purgkit-run, the QEMU harness the end-to-end tests use.
#
#   tools/purgkit-run            the command (Python, stdlib only)
#   tools/purgkit_run/           its modules: cpio, initramfs, kernel, qemu,
#                                screen, console, cli, secureboot (the
#                                --secure-boot firmware, shim and GRUB)
#   tools/init/purgkit-init.c    the init of the initramfs it builds; static,
#                                one per target that has a libc to link
#   bench/kexec/                 purgkit-load against kexec-tools, in QEMU

PURGKIT_RUN := tools/purgkit-run
# purgkit-init is static: built for the targets whose row says
# STATIC_TOOLS (mk/targets/<t>.mk), as the static purgkit-load is.
TOOLS_INIT_TARGETS := $(foreach t,$(TARGETS),$(if $(filter yes,$(STATIC_TOOLS_$(t))),$(t)))
# purgkit-run compiles the same program when the build has not
# (INIT_CFLAGS in tools/purgkit_run/cli.py, checked equal by
# tests/e2e/test_harness.py).
PURGKIT_INIT_CFLAGS := -static -O2 -Wall -Wextra -Werror

define tools_init_rules
$(BUILD)/$(1)/bin/purgkit-init: tools/init/purgkit-init.c tools/tools.mk
	@mkdir -p $$(@D)
	$(CROSS_COMPILE_$(1))gcc $(PURGKIT_INIT_CFLAGS) -o $$@ $$<

ALL_OUTPUTS += $(BUILD)/$(1)/bin/purgkit-init
endef

$(foreach t,$(TOOLS_INIT_TARGETS),$(eval $(call tools_init_rules,$(t))))

.PHONY: bench-kexec
# The same Debian kernel kexec'd by purgkit-load and by kexec-tools, in QEMU,
# BENCH_KEXEC_REPEAT times each, every architecture in one table (medians).
BENCH_KEXEC_REPEAT ?= 5
BENCH_KEXEC_ARCHS ?= $(TOOLS_INIT_TARGETS)
bench-kexec: $(foreach a,$(BENCH_KEXEC_ARCHS),$(BUILD)/$(a)/bin/purgkit-init \
		$(BUILD)/$(a)/bin/purgkit-load $(BUILD)/$(a)/trampolines/linux.ro)
	$(PYTHON) bench/kexec/bench_kexec.py --build $(BUILD) \
		$(addprefix --arch ,$(BENCH_KEXEC_ARCHS)) --repeat $(BENCH_KEXEC_REPEAT)
