# SPDX-License-Identifier: MIT
# ppc64 test payloads: the same program built little-endian (ELFv2) and
# big-endian (ELFv1), both for the raw trampoline (tests/e2e/test_ppc64.py),
# each linked at three addresses: 128 MiB (payload-*.elf), 4 MiB, below
# any running kernel's end (payload-4m-*.elf: staged, copied home by the
# trampoline), and 0, over the low copy kexec makes (payload-0-*.elf).
PPC64_PAYLOAD_DIR := tests/payloads/ppc64
PPC64_PAYLOAD_CFLAGS := -O2 -ffreestanding -fno-stack-protector -nostdlib \
	-static -msoft-float -mno-altivec -mno-vsx -mcmodel=medium \
	-fno-asynchronous-unwind-tables -Wall -Werror \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
PPC64_PAYLOAD_SRCS := $(PPC64_PAYLOAD_DIR)/start.S $(PPC64_PAYLOAD_DIR)/payload.c
# The link address first: the script reads it (ld sees --defsym in order).
ppc64_payload_at = -Wl,--defsym=PAYLOAD_BASE=$(1) -Wl,-T,$(PPC64_PAYLOAD_DIR)/payload.lds

$(BUILD)/payloads/ppc64/payload-le.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	$(PPC64_PAYLOAD_LE) $(call ppc64_payload_at,0x8000000) -o $@ $(PPC64_PAYLOAD_SRCS)

$(BUILD)/payloads/ppc64/payload-be.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	$(PPC64_PAYLOAD_BE) $(call ppc64_payload_at,0x8000000) -o $@ $(PPC64_PAYLOAD_SRCS)

PPC64_PAYLOAD_LE = powerpc64le-linux-gnu-gcc -mlittle-endian -mabi=elfv2 $(PPC64_PAYLOAD_CFLAGS)
PPC64_PAYLOAD_BE = powerpc64-linux-gnu-gcc -mbig-endian -mabi=elfv1 $(PPC64_PAYLOAD_CFLAGS)

$(BUILD)/payloads/ppc64/payload-4m-le.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	$(PPC64_PAYLOAD_LE) $(call ppc64_payload_at,0x400000) -o $@ $(PPC64_PAYLOAD_SRCS)

$(BUILD)/payloads/ppc64/payload-4m-be.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	$(PPC64_PAYLOAD_BE) $(call ppc64_payload_at,0x400000) -o $@ $(PPC64_PAYLOAD_SRCS)

$(BUILD)/payloads/ppc64/payload-0-le.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	$(PPC64_PAYLOAD_LE) $(call ppc64_payload_at,0) -o $@ $(PPC64_PAYLOAD_SRCS)

$(BUILD)/payloads/ppc64/payload-0-be.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	$(PPC64_PAYLOAD_BE) $(call ppc64_payload_at,0) -o $@ $(PPC64_PAYLOAD_SRCS)

PPC64_PAYLOAD_OUTPUTS := $(BUILD)/payloads/ppc64/payload-le.elf \
	$(BUILD)/payloads/ppc64/payload-be.elf \
	$(foreach a,4m 0,$(foreach e,le be,$(BUILD)/payloads/ppc64/payload-$(a)-$(e).elf))

PAYLOAD_OUTPUTS += $(PPC64_PAYLOAD_OUTPUTS)
