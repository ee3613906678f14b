/* SPDX-License-Identifier: MIT */
/*
 * Internal to the riscv64 part of libpurgkit.a: its console backends and
 * its trap report.
 */
#ifndef PURGKIT_LIB_RISCV64_H
#define PURGKIT_LIB_RISCV64_H

#include <stdint.h>
#include <purgkit/console.h>

/* The SBI debug console: DBCN when the firmware has it (SBI 2.0), else
 * the legacy console_putchar call. */
void pk_console_sbi_init(struct pk_console *console);
/* A 16550 UART at physical base, byte registers one byte apart (QEMU
 * virt's at 0x10000000), left at the rate the firmware set. */

/* Called by pk_riscv64_trap_entry (entry.S) with the saved frame: x1..x31
 * at [1..31], then sepc, scause, stval, sstatus (purgkit/arch/riscv64/
 * asm.h).  Prints them and halts. */
void pk_riscv64_trap(const uint64_t *frame) __attribute__((noreturn));

#endif /* PURGKIT_LIB_RISCV64_H */
