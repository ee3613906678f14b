# SPDX-License-Identifier: MIT
# x86_64-only sources of libpurgkit.a.
SDK_ARCH_SRCS_x86_64   := entry.S handoff.S bios_irq.S exception_entry.S \
			  exception.c cpu.c sse.c timer.c \
			  console_serial.c console_vga.c console_debugcon.c \
			  sha256_shani.c paging.c
# Built with PK_VECTOR_CFLAGS: the only code allowed to use SSE.
SDK_VECTOR_SRCS_x86_64 := sha256_shani.c
# Those the hosted unit tests (tests/sdk) build beside the generic ones,
# and how they link.
SDK_HOSTED_SRCS_x86_64 := sse.c sha256_shani.c timer.c paging.c
SDK_HOSTED_LDFLAGS_x86_64 := -no-pie
