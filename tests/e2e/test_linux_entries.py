# SPDX-License-Identifier: MIT
"""A Debian kernel through the Linux boot protocol's other entries.

A modern bzImage keeps the 32-bit entry (code32_start) and the 16-bit
real-mode setup code beside its 64-bit entry; --mode=32 and --real-mode
make purgkit-load use them.  The second kernel comes up with exactly the
command line and initrd it was given, as through the 64-bit entry
(test_linux_to_linux.py).  The project's raw32 test payload, wrapped in a
setup header, shows the 32-bit entry's exact register and segment state.
"""

import re
import struct
import subprocess
import uuid

import pytest

from e2e_support import BUILD, cli
from purgkit_run.arches import ARCHES
from purgkit_run.kernel import KernelError, fetch_package

pytestmark = pytest.mark.qemu


@pytest.mark.parametrize("mode_args, entering", [
    (["--mode=32"], "in 32-bit protected mode"),
    (["--real-mode"], "in real mode"),
], ids=["32-bit", "real-mode"])
def test_debian_kernel_boots_with_initrd_and_cmdline_through_entry(
        mode_args, entering, run_purgkit, kernel_for, stage2_initrd):
    marker = uuid.uuid4().hex[:12]
    append = (f"console={ARCHES['x86_64'].console} panic=-1 "
              f"purgkit.stage=2 marker={marker}")
    result = run_purgkit(
        "x86_64",
        [kernel_for("x86_64"), f"--initrd={stage2_initrd('x86_64')}",
         f"--append={append}"] + mode_args,
        expect=["purgkit: linux: entering", entering, "new:Linux version",
                f"purgkit-init: second kernel up, cmdline: {append}"])
    assert result.code == 0, result.why
    second = result.console.split("old| purgkit-init: executing", 1)[1]
    assert f"new| purgkit-init: second kernel up, cmdline: {append}" in second
    assert f"marker={marker}" in second


def raw32_as_bzimage(tmp_path):
    """tests/payloads/x86_64/raw32.elf (linked at 2 MiB, _start first) as the
    protected-mode part of a protocol 2.10 bzImage without a 64-bit entry:
    not relocatable, pref_address 2 MiB, init_size covering its bss."""
    elf = f"{BUILD}/payloads/x86_64/raw32.elf"
    flat = tmp_path / "raw32.bin"
    subprocess.run(["objcopy", "-O", "binary", elf, str(flat)], check=True)
    kernel = flat.read_bytes()
    kernel += bytes(-len(kernel) % 16)
    setup = bytearray(5 * 512)
    setup[0x1F1] = 4
    struct.pack_into("<I", setup, 0x1F4, len(kernel) // 16)
    struct.pack_into("<H", setup, 0x1FE, 0xAA55)
    setup[0x200:0x202] = b"\xeb\x62"          # header ends at 0x264
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, 0x020A)
    setup[0x211] = 0x01                          # LOADED_HIGH
    struct.pack_into("<I", setup, 0x22C, 0x7FFFFFFF)
    struct.pack_into("<I", setup, 0x238, 255)
    struct.pack_into("<Q", setup, 0x258, 0x200000)
    struct.pack_into("<I", setup, 0x260, 0x10000)
    image = tmp_path / "raw32.bzImage"
    image.write_bytes(bytes(setup) + kernel)
    return str(image)


def test_32_bit_entry_esi_boot_params_cs_0x10_others_zero(
        run_purgkit, tmp_path):
    result = run_purgkit("x86_64", [
        raw32_as_bzimage(tmp_path), "--type=linux", "--append=x"],
        expect=["purgkit: linux: entering 0x200000 in 32-bit protected mode",
                "payload: raw32 running", "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    console = result.console
    boot_params = re.search(r"boot_params at (0x[0-9a-f]+)", console)
    assert boot_params, result.why
    assert f"esi={int(boot_params.group(1), 16):#010x}" in console
    for zero in ("eax", "ebx", "ecx", "edx", "edi", "ebp"):
        assert f"{zero}=0x00000000" in console, zero
    assert "cs=0x0010" in console, result.why


def test_ipxe_lkrn_protocol_2_07_starts_through_the_real_mode_entry(
        run_purgkit):
    """Debian's iPXE as a Linux kernel (boot protocol 2.07): its setup code
    calls the BIOS, so it runs only through the 16-bit entry."""
    try:
        folder = fetch_package(ARCHES["x86_64"], "ipxe",
                               cli.default_cache_dir())
    except KernelError as error:
        pytest.fail(f"cannot fetch Debian's ipxe: {error}", pytrace=False)
    result = run_purgkit("x86_64", [
        f"{folder}/boot/ipxe.lkrn", "--real-mode"],
        expect=["purgkit: sha256 ok",
                "re:purgkit: linux: entering [0-9a-f]{4}:0000 in real mode",
                "iPXE initialising devices...ok", "Features:"])
    assert result.code == 0, result.why
