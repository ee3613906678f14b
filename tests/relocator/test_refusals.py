# SPDX-License-Identifier: MIT
"""Every refusal: a crafted object, the one line the user sees, a
non-zero exit, and no output file."""

import json
import os
import signal
import struct
import subprocess
import time

import pytest

import reloclib as R

MINI = """
	.text
	.p2align 4
	.globl pk_entry, helper, message
pk_entry:
	call	helper
	leaq	message(%rip), %rax
	movq	$message, %rbx
	ret
helper:
	ret
	.data
message:
	.quad	helper
"""


def assemble(tmp_path, text, name="t", target="x86_64", flags=()):
    src = tmp_path / (name + ".s")
    src.write_text(text)
    obj = tmp_path / (name + ".o")
    R.check([R.CROSS[target] + "gcc"] + list(flags) +
            ["-c", "-o", obj, src])
    ro = tmp_path / (name + ".ro")
    R.check([R.CROSS[target] + "ld", "-r", "-o", ro, obj])
    return ro


def refuse(tmp_path, ro, *args):
    """Run purgkit-link expecting a refusal; return its one line."""
    out = tmp_path / "out.bin"
    p = R.link(list(args) + ["-o", out, ro])
    assert p.returncode != 0
    assert not out.exists(), "output left behind"
    assert not list(tmp_path.glob("out.bin.tmp*")), "temporary left behind"
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("purgkit-link: "), lines[0]
    assert "ERROR: AddressSanitizer" not in p.stderr
    assert "runtime error" not in p.stderr
    return lines[0]


def mutate(tmp_path, ro, fn, name="bad.ro"):
    data = bytearray(ro.read_bytes())
    fn(data)
    bad = tmp_path / name
    bad.write_bytes(bytes(data))
    return bad


def good(tmp_path):
    return assemble(tmp_path, MINI)


def test_good_object_links(tmp_path):
    ro = good(tmp_path)
    p = R.link(["--base", "0x100000", "-o", tmp_path / "ok.bin", ro])
    assert p.returncode == 0 and p.stderr == ""


@pytest.mark.parametrize("cut", [0, 3, 20, 63, 200])
def test_truncated_file(tmp_path, cut):
    ro = good(tmp_path)
    bad = mutate(tmp_path, ro, lambda d: d.__delitem__(slice(cut, None)))
    line = refuse(tmp_path, bad)
    assert "bad.ro" in line
    assert any(w in line for w in ("truncated", "not an ELF",
                                   "outside the file")), line


def test_truncated_section_contents(tmp_path):
    ro = good(tmp_path)
    elf = R.Elf(ro)
    text = elf.section(".text")
    # Keep the headers (moved to the front) but cut .text short: simplest
    # is to point .text past the end of the file.
    def move(d):
        at = elf.shoff + elf.sections.index(text) * elf.shentsize + 24
        struct.pack_into("<Q", d, at, len(d) - 2)
    line = refuse(tmp_path, mutate(tmp_path, ro, move))
    assert "section 1 (.text) lies outside the file" in line


def test_section_offset_outside_file(tmp_path):
    ro = good(tmp_path)
    elf = R.Elf(ro)
    idx = [i for i, s in enumerate(elf.sections) if s["name"] == ".data"][0]

    def far(d):
        struct.pack_into("<Q", d, elf.shoff + idx * elf.shentsize + 24,
                         0x7fffffff00)
    line = refuse(tmp_path, mutate(tmp_path, ro, far))
    assert "(.data) lies outside the file (offset 0x7fffffff00" in line


def rela_entry(elf, section_name, k=0):
    """File offset of relocation k applying to section_name."""
    idx = [i for i, s in enumerate(elf.sections)
           if s["name"] == section_name][0]
    rel = [s for s in elf.sections if s["type"] == 4 and s["info"] == idx][0]
    return rel["offset"] + 24 * k


def test_relocation_offset_outside_section(tmp_path):
    ro = good(tmp_path)
    at = rela_entry(R.Elf(ro), ".text")
    bad = mutate(tmp_path, ro, lambda d: struct.pack_into("<Q", d, at,
                                                          0x10000))
    line = refuse(tmp_path, bad)
    assert "at .text+0x10000 lies outside its section" in line
    assert "R_X86_64_PLT32 against 'helper'" in line


def test_symbol_index_out_of_range(tmp_path):
    ro = good(tmp_path)
    at = rela_entry(R.Elf(ro), ".text")

    def sym(d):
        rtype = struct.unpack_from("<Q", d, at + 8)[0] & 0xffffffff
        struct.pack_into("<Q", d, at + 8, (99999 << 32) | rtype)
    line = refuse(tmp_path, mutate(tmp_path, ro, sym))
    assert "symbol index 99999 out of range" in line
    assert ".text+0x1" in line


def test_unknown_relocation_type(tmp_path):
    ro = good(tmp_path)
    at = rela_entry(R.Elf(ro), ".text")

    def typ(d):
        info = struct.unpack_from("<Q", d, at + 8)[0]
        struct.pack_into("<Q", d, at + 8, (info & ~0xffffffff) | 200)
    line = refuse(tmp_path, mutate(tmp_path, ro, typ))
    assert line.endswith("unsupported relocation type 200 at .text+0x1 "
                         "(against 'helper')")


def test_undefined_symbols_all_listed(tmp_path):
    ro = assemble(tmp_path, """
	.text
	.globl pk_entry
pk_entry:
	call	missing_one
	call	missing_two
	leaq	missing_three(%rip), %rax
	call	missing_one
	ret
""")
    line = refuse(tmp_path, ro)
    assert line.endswith("undefined symbols: missing_one, missing_two, "
                         "missing_three")


def test_overflow_names_type_symbol_section_offset(tmp_path):
    ro = good(tmp_path)
    line = refuse(tmp_path, ro, "--base", "0x100000000")
    assert line.endswith("R_X86_64_32S against 'message' at .text+0xf: "
                         "value 0x100000015 overflows its 32-bit signed "
                         "field")


@pytest.mark.parametrize("target", ["ppc64le", "ppc64"])
def test_ppc64_overflow_and_alignment(tmp_path, target):
    if not R.have(target):
        pytest.skip("no cross compiler")
    ro = assemble(tmp_path, """
	.text
	.globl pk_entry
pk_entry:
	addis	3, 0, data@h
	blr
	.data
	.p2align 3
data:	.quad 1
""", "hi", target)
    line = refuse(tmp_path, ro, "--base", "0x200000000")
    assert "R_PPC64_ADDR16_HI against '.data' at .text+0x" in line
    assert "overflows its 16-bit signed field" in line
    ro = assemble(tmp_path, """
	.text
	.globl pk_entry
pk_entry:
	ld	3, data+2@l(4)
	blr
	.data
	.p2align 3
data:	.quad 1
""", "ds", target)
    line = refuse(tmp_path, ro, "--base", "0x100000")
    assert "R_PPC64_ADDR16_LO_DS against '.data'" in line
    assert "is not a multiple of 4, as its field requires" in line


AARCH64_TARGETS = [t for t in R.ALL_TARGETS if R.ARCH[t] == "aarch64"]

# Each: the assembly, the base, and the end of the one line refusing it.
AARCH64_REFUSALS = {
    "call out of reach": ("""
	.text
	.globl pk_entry
pk_entry:
	bl	far
	.bss
	.space	0x8000000
far:	.space	4
""", 0x100000, "R_AARCH64_CALL26 against '.bss' at .text+0x0: value "
        "0x8000004 overflows its 28-bit signed field"),
    "adr out of reach": ("""
	.text
	.globl pk_entry
pk_entry:
	adr	x0, far
	.bss
	.space	0x100000
far:	.space	4
""", 0x100000, "R_AARCH64_ADR_PREL_LO21 against '.bss' at .text+0x0: "
        "value 0x100004 overflows its 21-bit signed field"),
    "movw above its group": ("""
	.text
	.globl pk_entry
pk_entry:
	movz	x0, #:abs_g0:data
	.data
data:	.quad	0
""", 0x100000, "R_AARCH64_MOVW_UABS_G0 against '.data' at .text+0x0: "
        "value 0x100004 overflows its 16-bit unsigned field"),
    "misaligned scaled load": ("""
	.text
	.globl pk_entry
pk_entry:
	ldr	x1, [x0, :lo12:data + 4]
	.data
	.p2align 3
data:	.quad	0, 0
""", 0x100000, "R_AARCH64_LDST64_ABS_LO12_NC against '.data' at "
        ".text+0x0: value 0xc is not a multiple of 8, as the load or "
        "store's scaled offset needs"),
    "GOT load with an addend": ("""
	.text
	.globl pk_entry
pk_entry:
	adrp	x0, :got:label
	ret
	.data
	.quad	0
label:	.quad	0
""", 0x100000, "R_AARCH64_ADR_GOT_PAGE against '.data' at .text+0x0: a "
        "GOT load with an addend (GNU ld drops it and loads another "
        "address; load a global symbol)"),
    "thread-local": ("""
	.text
	.globl pk_entry
pk_entry:
	add	x0, x0, #:tprel_hi12:tls_thing
	ret
	.section .tbss, "awT", %nobits
tls_thing:	.space 8
""", 0x100000, "R_AARCH64_TLSLE_ADD_TPREL_HI12 against 'tls_thing' at "
        ".text+0x0: not supported by the relocator (thread-local, "
        "dynamic, GOT-relative and PLT32 relocations are refused)"),
    "PC-relative undefined weak": ("""
	.text
	.globl pk_entry
pk_entry:
	adrp	x0, missing
	ret
	.weak	missing
""", 0x100000, "R_AARCH64_ADR_PREL_PG_HI21 against 'missing' at .text+0x0: "
        "a PC-relative reference to an undefined weak symbol (it is 0; "
        "take its address through the GOT)"),
}


@pytest.mark.parametrize("target", AARCH64_TARGETS)
@pytest.mark.parametrize("case", sorted(AARCH64_REFUSALS))
def test_aarch64_refusals_name_the_relocation(tmp_path, target, case):
    """Every overflow, misalignment and relocation the aarch64 backend
    cannot do is one line naming the type, symbol and place."""
    if not R.have(target):
        pytest.skip("no cross compiler")
    text, base, end = AARCH64_REFUSALS[case]
    ro = assemble(tmp_path, text, "a64", target)
    line = refuse(tmp_path, ro, "--base", hex(base))
    assert line.endswith(end), line


def test_patch_symbol_outside_the_image(tmp_path):
    """A symbol in a non-allocated section has no bytes in the image."""
    ro = assemble(tmp_path, """
	.text
	.globl pk_entry
pk_entry:
	ret
	.section .notes.x, "", @progbits
	.space 0x10000
	.globl far
far:	.quad 0
	.size far, 8
""", "na")
    line = refuse(tmp_path, ro, "--set", "far=1")
    assert line.endswith("cannot patch 'far': its section .notes.x is not "
                         "allocated, so not in the image")


def test_set_on_a_symbol_outside_pk_patch_is_refused_by_name(tmp_path):
    """Only PK_PATCHABLE objects (.pk.patch) may be patched: a value in
    .data may have been folded into the code, so a patch would do
    nothing."""
    ro = assemble(tmp_path, """
	.text
	.globl pk_entry
pk_entry:
	ret
	.data
	.globl pk_constant
pk_constant:	.quad 7
	.size pk_constant, 8
""", "data")
    line = refuse(tmp_path, ro, "--set", "pk_constant=1")
    assert line.endswith("cannot patch 'pk_constant': it is in section "
                         ".data, not in .pk.patch (define it with "
                         "PK_PATCHABLE)")


@pytest.mark.parametrize("machine,what", [(40, "machine 40 (arm)"),
                                          (22, "machine 22 (s390)"),
                                          (4242, "machine 4242")])
def test_unsupported_machine(tmp_path, machine, what):
    """A machine without a row in the relocator's machine table is named,
    with the machines the build does support: a row for every target,
    named as the target (build/targets.json)."""
    with open(R.BUILD / "targets.json") as f:
        targets = json.load(f)["all"]
    ro = good(tmp_path)
    bad = mutate(tmp_path, ro,
                 lambda d: struct.pack_into("<H", d, 18, machine))
    line = refuse(tmp_path, bad)
    head = "%s is not supported by this build (supported: " % what
    assert head in line and line.endswith(")")
    supported = line[line.index(head) + len(head):-1].split(", ")
    assert sorted(supported) == sorted(targets)


def test_unsupported_class(tmp_path):
    ro = good(tmp_path)
    bad = mutate(tmp_path, ro, lambda d: d.__setitem__(4, 1))
    line = refuse(tmp_path, bad)
    assert "ELF class 1 is not supported" in line


def test_not_relocatable(tmp_path):
    ro = good(tmp_path)
    exe = tmp_path / "t.elf"
    R.check(["ld", "-o", exe, "-e", "pk_entry", ro])
    line = refuse(tmp_path, exe)
    assert "is not ET_REL" in line


def test_not_elf(tmp_path):
    bad = tmp_path / "text.ro"
    bad.write_text("this is not an object file\n" * 4)
    line = refuse(tmp_path, bad)
    assert "%s: not an ELF file" % bad in line


def test_common_symbol(tmp_path):
    src = tmp_path / "c.c"
    src.write_text("int tentative;\nint pk_entry(void) "
                   "{ return tentative; }\n")
    obj = tmp_path / "c.o"
    R.check(["gcc", "-fcommon", "-O2", "-c", "-o", obj, src])
    ro = tmp_path / "c.ro"
    R.check(["ld", "-r", "-o", ro, obj])
    line = refuse(tmp_path, ro)
    assert line.endswith("COMMON symbol 'tentative' has no section "
                         "(build with -fno-common)")


def test_missing_file(tmp_path):
    line = refuse(tmp_path, tmp_path / "nothing.ro")
    assert line.endswith("nothing.ro: No such file or directory")


def test_unaligned_base(tmp_path):
    ro = good(tmp_path)
    line = refuse(tmp_path, ro, "--base", "0x100001")
    assert "base 0x100001 is not aligned to 0x" in line


def test_bad_arguments(tmp_path):
    ro = good(tmp_path)
    assert "--base: 'zz' is not a number" in refuse(tmp_path, ro,
                                                    "--base", "zz")
    assert "--format coff: expected bin or elf" in refuse(
        tmp_path, ro, "--format", "coff")


# ---- issue 10: hostile input, second round ---------------------------------
# Each refusal names the input, the field and the value; each output error
# exits non-zero; nothing blocks or is left behind.

def test_big_endian_x86_64_object_is_named_by_its_byte_order(tmp_path):
    bad = mutate(tmp_path, good(tmp_path), lambda d: d.__setitem__(5, 2))
    line = refuse(tmp_path, bad)
    assert "bad.ro: e_ident[EI_DATA] 2 says big-endian, but e_machine " \
           "(0x3e00) is x86_64 only read little-endian" in line


def test_wrong_elf_type_names_e_type(tmp_path):
    bad = mutate(tmp_path, good(tmp_path),
                 lambda d: struct.pack_into("<H", d, 16, 2))
    assert "e_type 2 is not ET_REL (1)" in refuse(tmp_path, bad)


def test_section_headers_outside_the_file_say_so(tmp_path):
    ro = good(tmp_path)
    bad = mutate(tmp_path, ro,
                 lambda d: struct.pack_into("<Q", d, 40, len(d) + 0x1000))
    line = refuse(tmp_path, bad)
    assert "section headers (e_shoff 0x%x, e_shnum" % (
        ro.stat().st_size + 0x1000) in line
    assert "lie outside the 0x%x-byte file" % ro.stat().st_size in line


def test_misaligned_section_headers_say_so(tmp_path):
    ro = good(tmp_path)
    shoff = R.Elf(ro).shoff

    def shift(d):
        d[shoff + 4:shoff + 4] = b"\0\0\0\0"
        struct.pack_into("<Q", d, 40, shoff + 4)
    line = refuse(tmp_path, mutate(tmp_path, ro, shift))
    assert "e_shoff 0x%x is not a multiple of 8" % (shoff + 4) in line


def test_shstrndx_outside_the_sections_says_so(tmp_path):
    bad = mutate(tmp_path, good(tmp_path),
                 lambda d: struct.pack_into("<H", d, 62, 200))
    line = refuse(tmp_path, bad)
    assert "e_shstrndx" in line


def test_output_that_is_the_input_is_refused(tmp_path):
    ro = good(tmp_path)
    before = ro.read_bytes()
    alias = tmp_path / "alias.ro"
    os.link(ro, alias)
    for out in (ro, alias):
        p = R.link(["-o", out, ro])
        assert p.returncode != 0
        assert p.stderr.strip() == (f"purgkit-link: -o {out}: is the input "
                                    f"file {ro}; write the output "
                                    "elsewhere")
    assert ro.read_bytes() == before


def test_output_in_proc_names_the_file(tmp_path):
    p = R.link(["-o", "/proc/version", good(tmp_path)])
    assert p.returncode != 0
    line, = p.stderr.splitlines()
    assert line.startswith("purgkit-link: -o /proc/version: cannot create "
                           "a temporary file beside it: "), line


@pytest.mark.parametrize("args", [["--map"], ["--help"], ["--version"]])
def test_stdout_to_a_full_disk_exits_non_zero(tmp_path, args):
    with open("/dev/full", "w") as full:
        p = subprocess.run([R.LINK] + args + ([str(good(tmp_path))]
                                              if args == ["--map"] else []),
                           stdout=full, stderr=subprocess.PIPE, text=True,
                           timeout=60)
    assert p.returncode != 0
    assert "No space left on device" in p.stderr


@pytest.mark.parametrize("fmt", ["bin", "elf"])
def test_output_to_a_full_disk_names_the_cause(tmp_path, fmt):
    p = R.link(["--format", fmt, "-o", "/dev/full", good(tmp_path)])
    assert p.returncode != 0
    line, = p.stderr.splitlines()
    assert line == ("purgkit-link: -o /dev/full: write failed: No space "
                    "left on device"), line


HUGE_BSS = """
	.text
	.globl pk_entry
pk_entry:
	ret
	.bss
	.globl big
big:
	.skip 0x3ff00000
"""


@pytest.mark.parametrize("fmt", ["bin", "elf"])
def test_gigabyte_bss_is_written_promptly_as_a_hole(tmp_path, fmt):
    ro = assemble(tmp_path, HUGE_BSS, name="huge")
    out = tmp_path / ("huge." + fmt)
    start = time.monotonic()
    p = R.link(["--format", fmt, "-o", out, ro])
    elapsed = time.monotonic() - start
    assert p.returncode == 0, p.stderr
    assert elapsed < 5, f"{elapsed:.1f} s"
    st = out.stat()
    if fmt == "bin":
        assert st.st_size > 0x3ff00000
    # Neither form spends a gigabyte of disk on zeros.
    assert st.st_blocks * 512 < 16 << 20


BIG_DATA = """
	.text
	.globl pk_entry
pk_entry:
	ret
	.data
	.fill 0x6000000, 1, 0x5a
"""


def test_sigterm_while_writing_leaves_no_temporary(tmp_path):
    ro = assemble(tmp_path, BIG_DATA, name="bigdata")
    out = tmp_path / "out.bin"
    for attempt in range(5):
        p = subprocess.Popen([R.LINK, "-o", str(out), str(ro)],
                             stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        seen = False
        while p.poll() is None and time.monotonic() < deadline:
            if list(tmp_path.glob("out.bin.tmp*")):
                seen = True
                p.send_signal(signal.SIGTERM)
                break
            time.sleep(0.0005)
        p.wait(timeout=30)
        p.stderr.close()
        if seen and p.returncode == -signal.SIGTERM:
            break
        if out.exists():
            out.unlink()
    else:
        pytest.fail("never caught purgkit-link while it wrote")
    assert not list(tmp_path.glob("out.bin.tmp*")), "temporary left behind"
    assert not out.exists()


def test_elf_output_with_65281_sections_uses_extended_numbering(tmp_path):
    """Past SHN_LORESERVE sections, e_shnum and e_shstrndx move to section
    0 (gABI); readelf must read the output without a complaint."""
    count = 0xfef8  # the input then has 0xff00 sections itself
    text = ["\t.text", "\t.globl pk_entry", "pk_entry:",
            "\tmovq foo@GOTPCREL(%rip), %rax",
            "\tleaq _GLOBAL_OFFSET_TABLE_(%rip), %rbx", "\tret",
            "\t.data", "\t.globl foo", "foo: .quad 0"]
    text += ['\t.section .r%d,"a"\n\t.byte 1' % i for i in range(count)]
    ro = assemble(tmp_path, "\n".join(text) + "\n", name="many")
    out = tmp_path / "many.elf"
    p = R.link(["--format", "elf", "-o", out, ro])
    assert p.returncode == 0, p.stderr
    data = out.read_bytes()
    shoff, = struct.unpack_from("<Q", data, 40)
    shnum, shstrndx = struct.unpack_from("<HH", data, 60)
    size0, = struct.unpack_from("<Q", data, shoff + 32)
    link0, = struct.unpack_from("<I", data, shoff + 40)
    assert shnum == 0 and size0 > 0xff00
    assert shstrndx == 0xffff and link0 == size0 - 1
    r = subprocess.run(["readelf", "-a", "-W", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0
    assert "Warning" not in r.stderr and "Error" not in r.stderr, r.stderr
    assert " .shstrtab " in r.stdout


def test_set_from_dev_zero_reads_only_the_symbols_size(tmp_path):
    from test_link_cli import patch_ro, placed, at
    ro = patch_ro(tmp_path)
    start = time.monotonic()
    image, syms, _, _, _ = placed(tmp_path, ro, "--set", "pk_u64=@/dev/zero")
    assert time.monotonic() - start < 10
    assert at(image, syms, "pk_u64") == b"\0" * 8


def test_set_from_a_fifo_is_refused_without_blocking(tmp_path):
    from test_link_cli import patch_ro
    ro = patch_ro(tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    p = subprocess.run([R.LINK, "--set", f"pk_u64=@{fifo}", "-o",
                        tmp_path / "out.bin", ro], capture_output=True,
                       text=True, timeout=10)
    assert p.returncode == 1
    line, = p.stderr.splitlines()
    assert line.endswith(f"--set pk_u64: file {fifo}: is a FIFO or pipe, "
                         "not a regular file or a character device"), line


def test_set_integer_outside_the_grammar_says_why(tmp_path):
    from test_link_cli import patch_ro
    line = refuse(tmp_path, patch_ro(tmp_path), "--set", "pk_u8=010")
    assert line.endswith("--set pk_u8: integer '010' has a leading zero "
                         "(octal or decimal?): write it in decimal without "
                         "it, or in hex with 0x"), line


def test_unknown_option_is_one_line_naming_it(tmp_path):
    p = R.link(["--bogus", good(tmp_path)])
    assert p.returncode == 1
    assert p.stderr.splitlines() == [
        "purgkit-link: unknown option '--bogus' (try --help)"]


RISCV = ["-march=rv64imac_zicsr", "-mabi=lp64"]


def riscv64_or_skip():
    if "riscv64" not in R.ALL_TARGETS:
        pytest.fail("riscv64 is not a target of this build "
                    "(build/targets.json)")
    if not R.have("riscv64"):
        pytest.skip("no riscv64-linux-gnu-gcc")


def test_riscv64_alignment_that_needs_relaxation_is_refused(tmp_path):
    """An -mrelax alignment whose padding only linker relaxation would
    shorten: one line naming it and what to do."""
    riscv64_or_skip()
    ro = assemble(tmp_path, """
	.option relax
	.text
	.globl pk_entry
pk_entry:
	lui	a0, 0x12345
	.p2align 3
	ret
""", "align", "riscv64", RISCV)
    line = refuse(tmp_path, ro)
    assert "R_RISCV_ALIGN against" in line and "at .text+0x4: " in line
    assert line.endswith("6 bytes of alignment padding of which 4 are "
                         "needed at 0x4: only linker relaxation deletes "
                         "the rest, which the relocator does not do "
                         "(build with -mno-relax)")


def test_riscv64_exact_alignment_padding_is_kept(tmp_path):
    riscv64_or_skip()
    ro = assemble(tmp_path, """
	.option relax
	.text
	.globl pk_entry
pk_entry:
	c.nop
	.p2align 3
	ret
""", "exact", "riscv64", RISCV)
    out = tmp_path / "exact.bin"
    p = R.link(["-o", out, ro])
    assert p.returncode == 0, p.stderr
    # c.nop, then the assembler's 6 bytes of NOPs, then ret at 8.
    assert out.read_bytes()[8:10] == bytes.fromhex("8280")


@pytest.mark.parametrize("asm,base,end", [
    ("lui a0, %hi(data)", "0x100000000",
     "R_RISCV_HI20 against 'data' at .text+0x0: value 0x100000010 is out "
     "of the +-2 GiB reach of its 32-bit %hi/%lo pair"),
    ("jal far", "0x0",
     "R_RISCV_JAL against 'far' at .text+0x0: value 0x10000000 overflows "
     "its 21-bit signed field"),
    ("lui a0, %tprel_hi(tlsvar)\n"
     "\t.section .tbss, \"awT\", @nobits\n"
     "\t.type tlsvar, @tls_object\n"
     "tlsvar:\t.zero 8\n"
     "\t.text", "0x0",
     "R_RISCV_TPREL_HI20 against 'tlsvar' at .text+0x0: thread-local "
     "storage: a trampoline has no thread pointer"),
    ("addi a0, a0, %pcrel_lo(pk_entry)", "0x0",
     "R_RISCV_PCREL_LO12_I against 'pk_entry' at .text+0x0: no "
     "R_RISCV_PCREL_HI20 or R_RISCV_GOT_HI20 at the label it names"),
])
def test_riscv64_refusals_name_type_symbol_and_why(tmp_path, asm, base, end):
    riscv64_or_skip()
    ro = assemble(tmp_path, """
	.option norelax
	.text
	.globl pk_entry
pk_entry:
	%s
	ret
	.globl far
	.set far, 0x10000000
	.data
	.p2align 4
data:	.quad 1
""" % asm, "refused", "riscv64", RISCV)
    line = refuse(tmp_path, ro, "--base", base)
    assert line.endswith(end), line


def retype(tmp_path, ro, section, types):
    """Rewrite the types of section's relocations, in order, to types
    (None keeps one): for relocations the assembler cannot write."""
    elf = R.Elf(ro)
    idx = [i for i, s in enumerate(elf.sections) if s["name"] == section][0]
    rela = [s for s in elf.sections if s["type"] == 4 and s["info"] == idx][0]

    def fix(d):
        for k, t in enumerate(types):
            if t is None:
                continue
            at = rela["offset"] + 24 * k + 8
            info = struct.unpack_from("<Q", d, at)[0]
            struct.pack_into("<Q", d, at, (info & ~0xffffffff) | t)
    return mutate(tmp_path, ro, fix, "retyped.ro")


SET_ULEB128, SUB_ULEB128 = 60, 61
ULEB_SRC = """
	.option norelax
	.text
	.globl pk_entry
pk_entry:
	.zero	0x%x
end:
	ret
	.data
	.globl length
length:	.byte 0x80, 0x00
	.reloc length, R_RISCV_SET8, end
	.reloc length, R_RISCV_SUB8, pk_entry
"""


@pytest.mark.parametrize("distance,written", [
    (0x10, bytes.fromhex("9000")),
    (0x3fff, bytes.fromhex("ff7f")),
])
def test_riscv64_uleb128_pair_keeps_its_length(tmp_path, distance, written):
    """SET_ULEB128 + SUB_ULEB128 (which binutils 2.40 cannot write):
    end - pk_entry, into the two bytes the assembler reserved."""
    riscv64_or_skip()
    ro = assemble(tmp_path, ULEB_SRC % distance, "uleb", "riscv64", RISCV)
    ro = retype(tmp_path, ro, ".data", [SET_ULEB128, SUB_ULEB128])
    out = tmp_path / "uleb.bin"
    p = R.link(["--map", "-o", out, ro])
    assert p.returncode == 0, p.stderr
    secs, _, _ = R.parse_map(p.stdout)
    data = [s for s in secs if s["name"] == ".data"][0]
    assert out.read_bytes()[data["addr"]:data["addr"] + 2] == written


def test_riscv64_uleb128_that_does_not_fit_is_refused(tmp_path):
    riscv64_or_skip()
    ro = assemble(tmp_path, ULEB_SRC % 0x4000, "uleb", "riscv64", RISCV)
    ro = retype(tmp_path, ro, ".data", [SET_ULEB128, SUB_ULEB128])
    line = refuse(tmp_path, ro)
    assert line.endswith("R_RISCV_SET_ULEB128 against 'end' at .data+0x0: "
                         "value 0x4000 overflows its 14-bit unsigned field")


def test_riscv64_uleb128_half_alone_is_refused(tmp_path):
    riscv64_or_skip()
    ro = assemble(tmp_path, ULEB_SRC % 0x10, "uleb", "riscv64", RISCV)
    ro = retype(tmp_path, ro, ".data", [None, SUB_ULEB128])
    line = refuse(tmp_path, ro)
    assert line.endswith("R_RISCV_SUB_ULEB128 against 'pk_entry' at "
                         ".data+0x0: not preceded by the R_RISCV_SET_ULEB128 "
                         "at the same offset it completes")
