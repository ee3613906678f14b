/* SPDX-License-Identifier: MIT */
/*
 * Self-checks of the SDK's string routines against byte-at-a-time
 * reference loops written here, over every alignment and many lengths.
 * Included by sdk_test.c; reports each failure through report() and
 * returns how many checks ran.  The reference loops are volatile-qualified
 * so that the compiler cannot turn them into calls to the functions under
 * test.
 */

typedef void (*report_fn)(const char *fmt, ...);

static uint8_t sbuf_a[4096 + 64], sbuf_b[4096 + 64], sbuf_ref[4096 + 64];

static void fill_pattern(uint8_t *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		((volatile uint8_t *)p)[i] = (uint8_t)(seed + i * 7 + (i >> 8));
}

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (((volatile const uint8_t *)a)[i] != b[i])
			return 0;
	}
	return 1;
}

static int sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

static const size_t lengths[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
	100, 127, 128, 129, 255, 256, 257, 1000, 1023, 1024, 1025, 4000,
};
#define NLENGTHS (sizeof(lengths) / sizeof(lengths[0]))

static unsigned long strings_check(report_fn report)
{
	unsigned long checks = 0;
	size_t li, da, sa, i;

	/* memcpy and memset: every destination/source alignment mod 16. */
	for (li = 0; li < NLENGTHS; li++) {
		size_t n = lengths[li];

		for (da = 0; da < 16; da++) {
			for (sa = 0; sa < 16; sa++) {
				void *r;

				fill_pattern(sbuf_a, sizeof(sbuf_a), 1);
				fill_pattern(sbuf_b, sizeof(sbuf_b), 99);
				fill_pattern(sbuf_ref, sizeof(sbuf_ref), 99);
				for (i = 0; i < n; i++)
					((volatile uint8_t *)sbuf_ref)[da + i] =
						sbuf_a[sa + i];
				r = memcpy(sbuf_b + da, sbuf_a + sa, n);
				checks++;
				if (r != sbuf_b + da ||
				    !same(sbuf_b, sbuf_ref, sizeof(sbuf_b)))
					report("FAIL memcpy n=%zu dst+%zu src+%zu\n",
					       n, da, sa);
			}
			fill_pattern(sbuf_b, sizeof(sbuf_b), 5);
			fill_pattern(sbuf_ref, sizeof(sbuf_ref), 5);
			for (i = 0; i < n; i++)
				((volatile uint8_t *)sbuf_ref)[da + i] = 0xc3;
			checks++;
			if (memset(sbuf_b + da, 0x1c3, n) != sbuf_b + da ||
			    !same(sbuf_b, sbuf_ref, sizeof(sbuf_b)))
				report("FAIL memset n=%zu dst+%zu\n", n, da);
		}
	}

	/* memmove: every overlap, both directions, against a copy made
	 * through a separate buffer. */
	for (li = 0; li < NLENGTHS; li++) {
		size_t n = lengths[li];
		int shift;

		if (n > 1100)
			continue;
		for (shift = -20; shift <= 20; shift++) {
			size_t src = 1200, dst = 1200 + shift;
			uint8_t tmp[1100];

			fill_pattern(sbuf_a, sizeof(sbuf_a), 3);
			fill_pattern(sbuf_ref, sizeof(sbuf_ref), 3);
			for (i = 0; i < n; i++)
				((volatile uint8_t *)tmp)[i] = sbuf_a[src + i];
			for (i = 0; i < n; i++)
				((volatile uint8_t *)sbuf_ref)[dst + i] = tmp[i];
			checks++;
			if (memmove(sbuf_a + dst, sbuf_a + src, n) !=
				    sbuf_a + dst ||
			    !same(sbuf_a, sbuf_ref, sizeof(sbuf_a)))
				report("FAIL memmove n=%zu shift=%d\n", n, shift);
		}
	}

	/* memcmp: equal, and one differing byte at each position, both
	 * signs, including bytes >= 0x80 (compared as unsigned char). */
	for (li = 0; li < NLENGTHS; li++) {
		size_t n = lengths[li], pos;

		fill_pattern(sbuf_a, n, 11);
		fill_pattern(sbuf_b, n, 11);
		checks++;
		if (memcmp(sbuf_a, sbuf_b, n) != 0)
			report("FAIL memcmp equal n=%zu\n", n);
		for (pos = 0; pos < n; pos += 1 + pos / 4) {
			uint8_t keep = sbuf_b[pos];

			sbuf_a[pos] = 0x10;
			sbuf_b[pos] = 0x90;
			checks += 2;
			if (sign(memcmp(sbuf_a, sbuf_b, n)) != -1 ||
			    sign(memcmp(sbuf_b, sbuf_a, n)) != 1)
				report("FAIL memcmp n=%zu diff at %zu\n", n, pos);
			if (pos + 1 <= n && memcmp(sbuf_a, sbuf_b, pos) != 0)
				report("FAIL memcmp prefix n=%zu\n", pos);
			sbuf_a[pos] = keep;
			sbuf_b[pos] = keep;
		}
	}

	/* strlen, strnlen, strchr over every start alignment. */
	for (li = 0; li < NLENGTHS; li++) {
		size_t n = lengths[li];

		for (sa = 0; sa < 8; sa++) {
			char *s = (char *)sbuf_a + sa;

			for (i = 0; i < n; i++)
				((volatile char *)s)[i] = (char)('a' + i % 26);
			s[n] = 0;
			s[n + 1] = '#';
			checks += 6;
			if (strlen(s) != n)
				report("FAIL strlen n=%zu +%zu\n", n, sa);
			if (strnlen(s, n + 5) != n || strnlen(s, n) != n ||
			    (n && strnlen(s, n - 1) != n - 1) ||
			    strnlen(s, 0) != 0)
				report("FAIL strnlen n=%zu +%zu\n", n, sa);
			if (strchr(s, 0) != s + n)
				report("FAIL strchr NUL n=%zu\n", n);
			if (n >= 3 && strchr(s, 'c') != s + 2)
				report("FAIL strchr c n=%zu\n", n);
			if (strchr(s, '#') != NULL)
				report("FAIL strchr past NUL n=%zu\n", n);
			if (n > 26 && strchr(s, 'z' + 256) != s + 25)
				report("FAIL strchr int->char n=%zu\n", n);
		}
	}

	/* strcmp and strncmp: prefixes, differences, unsigned order. */
	{
		static const struct {
			const char *a, *b;
			int cmp;	/* sign of strcmp(a, b) */
			size_t n;	/* for strncmp */
			int ncmp;	/* sign of strncmp(a, b, n) */
		} cases[] = {
			{ "", "", 0, 5, 0 },
			{ "abc", "abc", 0, 3, 0 },
			{ "abc", "abd", -1, 2, 0 },
			{ "abd", "abc", 1, 3, 1 },
			{ "ab", "abc", -1, 2, 0 },
			{ "abc", "ab", 1, 3, 1 },
			{ "", "a", -1, 0, 0 },
			{ "\x80", "\x7f", 1, 1, 1 },
			{ "a\xff", "a\x01", 1, 2, 1 },
			{ "same", "same", 0, 100, 0 },
			{ "abcX", "abcY", -1, 4, -1 },
		};

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			checks += 3;
			if (sign(strcmp(cases[i].a, cases[i].b)) != cases[i].cmp)
				report("FAIL strcmp case %zu\n", i);
			if (sign(strcmp(cases[i].b, cases[i].a)) != -cases[i].cmp)
				report("FAIL strcmp reversed case %zu\n", i);
			if (sign(strncmp(cases[i].a, cases[i].b, cases[i].n)) !=
			    cases[i].ncmp)
				report("FAIL strncmp case %zu\n", i);
		}
	}
	return checks;
}
