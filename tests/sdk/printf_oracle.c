/* SPDX-License-Identifier: MIT */
/*
 * The oracle for the pk_vsnprintf tests: the format matrix of
 * printf_cases.h through the host C library's snprintf, printed in the
 * same form as `sdk-test printf` prints it through pk_snprintf.
 */
#include <stdio.h>
#include <string.h>
#include "printf_cases.h"

static void show(int index, int ret, const char *buf, size_t size)
{
	size_t i;

	printf("%d %d ", index, ret);
	/* Up to and including the terminator, escaped; size 0 shows "-". */
	if (!size)
		fputs("-", stdout);
	for (i = 0; i < size; i++) {
		unsigned char c = buf[i];

		if (c == 0) {
			fputs("\\0", stdout);
			break;
		}
		if (c < 0x20 || c >= 0x7f || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('\n');
}

int main(void)
{
	char buf[256];
	int index = 0, ret;

#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat"
#define RUN(size, ...)                                        \
	memset(buf, 'Z', sizeof(buf));                        \
	ret = snprintf(buf, size, __VA_ARGS__);               \
	show(index++, ret, buf, size);
	PK_PRINTF_CASES(RUN)
	return 0;
}
