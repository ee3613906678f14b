# SPDX-License-Identifier: MIT
# riscv64 test payload: one program for the raw trampoline that prints a0,
# a1 and the tree's magic (tests/e2e/test_riscv64_opensbi.py), linked at
# 0x80400000 (4 MiB into QEMU virt's RAM).
RISCV64_PAYLOAD_DIR := tests/payloads/riscv64
RISCV64_PAYLOAD_SRCS := $(RISCV64_PAYLOAD_DIR)/start.S $(RISCV64_PAYLOAD_DIR)/payload.c
RISCV64_PAYLOAD_CFLAGS := -O2 -ffreestanding -fno-stack-protector -nostdlib \
	-static -fno-pie -no-pie -march=rv64imac_zicsr -mabi=lp64 \
	-mcmodel=medany -mno-relax -fno-asynchronous-unwind-tables \
	-Wall -Werror -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-Ttext=0x80400000 -Wl,--no-relax

$(BUILD)/payloads/riscv64/payload.elf: $(RISCV64_PAYLOAD_SRCS) $(RISCV64_PAYLOAD_DIR)/payloads.mk
	@mkdir -p $(@D)
	$(CROSS_COMPILE_riscv64)gcc $(RISCV64_PAYLOAD_CFLAGS) -o $@ $(RISCV64_PAYLOAD_SRCS)

PAYLOAD_OUTPUTS += $(BUILD)/payloads/riscv64/payload.elf
