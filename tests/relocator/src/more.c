/* SPDX-License-Identifier: MIT */
/* A second object, so references cross object boundaries after ld -r. */
#include <stdint.h>

extern uint64_t scratch[64];
static const char *const names[] = { "zero", "one", "two", "three" };
int table[256] = { 1, 2, 3 };
static int (*volatile hook)(int, int);

int twice(int x)
{
	return 2 * x + names[x & 3][0];
}

static int mul(int x, int y)
{
	return x * y + table[x & 255];
}

int scaled(int x, int y)
{
	hook = mul;
	scratch[1] = (uint64_t)(uintptr_t)&table[200];
	return hook(x, y) + (int)(uintptr_t)names[y & 3];
}
