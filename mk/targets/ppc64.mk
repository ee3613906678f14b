# SPDX-License-Identifier: MIT
# Target ppc64: 64-bit POWER, big-endian, ELFv1 ABI (Debian's unofficial
# ppc64 port).  One row of the target table (mk/targets.mk says what a row
# sets and why).  The flags are ppc64le's (mk/targets/ppc64le.mk says why
# each is there) in the other byte order and ABI.  No static tools: Debian
# ships no big-endian ppc64 libelf/libfdt/libcrypto for a sysroot.
ARCH_ppc64                := ppc64
TRIPLET_ppc64             := powerpc64-linux-gnu
DEB_ARCH_ppc64            := ppc64
LINKER_FORMAT_ppc64       := elf64-powerpc
PK_ARCH_CFLAGS_ppc64      := -mbig-endian -mabi=elfv1 -msoft-float \
	-mno-altivec -mno-vsx -mcmodel=medium -mno-string -mno-multiple \
	-mno-pointers-to-nested-functions
PK_VECTOR_CFLAGS_ppc64    := -mcpu=power8 -mhard-float -maltivec -mvsx -mcrypto
PK_NO_VECTOR_CFLAGS_ppc64 := -msoft-float -mno-altivec -mno-vsx
BIG_ENDIAN_ppc64          := 1
PAGE_SIZE_ppc64           := 65536
QEMU_USER_ppc64           := qemu-ppc64
STATIC_TOOLS_ppc64        := no
