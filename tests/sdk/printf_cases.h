/* SPDX-License-Identifier: MIT */
/*
 * The format matrix pk_vsnprintf is checked against: each CASE is
 * (buffer size, format, arguments).  printf_oracle.c runs it through the
 * host C library's snprintf, sdk_test.c through pk_snprintf, and the test
 * compares the two outputs line by line.  Only what purgkit/console.h
 * promises is here (no %p of NULL: glibc prints "(nil)").
 */
#define PK_PRINTF_CASES(CASE)                                               \
	CASE(64, "plain text, no directives")                               \
	CASE(64, "%%")                                                      \
	CASE(64, "100%% sure %d%%", 7)                                      \
	CASE(64, "%d", 0)                                                   \
	CASE(64, "%d", 1)                                                   \
	CASE(64, "%d", -1)                                                  \
	CASE(64, "%d", 2147483647)                                          \
	CASE(64, "%d", (int)-2147483647 - 1)                                \
	CASE(64, "%i", -12345)                                              \
	CASE(64, "%u", 4294967295u)                                         \
	CASE(64, "%u", 0u)                                                  \
	CASE(64, "%x", 0xdeadbeefu)                                         \
	CASE(64, "%X", 0xdeadbeefu)                                         \
	CASE(64, "%x", 0u)                                                  \
	CASE(64, "%5d|%-5d|%05d", 42, 42, 42)                               \
	CASE(64, "%5d|%-5d|%05d", -42, -42, -42)                            \
	CASE(64, "%1d|%2d|%3d", 12345, 12345, 12345)                        \
	CASE(64, "%08x|%-8x|%8X", 0xabcu, 0xabcu, 0xabcu)                   \
	CASE(64, "%.3d|%.0d|%.0d|%5.3d", 7, 0, 5, -7)                       \
	CASE(64, "%05.2d|%-05d", 3, 3)                                      \
	CASE(64, "%*d|%-*d|%*d", 6, 9, 6, 9, -6, 9)                         \
	CASE(64, "%0*d", 7, -123)                                           \
	CASE(64, "%hhd|%hhu|%hhx", 200, 200, 0x1ff)                         \
	CASE(64, "%hd|%hu|%hx", 40000, 70000, 0x12345)                      \
	CASE(64, "%ld|%lu|%lx", -9000000000l, 18000000000ul, 0xfedcba9876543210ul) \
	CASE(64, "%lld", (long long)-9223372036854775807ll - 1)             \
	CASE(64, "%llu|%llx", 18446744073709551615ull, 18446744073709551615ull) \
	CASE(64, "%lli|%llX", 1234567890123ll, 0xabcdef0123ull)             \
	CASE(64, "%zu|%zx|%zd", (size_t)123456789012ul, (size_t)0xffffu, (size_t)-5) \
	CASE(64, "%20llu|%-20lld|", 42ull, -42ll)                           \
	CASE(64, "%c%c%c", 'a', 'B', '7')                                   \
	CASE(64, "[%3c][%-3c]", 'x', 'y')                                   \
	CASE(64, "%s", "hello")                                             \
	CASE(64, "%s", "")                                                  \
	CASE(64, "[%10s][%-10s]", "right", "left")                          \
	CASE(64, "[%.3s][%.0s][%.10s]", "abcdef", "abcdef", "abc")          \
	CASE(64, "[%8.3s][%-8.3s]", "abcdef", "abcdef")                     \
	CASE(64, "[%.*s][%*s]", 2, "abcdef", 4, "z")                        \
	CASE(64, "[%*.*s]", -6, 2, "abcdef")                                \
	CASE(64, "%p", (void *)0x1234)                                      \
	CASE(64, "%p", (void *)0xffffffff87654321ul)                        \
	CASE(64, "[%20p][%-20p]", (void *)0xbeef, (void *)0xbeef)           \
	CASE(64, "mixed %s=%d (0x%x) %c %lu", "n", -3, 0x3fu, 'q', 77ul)    \
	CASE(1, "%d", 12345)                                                \
	CASE(2, "%d", 12345)                                                \
	CASE(5, "%d", 12345)                                                \
	CASE(6, "%d", 12345)                                                \
	CASE(7, "%d", 12345)                                                \
	CASE(4, "%s|%s", "abc", "def")                                      \
	CASE(8, "%10s", "x")                                                \
	CASE(3, "%c%c%c%c", 'a', 'b', 'c', 'd')                             \
	CASE(64, "%s %s %s %s %s %s %s %s", "1", "2", "3", "4", "5", "6", "7", "8") \
	CASE(64, "%d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
