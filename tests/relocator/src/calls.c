/* SPDX-License-Identifier: MIT */
/*
 * A test trampoline for the relocator: calls, a switch table, function
 * pointers, strings, data references and 64-bit constants, in the shapes
 * a real trampoline has.  Built for every target and code model.
 */
#include <stdint.h>

#define PATCHABLE __attribute__((section(".pk.patch"), used, aligned(8), \
				 visibility("default")))

PATCHABLE uint64_t pk_payload_entry = 0x1122334455667788ull;
PATCHABLE uint32_t pk_console_mask = 1;
PATCHABLE char pk_command_line[64] = "console=ttyS0";
PATCHABLE uint8_t pk_digest[32];

struct op {
	const char *name;
	int (*fn)(int);
	uint64_t magic;
};

uint64_t scratch[64];
static uint32_t counter;
const char *greeting = "hello from the trampoline";

int twice(int x);
int scaled(int x, int y);

__attribute__((noinline)) static int add_one(int x)
{
	return x + 1;
}

__attribute__((noinline)) static int negate(int x)
{
	return -x;
}

static const struct op ops[] = {
	{ "add", add_one, 0x0123456789abcdefull },
	{ "neg", negate, 0xfedcba9876543210ull },
	{ "two", twice, 0x8000000000000001ull },
};

__attribute__((noinline)) int choose(int x)
{
	switch (x) {
	case 0: return add_one(x);
	case 1: return 17;
	case 2: return (int)counter;
	case 3: return negate(x);
	case 4: return 99;
	case 5: return greeting[3];
	case 6: return twice(x);
	case 7: return 1234;
	default: return -1;
	}
}

__attribute__((noinline)) uint64_t constants(uint64_t x)
{
	return x * 0x9e3779b97f4a7c15ull + 0x7fffffffffffffffull;
}

uint64_t pk_entry(int arg)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		sum += (uint64_t)ops[i].fn(arg) + ops[i].magic;
		sum += (uint64_t)ops[i].name[1];
	}
	counter++;
	scratch[arg & 63] = sum;
	sum += (uint64_t)choose(arg) + constants(sum);
	sum += pk_payload_entry + pk_console_mask + pk_command_line[2] +
		pk_digest[5];
	sum += (uint64_t)scaled(arg, 3) + (uint64_t)(uintptr_t)&scratch[7];
	return sum + (uint64_t)(uintptr_t)"a string literal";
}
