# SPDX-License-Identifier: MIT
"""Compressed payloads, as GRUB and kexec-tools take them: a gzip payload
or Multiboot module is inflated before anything reads it (Debian ships Xen
as /boot/xen-*.gz); an initrd is left to the kernel.  What the user sees:
the same plan as for the plain file, or one line saying what is wrong."""
import gzip

import payloads


def segment(p, what):
    return next(s for s in p["segments"] if s["what"].startswith(what))


def test_gzip_multiboot_kernel_and_module_are_inflated(plan, write):
    kernel = payloads.multiboot1_elf()
    module = b"a module, gzipped by its user\n" * 100
    plain = plan("-l", write("k.elf", kernel),
                 "--module=" + write("m.txt", module) + " arg")
    packed = plan("-l", write("k.elf.gz", gzip.compress(kernel)),
                  "--module=" + write("m.gz", gzip.compress(module)) + " arg")
    assert packed["type"] == "multiboot" and packed["type_detected"]
    assert packed["payload_entry"] == plain["payload_entry"]
    mod = segment(packed, "module")
    assert mod["bufsz"] == len(module)
    assert packed["_result"].segment_bytes(mod["index"]) == module


def test_gzip_initrd_is_left_for_the_kernel(plan, write):
    from test_linux_raw_elf import bzimage
    initrd = gzip.compress(b"070701" + b"0" * 200)
    p = plan("-l", write("bz", bzimage()[0]),
             "--initrd=" + write("initrd.gz", initrd))
    rd = segment(p, "initrd")
    assert p["_result"].segment_bytes(rd["index"]) == initrd


def test_truncated_gzip_payload_is_refused_in_one_line(run, write):
    packed = gzip.compress(payloads.multiboot1_elf())
    r = run("--dry-run", "-l", write("cut.gz", packed[:len(packed) // 2]))
    assert r.rc != 0
    assert "cut.gz: corrupt or truncated gzip data" in r.error_line()


def test_gzip_payload_larger_than_ram_is_refused(run, write):
    # 3 GiB of zeros squeeze into a few MiB; the recorded map has 1 GiB.
    bomb = write("bomb.gz", gzip.compress(bytes(64 << 20), 9) * 48)
    r = run("--dry-run", "-l", bomb)
    assert r.rc != 0
    assert "bomb.gz: gzip data inflates to more than" in r.error_line()
