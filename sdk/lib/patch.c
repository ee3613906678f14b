/* SPDX-License-Identifier: MIT */
/*
 * The runtime's patchable data (see purgkit/patch.h).  The defaults are
 * what a trampoline does when no loader touched it: no console, checks
 * on with no regions (which verifies the empty message, so a loader that
 * forgot the digest fails the check instead of skipping it).
 */
#include <purgkit/patch.h>

PK_PATCHABLE uint32_t pk_verify_enabled = 1;
PK_PATCHABLE struct pk_region pk_verify_regions[PK_MAX_REGIONS] = { { 0, 0 } };
PK_PATCHABLE uint8_t pk_verify_digest[32] = { 0 };
PK_PATCHABLE uint32_t pk_console_mask = 0;
PK_PATCHABLE uint32_t pk_serial_port = 0x3f8;
PK_PATCHABLE uint32_t pk_serial_baud = 115200;
PK_PATCHABLE uint64_t pk_memlog_base = 0;
PK_PATCHABLE uint64_t pk_memlog_size = 0;
PK_PATCHABLE uint64_t pk_opal_base = 0;
PK_PATCHABLE uint64_t pk_opal_entry = 0;
PK_PATCHABLE uint64_t pk_timebase_hz = 0;
