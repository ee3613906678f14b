# SPDX-License-Identifier: MIT
# The aarch64 trampolines:
#   raw    any payload: x0..x7, SP, the entry and the exception level
#          from pk_aarch64_regs
#   linux  the arm64 Image protocol: x0 = the device tree, x1..x3 = 0
TRAMPOLINES_aarch64 := raw linux
