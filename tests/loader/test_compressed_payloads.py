# SPDX-License-Identifier: MIT
"""Compressed payloads, as GRUB and kexec-tools take them: a payload or
Multiboot module compressed with gzip, xz, lzma, lz4 (frame or legacy) or
zstd is decompressed before anything reads it, through the library Debian
ships for the format; an initrd is left to the kernel, which unpacks it.
Every file here is made by the format's own packaged tool (gzip, xz-utils,
lz4, zstd).  What the user sees: the same plan as for the plain file, the
layer named in --dry-run, or one line saying what is wrong and where."""
import gzip
import subprocess

import pytest

import payloads

# The packaged tool's command for each form, writing to stdout.
TOOLS = {
    "gzip": ["gzip", "-c", "-n"],
    "xz": ["xz", "-c"],
    "lzma": ["lzma", "-c"],
    "lz4": ["lz4", "-c", "-q"],               # the frame format, lz4's own
    "lz4-legacy": ["lz4", "-l", "-c", "-q"],  # the kernel's build, initramfs-tools
    "zstd": ["zstd", "-c", "-q"],
}
FORMS = sorted(TOOLS)

# A machine of 32 MiB of RAM: the bound a small bomb crosses quickly.
SMALL_MEMMAP = (b"arch x86_64\n0x0 0x9fbff System RAM\n"
                b"0x100000 0x1ffffff System RAM\n")


def squeeze(form, data, *extra):
    return subprocess.run(TOOLS[form] + list(extra), input=data,
                          capture_output=True, check=True).stdout


def name(form):
    """The format's name in the plan and in messages."""
    return form.split("-")[0]


def segment(p, what):
    return next(s for s in p["segments"] if s["what"].startswith(what))


def one_line(r):
    assert r.rc != 0
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.error_line()


@pytest.mark.parametrize("form", FORMS)
def test_compressed_multiboot_kernel_and_module_are_decompressed(
        form, plan, write):
    kernel = payloads.multiboot1_elf()
    module = b"a module, compressed by its user\n" * 100
    plain = plan("-l", write("k.elf", kernel),
                 "--module=" + write("m.txt", module) + " arg")
    packed_kernel = squeeze(form, kernel)
    packed = plan("-l", write("k.packed", packed_kernel),
                  "--module=" + write("m.packed", squeeze(form, module)) +
                  " arg")
    assert packed["type"] == "multiboot" and packed["type_detected"]
    assert packed["payload_entry"] == plain["payload_entry"]
    mod = segment(packed, "module")
    assert mod["bufsz"] == len(module)
    assert packed["_result"].segment_bytes(mod["index"]) == module
    # --dry-run names what it took off, and how big it was either side.
    layers = {u["input"]: u for u in packed["unwrapped"]}
    assert layers["payload"]["format"] == name(form)
    assert layers["payload"]["file"].endswith("k.packed")
    assert layers["payload"]["size"] == len(packed_kernel)
    assert layers["payload"]["unwrapped_size"] == len(kernel)
    assert layers["module"]["unwrapped_size"] == len(module)
    assert plain["unwrapped"] == []


@pytest.mark.parametrize("form", FORMS)
def test_the_text_plan_says_what_was_decompressed(form, run, write):
    kernel = payloads.multiboot1_elf()
    packed = squeeze(form, kernel)
    r = run("--dry-run", "-l", write("k.packed", packed))
    assert r.rc == 0, r.stderr
    assert (f"unwrapped: payload {write('k.packed', packed)}: {name(form)}, "
            f"{len(packed):#x} bytes to {len(kernel):#x}: decompressed"
            in r.stdout)


@pytest.mark.parametrize("form", FORMS)
def test_compressed_initrd_is_left_for_the_kernel(form, plan, write):
    from test_linux_raw_elf import bzimage
    initrd = squeeze(form, b"070701" + b"0" * 200)
    p = plan("-l", write("bz", bzimage()[0]),
             "--initrd=" + write("initrd.packed", initrd))
    rd = segment(p, "initrd")
    assert p["_result"].segment_bytes(rd["index"]) == initrd
    (layer,) = [u for u in p["unwrapped"] if u["input"] == "initrd"]
    assert layer["format"] == name(form)
    assert layer["unwrapped_size"] == 0
    assert layer["note"] == "left compressed: the kernel unpacks it"


@pytest.mark.parametrize("form", FORMS)
def test_truncated_payload_is_refused_in_one_line(form, run, write):
    packed = squeeze(form, payloads.multiboot1_elf())
    cut = write("cut.packed", packed[:len(packed) // 2])
    line = one_line(run("--dry-run", "-l", cut))
    assert (f"payload {cut}: truncated {name(form)} data: the file ends at "
            f"{len(packed) // 2:#x}, inside the compressed stream" in line)


def corrupt(form, packed):
    """Bytes the format's decoder must refuse.  lz4's legacy format has
    no checksum, so its block size is what breaks; the others are hit in
    the middle of the compressed data (xz, lz4 frames and zstd carry a
    checksum by default; gzip and lzma break in the stream itself)."""
    bad = bytearray(packed)
    at = 4 if form == "lz4-legacy" else len(bad) // 2
    bad[at:at + 8] = b"\xff" * 8
    return bytes(bad)


@pytest.mark.parametrize("form", FORMS)
def test_corrupt_payload_is_refused_in_one_line(form, run, write):
    bad = write("bad.packed",
                corrupt(form, squeeze(form, payloads.multiboot1_elf())))
    line = one_line(run("--dry-run", "-l", bad))
    assert f"payload {bad}: corrupt {name(form)} data at or before 0x" in line


@pytest.mark.parametrize("form", FORMS)
def test_corrupt_module_is_refused_in_one_line(form, run, write):
    module = b"".join(b"module line %d\n" % i for i in range(1000))
    bad = write("m.packed", corrupt(form, squeeze(form, module)))
    line = one_line(run("--dry-run", "--type=multiboot", "-l",
                        write("k.elf", payloads.multiboot1_elf()),
                        "--module", bad))
    assert f"module {bad}: corrupt {name(form)} data at or before 0x" in line


@pytest.mark.parametrize("form", FORMS)
def test_payload_larger_than_ram_is_refused(form, run, write):
    # 40 MiB of zeros, on a machine of 32 MiB: counted, refused, never
    # allocated.
    bomb = write("bomb.packed", squeeze(form, bytes(40 << 20), "-1"))
    small = write("small.memmap", SMALL_MEMMAP)
    line = one_line(run("--dry-run", "-l", bomb, memmap=small))
    assert (f"payload {bomb}: {name(form)} data decompresses to more than "
            f"the 0x1f9fc00 bytes of RAM in {small} (0x1f9fc00 bytes)"
            in line)


@pytest.mark.parametrize("form", FORMS)
def test_the_size_the_kernels_build_appends_is_accepted(form, plan, write):
    # scripts/Makefile.lib's size_append: the decompressed size, 4 bytes
    # little-endian, after the stream (vmlinux.bin.*, the zboot payload).
    kernel = payloads.multiboot1_elf()
    packed = squeeze(form, kernel) + len(kernel).to_bytes(4, "little")
    p = plan("-l", write("k.packed", packed))
    assert p["unwrapped"][0]["unwrapped_size"] == len(kernel)


@pytest.mark.parametrize("form", sorted(set(FORMS) - {"lz4-legacy"}))
def test_trailing_bytes_are_refused(form, run, write):
    packed = squeeze(form, payloads.multiboot1_elf())
    k = write("k.packed", packed + b"garbage")
    line = one_line(run("--dry-run", "-l", k))
    assert (f"payload {k}: 0x7 bytes of trailing data after the "
            f"{name(form)} data ends at {len(packed):#x}" in line)


def test_lz4_legacy_trailing_bytes_read_as_a_block_are_refused(run, write):
    # The legacy format has no end mark: what follows the last block is
    # read as the next block's size, as the kernel's unlz4 reads it.
    packed = squeeze("lz4-legacy", payloads.multiboot1_elf())
    k = write("k.lz4", packed + b"garbage!")
    line = one_line(run("--dry-run", "-l", k))
    assert f"payload {k}: corrupt lz4 data at or before 0x" in line


@pytest.mark.parametrize("form", sorted(set(FORMS) - {"lzma"}))
def test_streams_one_after_another_are_one_file(form, plan, write):
    # As the format's own tool reads them (gzip members, xz streams, lz4
    # and zstd frames); the legacy .lzma format has one stream.
    elf = payloads.multiboot1_elf()
    packed = squeeze(form, elf[:100]) + squeeze(form, elf[100:])
    p = plan("-l", write("k.packed", packed))
    assert p["unwrapped"][0]["unwrapped_size"] == len(elf)


@pytest.mark.parametrize("tool, form, run_first", [
    (["bzip2", "-c"], "bzip2", "bunzip2"),
])
def test_formats_not_decompressed_say_what_to_run(tool, form, run_first,
                                                  run, write):
    packed = subprocess.run(tool, input=payloads.multiboot1_elf(),
                            capture_output=True, check=True).stdout
    k = write("k.packed", packed)
    line = one_line(run("--dry-run", "-l", k))
    assert (f"payload {k}: {form} data, which purgkit-load does not "
            f"decompress: run {run_first} on it first" in line)


def test_gzip_written_by_python_is_the_same_as_gzips(plan, write):
    kernel = payloads.multiboot1_elf()
    p = plan("-l", write("k.gz", gzip.compress(kernel)))
    assert p["unwrapped"][0]["format"] == "gzip"
