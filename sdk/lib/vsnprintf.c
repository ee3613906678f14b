/* SPDX-License-Identifier: MIT */
/*
 * The formatter (the subset documented in purgkit/console.h) and
 * pk_vsnprintf / pk_snprintf on top of it.  Integer conversions follow
 * C99: a precision is a minimum digit count and disables the '0' flag.
 */
#include <stdint.h>
#include <purgkit/console.h>
#include <purgkit/string.h>
#include "console_impl.h"

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct spec {
	int left;		/* '-' */
	int zero;		/* '0' */
	int width;
	int precision;		/* -1: none */
};

struct out {
	pk_format_emit emit;
	void *cookie;
	int count;
};

static void put(struct out *o, char c)
{
	o->emit(o->cookie, c);
	o->count++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	int len;

	if (!s)
		s = "(null)";
	len = sp->precision >= 0 ? (int)strnlen(s, sp->precision) :
				   (int)strlen(s);
	if (!sp->left)
		put_repeat(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		put_repeat(o, ' ', sp->width - len);
}

/* Lay out [sign][prefix][precision zeros][digits] within the width. */
static void put_number(struct out *o, const struct spec *sp,
		       unsigned long long v, int negative, unsigned base,
		       int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];		/* 2^64 needs 22 octal digits, 20 decimal */
	int ndigits = 0, nprefix = prefix ? (int)strlen(prefix) : 0;
	int zeros, body, pad;

	/* C99: a zero with precision 0 prints no digits at all. */
	if (!(v == 0 && sp->precision == 0)) {
		do {
			buf[ndigits++] = digits[v % base];
			v /= base;
		} while (v);
	}
	zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
	body = negative + nprefix + zeros + ndigits;
	pad = sp->width > body ? sp->width - body : 0;
	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		put_repeat(o, ' ', pad);
	if (negative)
		put(o, '-');
	for (int i = 0; i < nprefix; i++)
		put(o, prefix[i]);
	put_repeat(o, '0', zeros);
	while (ndigits)
		put(o, buf[--ndigits]);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static int parse_int(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (v < 100000000)
			v = v * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return v;
}

int pk_vformat(pk_format_emit emit, void *cookie, const char *fmt,
	       va_list ap)
{
	struct out o = { emit, cookie, 0 };

	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { 0, 0, 0, -1 };
		enum length len = LEN_INT;
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = 1;
			else if (*fmt == '0')
				sp.zero = 1;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				/* C: a negative width is '-' plus its size. */
				sp.left = 1;
				sp.width = sp.width == INT32_MIN ? 0 : -sp.width;
			}
			fmt++;
		} else {
			sp.width = parse_int(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.precision = va_arg(ap, int);
				if (sp.precision < 0)
					sp.precision = -1;
				fmt++;
			} else {
				sp.precision = parse_int(&fmt);
			}
		}
		if (fmt[0] == 'h' && fmt[1] == 'h') {
			len = LEN_CHAR;
			fmt += 2;
		} else if (fmt[0] == 'h') {
			len = LEN_SHORT;
			fmt++;
		} else if (fmt[0] == 'l' && fmt[1] == 'l') {
			len = LEN_LLONG;
			fmt += 2;
		} else if (fmt[0] == 'l') {
			len = LEN_LONG;
			fmt++;
		} else if (fmt[0] == 'z') {
			len = LEN_SIZE;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			switch (len) {
			case LEN_CHAR:
				s = (signed char)va_arg(ap, int);
				break;
			case LEN_SHORT:
				s = (short)va_arg(ap, int);
				break;
			case LEN_LONG:
				s = va_arg(ap, long);
				break;
			case LEN_LLONG:
				s = va_arg(ap, long long);
				break;
			case LEN_SIZE:
				/* The signed type of size_t's width. */
				s = (long)va_arg(ap, size_t);
				break;
			default:
				s = va_arg(ap, int);
				break;
			}
			/* Negate in unsigned arithmetic: LLONG_MIN has no
			 * positive counterpart. */
			u = s < 0 ? 0ull - (unsigned long long)s :
				    (unsigned long long)s;
			put_number(&o, &sp, u, s < 0, 10, 0, NULL);
			break;
		case 'u':
		case 'x':
		case 'X':
			switch (len) {
			case LEN_CHAR:
				u = (unsigned char)va_arg(ap, unsigned int);
				break;
			case LEN_SHORT:
				u = (unsigned short)va_arg(ap, unsigned int);
				break;
			case LEN_LONG:
				u = va_arg(ap, unsigned long);
				break;
			case LEN_LLONG:
				u = va_arg(ap, unsigned long long);
				break;
			case LEN_SIZE:
				u = va_arg(ap, size_t);
				break;
			default:
				u = va_arg(ap, unsigned int);
				break;
			}
			put_number(&o, &sp, u, 0, *fmt == 'u' ? 10 : 16,
				   *fmt == 'X', NULL);
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			put_number(&o, &sp, u, 0, 16, 0, "0x");
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			int pad = sp.width - 1;

			if (!sp.left)
				put_repeat(&o, ' ', pad);
			put(&o, c);
			if (sp.left)
				put_repeat(&o, ' ', pad);
			break;
		}
		case 's':
			put_string(&o, &sp, va_arg(ap, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown or cut short: print the directive as it was
			 * written (without a NUL we may have stopped on). */
			if (*fmt)
				fmt++;
			while (start < fmt)
				put(&o, *start++);
			continue;
		}
		fmt++;
	}
	return o.count;
}

struct buffer {
	char *buf;
	size_t size;
	size_t used;
};

static void buffer_emit(void *cookie, char c)
{
	struct buffer *b = cookie;

	/* Keep one byte for the terminator; count the rest without storing. */
	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int pk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = { buf, size, 0 };
	int n = pk_vformat(buffer_emit, &b, fmt, ap);

	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int pk_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pk_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
