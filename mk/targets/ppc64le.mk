# SPDX-License-Identifier: MIT
# Target ppc64le: 64-bit POWER, little-endian, ELFv2 ABI; Debian ppc64el.
# One row of the target table (mk/targets.mk says what a row sets and why).
#   -msoft-float -mno-altivec -mno-vsx
#                           MSR[FP], MSR[VEC] and MSR[VSX] may be off in real
#                           mode at kexec entry; only the vector-crypto SHA
#                           module turns MSR[VEC] on.
#   -mcmodel=medium         TOC-relative data within 2 GiB of the TOC.
#   -mno-pointers-to-nested-functions -mno-string -mno-multiple
#                           simple, endian-neutral load/store code.
#   Debian's ppc64el kernels use 64 KiB pages.
ARCH_ppc64le                := ppc64
TRIPLET_ppc64le             := powerpc64le-linux-gnu
DEB_ARCH_ppc64le            := ppc64el
LINKER_FORMAT_ppc64le       := elf64-powerpcle
PK_ARCH_CFLAGS_ppc64le      := -mlittle-endian -mabi=elfv2 -msoft-float \
	-mno-altivec -mno-vsx -mcmodel=medium -mno-string -mno-multiple \
	-mno-pointers-to-nested-functions
PK_VECTOR_CFLAGS_ppc64le    := -mcpu=power8 -mhard-float -maltivec -mvsx -mcrypto
PK_NO_VECTOR_CFLAGS_ppc64le := -msoft-float -mno-altivec -mno-vsx
BIG_ENDIAN_ppc64le          := 0
PAGE_SIZE_ppc64le           := 65536
QEMU_USER_ppc64le           := qemu-ppc64le
STATIC_TOOLS_ppc64le        := yes
