# SPDX-License-Identifier: MIT
# The riscv64 trampolines:
#   linux  a RISC-V Image: a0 = hart id, a1 = the device tree, satp = 0
#   raw    any payload, registers from pk_riscv64_regs; by default a0/a1 =
#          the hart id and the device tree kexec handed over (an OpenSBI
#          next stage's entry state)
TRAMPOLINES_riscv64 := linux raw
