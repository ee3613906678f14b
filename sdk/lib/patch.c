/* SPDX-License-Identifier: MIT */
/*
 * The runtime's patchable data (see purgkit/patch.h).  The defaults are
 * what a trampoline does when no loader touched it: no console, checks
 * on with no regions (which verifies the empty message, so a loader that
 * forgot the digest fails the check instead of skipping it).
 */
#include <purgkit/patch.h>

PK_PATCH_DEFINE(pk_verify_enabled) = 1;
PK_PATCH_DEFINE(pk_verify_regions) = { { 0, 0 } };
PK_PATCH_DEFINE(pk_verify_digest) = { 0 };
PK_PATCH_DEFINE(pk_verify_region_digests) = { { 0 } };
PK_PATCH_DEFINE(pk_console_mask) = 0;
PK_PATCH_DEFINE(pk_serial_port) = PK_SERIAL_DEFAULT_PORT;
PK_PATCH_DEFINE(pk_serial_baud) = PK_SERIAL_DEFAULT_BAUD;
PK_PATCH_DEFINE(pk_memlog_base) = 0;
PK_PATCH_DEFINE(pk_memlog_size) = 0;
PK_PATCH_DEFINE(pk_opal_base) = 0;
PK_PATCH_DEFINE(pk_opal_entry) = 0;
PK_PATCH_DEFINE(pk_timebase_hz) = 0;
PK_PATCH_DEFINE(pk_uart_base) = 0;
PK_PATCH_DEFINE(pk_uart_reg_shift) = 0;
PK_PATCH_DEFINE(pk_symbol_table) = 0;
PK_PATCH_DEFINE(pk_memory_map_table) = 0;
