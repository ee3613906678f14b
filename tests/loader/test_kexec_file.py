# SPDX-License-Identifier: MIT
"""-s/--kexec-file-syscall and -a/--kexec-syscall-auto, without a kernel:
what --dry-run says would be called, every option kexec_file_load cannot
honour refused under -s (and sending -a to kexec_load), and images the
kernel's kexec_file loader would not read named before any system call.

Only --dry-run here: a real kexec_file_load would load into this machine.
Under a real kernel (and lockdown) see tests/e2e/test_kexec_file_lockdown.py."""
import bz2
import gzip
import struct

import pytest

import payloads
from test_linux_raw_elf import bzimage

OWN_PURGATORY = "kexec_file_load runs the kernel's own purgatory"


@pytest.fixture
def load(run):
    """purgkit-load without the fixture's --memmap and --dump-segments
    (both kexec_load options, which -s refuses)."""
    def load(*args):
        return run(*args, memmap=None, dump=False)
    return load


def test_dry_run_shows_the_kexec_file_load_call(load, write):
    kernel = write("bzImage", bzimage()[0])
    initrd = write("initrd.img", b"initrd" * 100)
    r = load("-s", "--dry-run", "-l", kernel, f"--initrd={initrd}",
             "--append=console=ttyS0 quiet")
    assert r.rc == 0, r.stderr
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0] == ("kexec_file_load (-s): the kernel's own loader and "
                        "purgatory; no purgkit trampoline")
    assert f"  kernel:       {kernel} ({len(bzimage()[0])} bytes)" in lines
    assert f"  initrd:       {initrd}" in lines
    # cmdline_len counts the NUL, as the system call takes it.
    assert '  command line: "console=ttyS0 quiet" (20 bytes with its NUL)' \
        in lines
    assert "  flags:        0x0 (none)" in lines


def test_dry_run_flags_for_no_initrd_and_the_crash_kernel(load, write):
    kernel = write("bzImage", bzimage()[0])
    r = load("--kexec-file-syscall", "-p", "--dry-run", "-l", kernel)
    assert r.rc == 0, r.stderr
    assert "  initrd:       none (KEXEC_FILE_NO_INITRAMFS)" in r.stdout
    assert "  command line: none (cmdline_len 0)" in r.stdout
    assert "  flags:        0x6 KEXEC_FILE_ON_CRASH " \
           "KEXEC_FILE_NO_INITRAMFS" in r.stdout


def test_auto_dry_run_names_the_fallback(load, write):
    kernel = write("bzImage", bzimage()[0])
    r = load("-a", "--dry-run", "-l", kernel)
    assert r.rc == 0, r.stderr
    assert r.stdout.startswith("kexec_file_load (-a):")
    assert "  then:         kexec_load, if the kernel answers ENOSYS, " \
           "EINVAL, ENOEXEC or EOPNOTSUPP" in r.stdout


# Each option that only a kexec_load plan or purgkit's trampoline honours.
KEXEC_LOAD_ONLY = [
    (["--purgatory=x.ro"], "--purgatory", "it names a custom trampoline"),
    (["--set", "pk_x=1"], "--set", "it patches purgkit's trampoline"),
    (["--console=serial"], "--console", "purgkit's trampoline's console"),
    (["--no-checks"], "--no-checks", "purgkit's trampoline's check"),
    (["--gdb"], "--gdb", "it debugs purgkit's trampoline"),
    (["--type=multiboot"], "--type=multiboot",
     "a Linux kernel is the one payload kexec_file_load takes"),
    (["--module=m"], "--module", "multiboot payloads"),
    (["--address=0x100000"], "--address", "raw payload"),
    (["--entry=0x100000"], "--entry", "purgkit's trampoline jumps to"),
    (["--mode=32"], "--mode", "CPU mode"),
    (["--real-mode"], "--real-mode", "CPU mode"),
    (["--reg", "rax=1"], "--reg", "registers"),
    (["--no-bios-irq-restore"], "--no-bios-irq-restore", "16-bit hand-off"),
    (["--secondary-entry=0x60"], "--secondary-entry", "ppc64 trampoline"),
    (["--dtb=x.dtb"], "--dtb", "takes no device tree"),
    (["--memmap=x.memmap"], "--memmap", "its own memory"),
    (["--dump-segments=d"], "--dump-segments", "the kernel builds"),
    (["--test-corrupt-segment=0"], "--test-corrupt-segment",
     "the kernel builds"),
    (["--json"], "--json", "kexec_load plan"),
]


@pytest.mark.parametrize("args,option,why", KEXEC_LOAD_ONLY,
                         ids=[o for _, o, _ in KEXEC_LOAD_ONLY])
def test_s_refuses_what_only_kexec_load_does(load, write, args, option, why):
    kernel = write("bzImage", bzimage()[0])
    r = load("-s", "--dry-run", "-l", kernel, *args)
    assert r.rc == 1
    line = r.error_line()
    assert line.startswith(f"purgkit-load: -s: {OWN_PURGATORY}, so "
                           f"{option} cannot be used: ")
    assert why in line
    assert r.stdout == ""


def test_a_takes_kexec_load_for_what_only_it_does(load, write):
    """-a with --console: kexec_load's plan, saying why in one line."""
    kernel = write("bzImage", bzimage()[0])
    r = run_plan(load, "-a", "-l", kernel, "--console=serial")
    assert "purgkit-load: -a: using kexec_load: --console needs it (it is " \
           f"purgkit's trampoline's console; {OWN_PURGATORY})" in r.stderr
    assert "trampoline linux" in r.stdout


def run_plan(load, *args):
    from loader_support import X86_MEMMAP
    r = load("--dry-run", f"--memmap={X86_MEMMAP}", *args)
    assert r.rc == 0, r.stderr
    return r


def test_a_takes_kexec_load_for_a_payload_that_is_no_bzimage(load, write):
    kernel = write("k.elf", payloads.multiboot1_elf())
    r = load("-a", "--dry-run", "-l", kernel)
    # --memmap is a kexec_load option: without it the plan reads this
    # machine's map, which a test cannot rely on; the decision line is
    # printed before the plan either way.
    assert f"purgkit-load: -a: using kexec_load: {kernel} is not a " \
           "bzImage (no \"HdrS\" setup header at 0x202): the kernel's " \
           "kexec_file loader on x86_64 reads only a bzImage" in r.stderr


@pytest.mark.parametrize("kwargs,why", [
    ({"version": 0x020A}, "boot protocol 2.10, older than the 2.12 the "
                          "kernel's loader needs"),
    ({"xloadflags": 0x2}, "xloadflags 0x2 lack XLF_KERNEL_64 (a 64-bit "
                            "entry)"),
    ({"xloadflags": 0x1}, "xloadflags 0x1 lack XLF_CAN_BE_LOADED_ABOVE_4G"),
])
def test_s_refuses_a_bzimage_the_kernels_loader_would_not_read(
        load, write, kwargs, why):
    kernel = write("bzImage", bzimage(**kwargs)[0])
    r = load("-s", "--dry-run", "-l", kernel)
    assert r.rc == 1
    assert r.error_line() == (
        f"purgkit-load: -s: {kernel}: {why}: the kernel's kexec_file "
        "loader on x86_64 reads only a bzImage of boot protocol 2.12 or "
        "later with a 64-bit entry, loadable above 4 GiB "
        "(arch/x86/kernel/kexec-bzimage64.c)")


def test_a_gzip_kernel_is_passed_inflated_in_a_memory_file(load, write):
    """As kexec-tools does: the kernel's loader reads only the image."""
    image = bzimage()[0]
    kernel = write("bzImage.gz", gzip.compress(image))
    r = load("-s", "--dry-run", "-l", kernel)
    assert r.rc == 0, r.stderr
    assert f"  kernel:       {kernel} ({len(gzip.compress(image))} bytes, " \
           f"compressed: its {len(image)} inflated bytes go in a memory " \
           "file)" in r.stdout


def test_a_kernel_compressed_as_nothing_inflates_is_named(load, write):
    # bzip2: a compression the loader does not decompress (gzip, xz, lzma,
    # lz4 and zstd, which distributions ship kernels in, it does).
    kernel = write("bzImage.bz2", bz2.compress(bzimage()[0]))
    r = load("-s", "--dry-run", "-l", kernel)
    assert r.rc == 1
    assert r.error_line() == f"purgkit-load: kernel {kernel}: bzip2 data, " \
        "which purgkit-load does not decompress: run bunzip2 on it first"


def test_an_efi_zboot_image_is_named(load, write):
    zboot = bytearray(4096)
    zboot[0:2] = b"MZ"
    zboot[4:8] = b"zimg"
    kernel = write("vmlinuz.efi", bytes(zboot))
    r = load("-s", "--dry-run", "--arch=aarch64", "-l", kernel)
    assert r.rc == 1
    # (If the loader learns to unwrap zboot, this fake one's bytes are
    # refused by that reader instead, naming it too.)
    assert "EFI zboot" in r.error_line()


def arm64_image(flags=0, image_size=0x200000):
    header = bytearray(64)
    struct.pack_into("<QQQ", header, 8, 0, image_size, flags)
    header[56:60] = b"ARM\x64"
    return bytes(header) + bytes(4096)


def test_arm64_image_checks(load, write):
    ok = write("Image", arm64_image())
    r = load("-s", "--dry-run", "--arch=aarch64", "-l", ok)
    assert r.rc == 0, r.stderr
    for image, why in ((arm64_image(image_size=0), "without image_size"),
                       (arm64_image(flags=1), "a big-endian Image")):
        r = load("-s", "--dry-run", "--arch=aarch64", "-l",
                 write("Image", image))
        assert r.rc == 1 and why in r.error_line()


def test_ppc64_vmlinux_of_the_other_byte_order_refused(load, write):
    # A little-endian EM_PPC64 ELF: a ppc64le kernel reads it; a
    # big-endian one's loader does not.
    vmlinux = write("vmlinux", payloads.elf([(0x0, b"\x00" * 64, 64)], 0x0,
                                            elf_class=64, machine=21))
    r = load("-s", "--dry-run", "--arch=ppc64le", "-l", vmlinux)
    assert r.rc == 0, r.stderr
    r = load("-s", "--dry-run", "--arch=ppc64", "-l", vmlinux)
    assert r.rc == 1
    assert "an ELF file of the other byte order (ppc64 is big-endian)" in \
        r.error_line()


def test_s_for_another_arch_needs_dry_run(load, write):
    r = load("-s", "--arch=aarch64", "-l", write("Image", arm64_image()))
    assert r.rc == 1
    assert r.error_line() == ("purgkit-load: -s: this load is for aarch64 "
                              "and this system is not; use --dry-run")


def test_one_system_call_a_run(load, write):
    r = load("-s", "-a", "--dry-run", "-l", write("bzImage", bzimage()[0]))
    assert r.rc == 1
    assert r.error_line() == ("purgkit-load: -a contradicts the earlier -s: "
                              "one system call a run")


def test_initrd_must_be_a_regular_file(load, write, tmp_path):
    r = load("-s", "--dry-run", "-l", write("bzImage", bzimage()[0]),
             f"--initrd={tmp_path}")
    assert r.rc == 1
    assert r.error_line() == (f"purgkit-load: initrd {tmp_path}: not a "
                              "regular file")


def test_help_names_the_system_calls(load):
    r = load("--help")
    for option in ("-s, --kexec-file-syscall", "-a, --kexec-syscall-auto",
                   "-c, --kexec-syscall"):
        assert option in r.stdout
