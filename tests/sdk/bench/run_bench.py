#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run sha256-bench twice -- once as is, once with OPENSSL_ia32cap=0 so
that OpenSSL uses its integer-only x86_64 code -- and print throughput
and the ratios the SDK aims for: SHA-NI >= 0.9x OpenSSL, portable >=
0.9x OpenSSL without SIMD.  Not a test: nothing here fails on speed."""
import os
import subprocess
import sys


def run(binary, *args, env=None):
    out = subprocess.run([binary, *args], check=True, text=True,
                         stdout=subprocess.PIPE, env=env).stdout
    rows = {}
    for line in out.splitlines():
        kind, impl, size, mbps = line.split()
        rows[(kind, impl, int(size))] = float(mbps)
    return rows


def human(size):
    return f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB"


def main():
    binary = sys.argv[1]
    rows = run(binary, "all")
    plain = run(binary, "openssl", env=dict(os.environ, OPENSSL_ia32cap="0"))
    sizes = sorted({s for (_, _, s) in rows})
    print("SHA-256 throughput, MB/s (same buffers, one process each)")
    print(f"{'size':>8} {'openssl':>9} {'x86-sha-ni':>11} {'ratio':>6} "
          f"{'openssl(ia32cap=0)':>19} {'portable':>9} {'ratio':>6}")
    for s in sizes:
        ossl = rows[("sha256", "openssl", s)]
        ossl0 = plain[("sha256", "openssl", s)]
        port = rows[("sha256", "portable", s)]
        shani = rows.get(("sha256", "x86-sha-ni", s))
        shani_txt = f"{shani:11.1f} {shani / ossl:6.2f}" if shani else \
            f"{'n/a':>11} {'':>6}"
        print(f"{human(s):>8} {ossl:9.1f} {shani_txt} {ossl0:19.1f} "
              f"{port:9.1f} {port / ossl0:6.2f}")
    print("\nmemcpy throughput, MB/s")
    print(f"{'size':>8} {'libc':>9} {'purgkit':>9} {'ratio':>6}")
    for s in sizes:
        libc = rows[("memcpy", "libc", s)]
        pk = rows[("memcpy", "purgkit", s)]
        print(f"{human(s):>8} {libc:9.1f} {pk:9.1f} {pk / libc:6.2f}")


if __name__ == "__main__":
    main()
