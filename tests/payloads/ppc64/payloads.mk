# SPDX-License-Identifier: MIT
# ppc64 test payloads: the same program built little-endian (ELFv2) and
# big-endian (ELFv1), both for the raw trampoline (tests/e2e/test_ppc64.py).
PPC64_PAYLOAD_DIR := tests/payloads/ppc64
PPC64_PAYLOAD_CFLAGS := -O2 -ffreestanding -fno-stack-protector -nostdlib \
	-static -msoft-float -mno-altivec -mno-vsx -mcmodel=medium \
	-fno-asynchronous-unwind-tables -Wall -Werror \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-T,$(PPC64_PAYLOAD_DIR)/payload.lds
PPC64_PAYLOAD_SRCS := $(PPC64_PAYLOAD_DIR)/start.S $(PPC64_PAYLOAD_DIR)/payload.c

$(BUILD)/payloads/ppc64/payload-le.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	powerpc64le-linux-gnu-gcc -mlittle-endian -mabi=elfv2 $(PPC64_PAYLOAD_CFLAGS) -o $@ $(PPC64_PAYLOAD_SRCS)

$(BUILD)/payloads/ppc64/payload-be.elf: $(PPC64_PAYLOAD_SRCS) $(PPC64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	powerpc64-linux-gnu-gcc -mbig-endian -mabi=elfv1 $(PPC64_PAYLOAD_CFLAGS) -o $@ $(PPC64_PAYLOAD_SRCS)

PPC64_PAYLOAD_OUTPUTS := $(BUILD)/payloads/ppc64/payload-le.elf \
	$(BUILD)/payloads/ppc64/payload-be.elf
