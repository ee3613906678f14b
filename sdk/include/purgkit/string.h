/* SPDX-License-Identifier: MIT */
/*
 * Memory and string routines.  They keep their ISO C names because the
 * compiler emits calls to memcpy, memmove, memset and memcmp on its own
 * (structure copies, large initialisers); every trampoline gets them from
 * libpurgkit.a.  Semantics are exactly ISO C's.
 *
 * x86_64: memcpy and memset use `rep movsb` / `rep stosb` (fast on every
 * CPU with ERMS, and small).  ppc64: they move a doubleword at a time when
 * both pointers are 8-byte aligned, bytes otherwise.
 */
#ifndef PURGKIT_STRING_H
#define PURGKIT_STRING_H

#include <stddef.h>

/* Copy n bytes; the ranges must not overlap. Returns dst. */
void *memcpy(void *dst, const void *src, size_t n);
/* Copy n bytes; the ranges may overlap. Returns dst. */
void *memmove(void *dst, const void *src, size_t n);
/* Fill n bytes with (unsigned char)c. Returns dst. */
void *memset(void *dst, int c, size_t n);
/* Compare n bytes as unsigned char: <0, 0 or >0. */
int memcmp(const void *a, const void *b, size_t n);
/* Length of a NUL-terminated string. */
size_t strlen(const char *s);
/* Length of s, but at most max (s need not be terminated within max). */
size_t strnlen(const char *s, size_t max);
/* Compare two strings as unsigned char: <0, 0 or >0. */
int strcmp(const char *a, const char *b);
/* Compare at most n characters. */
int strncmp(const char *a, const char *b, size_t n);
/* First occurrence of (char)c in s, the terminator included; or NULL. */
char *strchr(const char *s, int c);

#endif /* PURGKIT_STRING_H */
