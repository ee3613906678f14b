/* SPDX-License-Identifier: MIT */
/*
 * The host tools' one byte-order family: an unsigned integer of 1 to 8
 * bytes, stored or loaded in a target's byte order whatever the host's.
 * The relocator (pk_reloc_get/pk_reloc_put) and the loader
 * (pk_put16/32/64, pk_put_uint, pk_get_uint) are thin wrappers that pick
 * the byte order from their object or architecture.
 */
#ifndef PURGKIT_BYTEORDER_H
#define PURGKIT_BYTEORDER_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t pk_load_uint(const void *src, int bytes,
				    bool big_endian)
{
	const uint8_t *p = src;
	uint64_t value = 0;

	for (int i = 0; i < bytes; i++)
		value |= (uint64_t)p[big_endian ? bytes - 1 - i : i] << (8 * i);
	return value;
}

static inline void pk_store_uint(void *dst, int bytes, bool big_endian,
				 uint64_t value)
{
	uint8_t *p = dst;

	for (int i = 0; i < bytes; i++)
		p[big_endian ? bytes - 1 - i : i] = (uint8_t)(value >> (8 * i));
}

#endif /* PURGKIT_BYTEORDER_H */
