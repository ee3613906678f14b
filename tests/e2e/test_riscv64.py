# SPDX-License-Identifier: MIT
"""riscv64 end to end through a real kexec: a Debian riscv64 kernel (from
Debian 13) on QEMU virt under OpenSBI (-smp 2) runs the static
purgkit-load, and kexec enters the riscv64 trampolines.

What a user checks on the console:
  - the project's own ELF payload, at its link address, gets a0 = the
    hart that entered and a1 = a device tree (its magic read back);
  - a changed segment is refused before anything of it runs;
  - a fault in a trampoline of one's own prints the cause, the function
    and the registers and halts, and purgkit-run names the source line.
Linux to Linux and kdump are the every-arch tests (test_linux_to_linux.py,
test_kdump.py); entering the trampolines straight from OpenSBI, without
a kernel, is test_riscv64_opensbi.py.  The payload is tests/payloads/riscv64.
"""

import os
import re
import subprocess

import pytest

from e2e_support import BUILD, ROOT

pytestmark = pytest.mark.qemu

ARCH = "riscv64"
SMP = 2


def payload():
    path = f"{BUILD}/payloads/riscv64/payload.elf"
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: run `make payloads`", pytrace=False)
    return path


def test_elf_payload_gets_the_hart_and_the_device_tree(run_purgkit):
    result = run_purgkit(ARCH, [payload(), "--type=elf"], expect=[
        "new:purgkit: sha256 ok",
        "re:purgkit: raw: hart \\d+;",
        # The whole line: the run ends when it matches (the payload
        # prints it a character at a time through SBI).
        "re:payload: riscv64 a0=0x[0-9a-f]+ a1=0x[0-9a-f]+ "
        "tree-magic=0xd00dfeed"], smp=SMP)
    assert result.code == 0, result.why
    hart = re.search(r"purgkit: raw: hart (\d+);", result.console).group(1)
    line = next(l for l in result.console.splitlines()
                if "payload: riscv64 " in l)
    words = dict(w.split("=") for w in line.split("payload: riscv64 ")[1]
                 .split() if "=" in w)
    assert int(words["a0"], 16) == int(hart), line
    assert int(words["a1"], 16) != 0, line
    assert int(words["tree-magic"], 16) == 0xd00dfeed, line


def test_changed_kernel_is_refused_on_a_real_kexec(run_purgkit, kernel_for,
                                                   stage2_initrd):
    # Segment 0 is the device tree, which the loader puts below the rest
    # (kexec takes the first segment that looks like one); 1 the kernel.
    result = run_purgkit(ARCH, [
        kernel_for(ARCH), "--type=linux", f"--initrd={stage2_initrd(ARCH)}",
        "--append=console=ttyS0 panic=-1 purgkit.stage=2",
        "--test-corrupt-segment=1"], expect=[
        "new:purgkit: SHA-256 MISMATCH",
        "re:purgkit:   region 1: 0x[0-9a-f]+\\.\\.0x[0-9a-f]+ "
        "\\(\\d+ bytes\\) CHANGED",
        "purgkit: refusing to start the payload; halted"], smp=SMP)
    assert result.code == 0, result.why
    assert "test hook: flipped a bit of segment 1 (kernel" in result.console
    after = result.console.split("SHA-256 MISMATCH", 1)[1]
    assert "purgkit: linux: hart" not in after
    assert "Linux version" not in after


def build_test_trampoline(tmp_path, name):
    """tests/e2e/trampolines/NAME.ro for riscv64, built out of tree
    against an installed purgkit, as a user builds one."""
    prefix = tmp_path / "prefix"
    subprocess.run(["make", "-s", "-C", ROOT, "install", f"PREFIX={prefix}",
                    f"TARGETS={ARCH}"], check=True, capture_output=True)
    work = tmp_path / "work"
    subprocess.run(["cp", "-r", f"{ROOT}/tests/e2e/trampolines", str(work)],
                   check=True)
    subprocess.run(["make", "-s", "-C", str(work), f"{name}.ro",
                    f"PURGKIT_PREFIX={prefix}", f"PURGKIT_TARGET={ARCH}"],
                   check=True, capture_output=True)
    return work / f"{name}.ro", f"{ROOT}/tests/e2e/trampolines/{name}.c"


def test_a_trap_in_the_trampoline_prints_its_state_and_halts(run_purgkit,
                                                             tmp_path):
    """An illegal instruction in a trampoline of one's own: the runtime's
    trap handler prints the cause, where (image base + offset, in
    trap_here) and the registers, and halts; purgkit-run ends the run at
    once (exit 8) and names trap-riscv64.c and the line of the trap."""
    ro, source = build_test_trampoline(tmp_path, "trap-riscv64")
    with open(source) as f:
        line = next(n for n, text in enumerate(f, 1) if "TRAP LINE" in text)
    result = run_purgkit(ARCH, [payload(), "--type=elf",
                                f"--purgatory={ro}"], smp=SMP)
    assert result.code == 8, result.why
    assert "trap: about to execute unimp" in result.console
    assert "purgkit: CPU exception 2 (illegal instruction)" in \
        result.console, result.why
    assert re.search(r"purgkit: fault at [0-9a-f]{16} = image [0-9a-f]+ "
                     r"\+ 0x[0-9a-f]+, in trap_here\+0x[0-9a-f]+",
                     result.console), result.why
    assert re.search(r"s4   0000000011223344  s5   000000000badc0de",
                     result.console), result.why
    assert "payload:" not in result.console
    assert "the trampoline halted: CPU exception 2 (illegal instruction)" \
        in result.reason, result.why
    assert re.search(rf"in trap_here \(\S*trap-riscv64\.c:{line}\)$",
                     result.reason), result.stderr
    assert re.search(rf"\(sepc\) is trap_here \(\S*trap-riscv64\.c:{line}\)",
                     result.stderr), result.stderr
