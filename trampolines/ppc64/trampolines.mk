# SPDX-License-Identifier: MIT
# The ppc64 trampolines (built for ppc64le and ppc64 alike):
#   linux  a vmlinux with a flattened device tree; secondaries wait in the
#          new kernel's own hold loop
#   raw    any payload, either endianness, registers from pk_ppc64_regs;
#          secondaries held by the SDK and released to pk_secondary_entry
TRAMPOLINES_ppc64 := linux raw
