# SPDX-License-Identifier: MIT
# Host tools (relocator, loader) are ordinary hosted C, built strictly.
# SANITIZE=1 (the default for tests) adds AddressSanitizer and UBSan.
# No include folder here: each part's .mk names the ones it may use
# (RELOC_CFLAGS, LOADER_CFLAGS), so no part includes another's headers
# by accident.

HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-D_GNU_SOURCE
HOST_SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
ifeq ($(SANITIZE),1)
HOST_CFLAGS += $(HOST_SANITIZE_FLAGS)
HOST_LDFLAGS += $(HOST_SANITIZE_FLAGS)
endif
