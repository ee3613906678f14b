/* SPDX-License-Identifier: MIT */
/*
 * The four system calls the SDK unit-test programs need, without libc
 * (big-endian ppc64 has none in Debian, and the SDK's own memcpy and
 * friends must be the ones that run).
 */
#ifndef PK_TEST_SYS_H
#define PK_TEST_SYS_H

#include <stddef.h>

#if defined(__x86_64__)
#define SYS_read 0
#define SYS_write 1
#define SYS_exit_group 231

static inline long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__powerpc64__)
#define SYS_read 3
#define SYS_write 4
#define SYS_exit_group 234

static inline long sys3(long nr, long a, long b, long c)
{
	register long r0 __asm__("r0") = nr;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;

	/* On error the kernel sets CR0.SO and returns errno in r3. */
	__asm__ volatile("sc; bns+ 1f; neg %1, %1; 1:"
			 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
			 :
			 : "r6", "r7", "r8", "r9", "r10", "r11", "r12",
			   "cr0", "ctr", "xer", "memory");
	return r3;
}
#elif defined(__aarch64__)
/* asm-generic numbers, as on riscv64 below. */
#define SYS_read 63
#define SYS_write 64
#define SYS_exit_group 94

static inline long sys3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2)
			 : "memory");
	return x0;
}
#elif defined(__riscv) && __riscv_xlen == 64
#define SYS_read 63
#define SYS_write 64
#define SYS_exit_group 94

static inline long sys3(long nr, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a1), "r"(a2), "r"(a7)
			 : "memory");
	return a0;
}
#else
#error "unsupported test architecture"
#endif

static inline long sys_read(int fd, void *buf, size_t n)
{
	return sys3(SYS_read, fd, (long)buf, (long)n);
}

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return sys3(SYS_write, fd, (long)buf, (long)n);
}

static inline __attribute__((noreturn)) void sys_exit(int code)
{
	sys3(SYS_exit_group, code, 0, 0);
	__builtin_unreachable();
}

#endif /* PK_TEST_SYS_H */
