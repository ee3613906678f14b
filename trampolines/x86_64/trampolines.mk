# SPDX-License-Identifier: MIT
# The x86_64 trampolines:
#   linux       a bzImage through the Linux boot protocol's 64-bit, 32-bit
#               or 16-bit entry (the loader chooses)
#   multiboot   a Multiboot 1 kernel (Xen, memtest86+, ...)
#   multiboot2  a Multiboot 2 kernel
#   raw64 raw32 raw16
#               any payload with its own convention, in long mode, 32-bit
#               protected mode or real mode; registers from the patched
#               register block
TRAMPOLINES_x86_64 := linux multiboot multiboot2 raw64 raw32 raw16
