# SPDX-License-Identifier: MIT
"""aarch64 end to end: a Debian arm64 kernel on QEMU virt (-cpu max,
-smp 2) kexecs, through purgkit-load, into the aarch64 trampolines, with
the old kernel at EL1 (QEMU's default) and at EL2 (virtualization=on).

What a user checks on the PL011 console (every purgkit line came through
the SDK's PL011 backend, at the address --console=pl011 gave):
  - the trampoline verified the image, then handed off at the level kexec
    entered it at;
  - the raw payload runs at that level with the MMU and caches off, D, A,
    I, F masked, the registers the loader was given and x0 = a device
    tree by default;
  - a corrupted segment is refused before anything of it runs;
  - a Debian kernel booted through the "linux" trampoline (the arm64
    Image protocol) comes up on every CPU with the command line given;
  - a trampoline of one's own (examples/hello-aarch64), built against an
    installed purgkit, runs and enters the payload.
Linux to Linux at EL1 and kdump at EL1 are the every-arch tests
(test_linux_to_linux.py, test_kdump.py); here kdump runs once more with
the old kernel at EL2, whose panic enters the trampoline at EL2.
The payload is tests/payloads/aarch64.
"""

import gzip
import os
import re
import subprocess

import pytest

from e2e_support import BUILD, ROOT
from efi_zboot import zboot
from test_kdump import assert_capture_kernel_read_the_whole_vmcore
from test_x86_64 import build_out_of_tree

pytestmark = pytest.mark.qemu

ARCH = "aarch64"
SMP = 2
UART = "0x9000000"          # QEMU virt's PL011
EL2 = ["--qemu-arg=-machine", "--qemu-arg=virtualization=on"]
LEVELS = {"EL1": [], "EL2": EL2}


def payload():
    path = f"{BUILD}/payloads/aarch64/payload.elf"
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: run `make payloads`", pytrace=False)
    return path


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_raw_payload_entered_at_the_old_kernels_level(run_purgkit, level):
    # x2 = 1: the payload powers off by SMC, QEMU's conduit with an EL2.
    smc = "1" if level == "EL2" else "0"
    result = run_purgkit(ARCH, [
        payload(), f"--console=pl011,{UART}", f"--reg=x1={UART}",
        f"--reg=x2={smc}", "--reg=x3=0x5678"], expect=[
        "new:purgkit: sha256 ok",
        f"new:purgkit: raw: entered at {level}",
        f"payload: {level} sctlr.m 0 sctlr.c 0 sctlr.i 0 "
        "daif 0x00000000000003c0",
        # x0: the device tree, as the Image protocol has it (the
        # running kernel's, /sys/firmware/fdt): the payload finds its magic
        f"re:payload: x0=0x[0-9a-f]{{16}} x1=0x0000000009000000 "
        f"x2=0x000000000000000{smc} x3=0x0000000000005678 fdt yes",
        "payload: done"], smp=SMP, extra_options=LEVELS[level])
    assert result.code == 0, result.why
    x0 = re.search(r"payload: x0=(0x[0-9a-f]+)", result.console).group(1)
    assert int(x0, 16) != 0
    assert re.search(rf"purgkit: raw: .*, x0={int(x0, 16):#x} ",
                     result.console), result.why
    # The runtime hashed with the MMU and caches on, and turned them off
    # for the payload (sctlr above); at EL2 the kernel ran with VHE.
    line = result.console.split("purgkit: raw: entered at", 1)[1]
    assert "(caches on, " in line.splitlines()[0], line.splitlines()[0]


def test_corrupted_payload_is_refused_before_it_runs(run_purgkit):
    result = run_purgkit(ARCH, [
        payload(), f"--console=pl011,{UART}", f"--reg=x1={UART}",
        "--test-corrupt-segment=0"], expect=[
        "purgkit: SHA-256 MISMATCH",
        "refusing to start the payload"], smp=SMP)
    assert result.code == 0, result.why
    assert "payload:" not in result.console.split("SHA-256 MISMATCH")[1]


def test_linux_to_linux_from_el2_through_the_image_protocol(
        run_purgkit, kernel_for, stage2_initrd):
    # EL1 is tests/e2e/test_linux_to_linux.py's (every arch); here the old
    # kernel runs at EL2 (with VHE) and the new one must be entered there.
    level = "EL2"
    append = (f"console=ttyAMA0 panic=-1 purgkit.stage=2 "
              f"purgkit-aarch64-{level}")
    # No --console: the trampoline finds the PL011 through the running
    # kernel's tree (/sys/firmware/fdt, /chosen/stdout-path).
    result = run_purgkit(ARCH, [
        kernel_for(ARCH), "--type=linux",
        f"--initrd={stage2_initrd(ARCH)}", f"--append={append}"], expect=[
        "new:purgkit: sha256 ok",
        "new:purgkit: linux: entering the Image at",
        "new:Linux version",
        f"purgkit-init: second kernel up, cmdline: {append}",
        f"purgkit-init: online cpus: 0-{SMP - 1} ({SMP})"], smp=SMP,
        extra_options=LEVELS[level])
    assert result.code == 0, result.why
    line = result.console.split("purgkit: linux: entering the Image at",
                                1)[1].splitlines()[0]
    assert f"at {level}" in line and "(caches on, " in line, line


def test_efi_zboot_kernel_kexecs(run_purgkit, kernel_for, stage2_initrd,
                                 tmp_path):
    """Debian's arm64 kernel (an uncompressed Image, "ARM\\x64" at 56)
    gzipped and wrapped as an EFI zboot kernel, as CONFIG_EFI_ZBOOT lays
    it out (tests/efi_zboot.py) and other distributions ship it:
    purgkit-load detects it, takes the Image out and boots it."""
    with open(kernel_for(ARCH), "rb") as f:
        image = f.read()
    assert image[56:60] == b"ARM\x64", "Debian's arm64 vmlinuz is an Image"
    wrapped = tmp_path / "vmlinuz.efi"
    wrapped.write_bytes(zboot(gzip.compress(image, compresslevel=6)))
    append = "console=ttyAMA0 panic=-1 purgkit.stage=2 purgkit-zboot"
    result = run_purgkit(ARCH, [
        str(wrapped), f"--initrd={stage2_initrd(ARCH)}",
        f"--append={append}"], expect=[
        "new:purgkit: sha256 ok",
        "new:purgkit: linux: entering the Image at",
        "new:Linux version",
        f"purgkit-init: second kernel up, cmdline: {append}"], smp=SMP)
    assert result.code == 0, result.why


def test_capture_kernel_reads_the_whole_vmcore_after_a_panic_at_el2(
        run_purgkit, kernel_for, stage2_initrd):
    # The old kernel runs at EL2 (VHE): its crash path enters the
    # trampoline at EL2, which verifies the capture segments with the
    # caches on at EL2 and starts the capture kernel there; the dump is
    # then checked as test_kdump.py checks every arch's.
    result = assert_capture_kernel_read_the_whole_vmcore(
        run_purgkit, kernel_for, stage2_initrd, ARCH, options=EL2,
        starting=["re:purgkit: linux: entering the Image at 0x[0-9a-f]+ "
                  "at EL2 \\(VHE\\), device tree at 0x[0-9a-f]+ "
                  "\\(caches on, "])
    # The capture kernel says so itself.
    assert re.search(r"new\| .*CPU: All CPU\(s\) started at EL2",
                     result.console), result.why


def build_test_trampoline(tmp_path, name):
    """tests/e2e/trampolines/NAME.ro for aarch64, built out of tree
    against an installed purgkit, as a user builds one; and its source."""
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


def test_a_fault_in_the_trampoline_prints_its_state_and_halts(run_purgkit,
                                                              tmp_path):
    """A BRK in a trampoline of one's own: the runtime's vectors print
    the exception class, where (image base + offset, in brk_here), ESR,
    ELR and the registers, and halt; purgkit-run ends the run at once
    (exit 8, not a timeout) and names brk.c and the line of the brk."""
    ro, source = build_test_trampoline(tmp_path, "brk")
    with open(source) as f:
        line = next(n for n, text in enumerate(f, 1) if "BRK LINE" in text)
    result = run_purgkit(ARCH, [
        payload(), "--type=elf", f"--console=pl011,{UART}",
        f"--reg=x1={UART}", f"--purgatory={ro}"], smp=SMP)
    assert result.code == 8, result.why
    assert "brk: about to execute brk" in result.console, result.why
    exception = "CPU exception at EL1: synchronous, BRK (class 0x3c)"
    assert f"purgkit: {exception}" in result.console, result.why
    assert re.search(r"purgkit: fault at [0-9a-f]{16} = image [0-9a-f]+ "
                     r"\+ 0x[0-9a-f]+, in brk_here\+0x[0-9a-f]+",
                     result.console), result.why
    # ESR: class 0x3c, IL, the BRK's immediate.
    assert re.search(r"esr 00000000f2000123  elr [0-9a-f]{16}",
                     result.console), result.why
    assert "x19 0000000011223344  x20 000000000badc0de" in result.console, \
        result.why
    assert "purgkit: halted" in result.console
    assert "payload:" not in result.console
    assert f"the trampoline halted: {exception}" in result.reason, result.why
    assert re.search(rf"in brk_here \(\S*brk\.c:{line}\)$",
                     result.reason), result.stderr
    assert re.search(rf"\(elr\) is brk_here \(\S*brk\.c:{line}\)",
                     result.stderr), result.stderr


def test_user_trampoline_built_out_of_tree_runs(run_purgkit, tmp_path):
    work = build_out_of_tree(tmp_path, f"{ROOT}/examples/hello-aarch64",
                             "hello", target=ARCH)
    result = run_purgkit(ARCH, [
        payload(), "--type=elf", f"--console=pl011,{UART}",
        f"--reg=x1={UART}", "--reg=x3=0x5678",
        f"--purgatory={work}/hello.ro",
        "--set", 'hello_greeting="greetings from out of tree"'], expect=[
        "purgkit: sha256 ok",
        "re:hello: greetings from out of tree \\(EL1, caches on, \\d+ MiB "
        "mapped\\)",
        "x1=0x0000000009000000 x2=0x0000000000000000 "
        "x3=0x0000000000005678",
        "payload: done"], smp=SMP)
    assert result.code == 0, result.why
