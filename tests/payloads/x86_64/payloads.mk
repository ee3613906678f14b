# SPDX-License-Identifier: MIT
# Test payloads: freestanding x86 kernels that report what they got
# (tests/payloads/x86_64/payload.h).  32-bit ones for Multiboot and raw32,
# a 64-bit one for raw64, a real-mode flat binary for raw16.
X86_PAYLOAD_CFLAGS := -ffreestanding -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables -Wall -Werror -nostdlib -static \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
X86_PAYLOAD_DIR := tests/payloads/x86_64
X86_PAYLOAD_DEPS := $(X86_PAYLOAD_DIR)/payload.h $(X86_PAYLOAD_DIR)/payload.lds

$(BUILD)/payloads/x86_64/multiboot.elf $(BUILD)/payloads/x86_64/multiboot2.elf \
$(BUILD)/payloads/x86_64/raw32.elf $(BUILD)/payloads/x86_64/screen.elf: $(BUILD)/payloads/x86_64/%.elf: $(X86_PAYLOAD_DIR)/%.c $(X86_PAYLOAD_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -m32 -O2 $(X86_PAYLOAD_CFLAGS) -Wl,-T,$(X86_PAYLOAD_DIR)/payload.lds -o $@ $<

$(BUILD)/payloads/x86_64/multiboot.elf $(BUILD)/payloads/x86_64/multiboot2.elf: \
	$(X86_PAYLOAD_DIR)/multiboot_convention.h

$(BUILD)/payloads/x86_64/raw64.elf: $(X86_PAYLOAD_DIR)/raw64.c $(X86_PAYLOAD_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -m64 -mno-red-zone -mgeneral-regs-only -O2 $(X86_PAYLOAD_CFLAGS) \
		-Wl,-T,$(X86_PAYLOAD_DIR)/payload.lds -o $@ $<

$(BUILD)/payloads/x86_64/raw16.bin: $(X86_PAYLOAD_DIR)/raw16.c $(X86_PAYLOAD_DIR)/payload.h $(X86_PAYLOAD_DIR)/raw16.lds
	@mkdir -p $(@D)
	$(HOSTCC) -m16 -march=i386 -Os $(X86_PAYLOAD_CFLAGS) \
		-Wl,-T,$(X86_PAYLOAD_DIR)/raw16.lds -o $(@:.bin=.elf) $<
	objcopy -O binary $(@:.bin=.elf) $@

PAYLOAD_OUTPUTS += $(addprefix $(BUILD)/payloads/x86_64/,multiboot.elf \
	multiboot2.elf raw32.elf raw64.elf raw16.bin screen.elf)
