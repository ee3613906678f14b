#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run each target's sha256-bench (build/<target>/tests/sdk/sha256-bench)
twice -- once as is, once with OpenSSL's capability variable at 0 so that
OpenSSL uses its integer-only code -- and print throughput and the ratios
the SDK aims for: the accelerated engine >= 0.9x OpenSSL's accelerated
code, portable >= 0.9x OpenSSL without it.  A target that is not the
host's runs under qemu-user (tests/sdk/sdk_support.py's runner, with the
CPU model the SDK's tests use): its figures are the emulator's, and only
its ratios mean something.  Not a test: nothing here fails on speed.

    PURGKIT_BUILD=build run_bench.py TARGET...
"""
import os
import pathlib
import subprocess
import sys

sys.path[:0] = [str(pathlib.Path(__file__).resolve().parents[1]),
                str(pathlib.Path(__file__).resolve().parents[2])]

import build_targets  # noqa: E402
from sdk_support import runner  # noqa: E402

# OpenSSL's variable that masks the CPU capabilities it detected, per
# family: at 0 it runs its integer-only SHA-256 (no SHA-NI/SSSE3/AVX; no
# ARMv8 crypto or NEON; no POWER8 vector crypto).
OPENSSL_CAPS = {
    "x86_64": "OPENSSL_ia32cap",
    "aarch64": "OPENSSL_armcap",
    "ppc64": "OPENSSL_ppccap",
}


def run(command, *args, env=None):
    out = subprocess.run([*command, *args], check=True, text=True,
                         stdout=subprocess.PIPE, env=env).stdout
    rows = {}
    for line in out.splitlines():
        kind, impl, size, mbps = line.split()
        rows[(kind, impl, int(size))] = float(mbps)
    return rows


def human(size):
    return f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB"


def bench(target):
    binary = build_targets.BUILD / target / "tests" / "sdk" / "sha256-bench"
    command = runner(target) + [str(binary)]
    caps = build_targets.row(OPENSSL_CAPS, "tests/sdk/bench/run_bench.py "
                             "OPENSSL_CAPS", build_targets.arch(target))
    rows = run(command, "all")
    plain = run(command, "openssl", env=dict(os.environ, **{caps: "0"}))
    sizes = sorted({s for (_, _, s) in rows})
    accel = sorted({impl for (kind, impl, _) in rows if kind == "sha256"} -
                   {"openssl", "portable"})
    accel = accel[0] if accel else "accelerated"
    plain_name = f"openssl({caps.split('_', 1)[1]}=0)"
    where = "natively" if not command[:-1] else \
        f"under {' '.join(command[:-1])}: the emulator's times, " \
        "read the ratios"
    print(f"{target}, {where}")
    print("SHA-256 throughput, MB/s (same buffers, one process each)")
    print(f"{'size':>8} {'openssl':>9} {accel:>11} {'ratio':>6} "
          f"{plain_name:>19} {'portable':>9} {'ratio':>6}")
    for s in sizes:
        ossl = rows[("sha256", "openssl", s)]
        ossl0 = plain[("sha256", "openssl", s)]
        port = rows[("sha256", "portable", s)]
        fast = rows.get(("sha256", accel, s))
        fast_txt = f"{fast:11.1f} {fast / ossl:6.2f}" if fast else \
            f"{'n/a':>11} {'':>6}"
        print(f"{human(s):>8} {ossl:9.1f} {fast_txt} {ossl0:19.1f} "
              f"{port:9.1f} {port / ossl0:6.2f}")
    print("\nmemcpy throughput, MB/s")
    print(f"{'size':>8} {'libc':>9} {'purgkit':>9} {'ratio':>6}")
    for s in sizes:
        libc = rows[("memcpy", "libc", s)]
        pk = rows[("memcpy", "purgkit", s)]
        print(f"{human(s):>8} {libc:9.1f} {pk:9.1f} {pk / libc:6.2f}")


def main():
    for number, target in enumerate(sys.argv[1:]):
        if number:
            print()
        bench(target)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
