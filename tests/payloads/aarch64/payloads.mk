# SPDX-License-Identifier: MIT
# aarch64 test payload: reports the raw hand-off's state over a PL011
# (tests/trampolines/test_aarch64_direct.py, and the end-to-end tests),
# linked 512 MiB into QEMU virt's RAM (0x60000000), clear of the initrd QEMU
# loads 128 MiB in.
AARCH64_PAYLOAD_DIR := tests/payloads/aarch64
AARCH64_PAYLOAD_CFLAGS := -O2 -ffreestanding -fno-stack-protector -nostdlib \
	-static -fno-pie -no-pie -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -fno-asynchronous-unwind-tables -Wall -Werror \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
AARCH64_PAYLOAD_SRCS := $(AARCH64_PAYLOAD_DIR)/start.S $(AARCH64_PAYLOAD_DIR)/payload.c

$(BUILD)/payloads/aarch64/payload.elf: $(AARCH64_PAYLOAD_SRCS) $(AARCH64_PAYLOAD_DIR)/payload.lds
	@mkdir -p $(@D)
	$(CROSS_COMPILE_aarch64)gcc $(AARCH64_PAYLOAD_CFLAGS) \
		-Wl,--defsym=PAYLOAD_BASE=0x60000000 \
		-Wl,-T,$(AARCH64_PAYLOAD_DIR)/payload.lds -o $@ $(AARCH64_PAYLOAD_SRCS)

PAYLOAD_OUTPUTS += $(BUILD)/payloads/aarch64/payload.elf
