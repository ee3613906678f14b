# SPDX-License-Identifier: MIT
"""The freestanding promise: outside the one vector module per arch
(SDK_VECTOR_SRCS_<family> in sdk/lib/<family>/arch.mk), libpurgkit.a
contains no vector or floating-point instruction, because those units may
be off at kexec entry and the payload must find them as the kernel left
them."""
import re
import shutil
import subprocess

import pytest

import build_targets
from sdk_support import BUILD, ROOT, TARGETS


def vector_modules(target):
    """The objects of target's family's vector module(s), as its
    sdk/lib/<family>/arch.mk lists them (SDK_VECTOR_SRCS_<family>)."""
    family = build_targets.arch(target)
    text = (ROOT / "sdk" / "lib" / family / "arch.mk").read_text()
    m = re.search(r"^SDK_VECTOR_SRCS_%s\s*:?=(.*)$" % re.escape(family),
                  text.replace("\\\n", " "), re.M)
    assert m, f"sdk/lib/{family}/arch.mk sets no SDK_VECTOR_SRCS_{family}"
    return {re.sub(r"\.[cS]$", ".o", src) for src in m.group(1).split()}


# x86: any SSE/AVX/MMX register, x87 stack register, or an x87/SSE-state
# mnemonic.  Register names are matched as operands (%xmm0), so integer
# code never matches.
X86_BAD_OPERAND = re.compile(r"%(?:[xyz]mm\d+|mm\d|st(?:\(\d\))?|k[0-7])\b")
X86_BAD_MNEMONIC = re.compile(
    r"^(?:f[a-z0-9]+|(?:fx|x)(?:save|rstor)\w*|ldmxcsr|stmxcsr|emms|"
    r"v[a-z0-9]+|sha\d+\w+|aes\w+|pclmul\w+|movnt[dqp]s?\w*)$")
# x86 integer mnemonics starting with f or v that are not FP/vector.
X86_OK = {"verr", "verw", "vmcall", "vmlaunch", "vmresume", "vmxoff",
          "vmxon", "vmread", "vmwrite", "vmptrld", "vmptrst", "vmclear",
          "vmfunc"}

# ppc: FP loads/stores and arithmetic, VMX and VSX, and moves to or
# from those register files.  Every FP/vector mnemonic starts with f, v,
# xs/xv/xx (VSX), lfd/lfs/stfd/stfs (FP memory), lv/stv (VMX memory),
# lxv/stxv/lxs/stxs (VSX memory), mtvsr/mfvsr, mffs/mtfsf, mtvscr/mfvscr,
# dcbz is fine.
PPC_BAD_MNEMONIC = re.compile(
    r"^(?:f[a-z0-9.]+|v[a-z0-9.]+|x[svx][a-z0-9.]+|"
    r"lf[sd][a-z]*|stf[sdi][a-z]*|lfiw[az]x|"
    r"lv[a-z0-9]+|stv[a-z0-9]+|lxv[a-z0-9]*|stxv[a-z0-9]*|"
    r"lxs[a-z0-9]+|stxs[a-z0-9]+|lxsi\w*|"
    r"m[tf]vsr[a-z0-9]+|m[tf]fs[a-z0-9.]*|m[tf]vscr|dss\w*|dst\w*)$")


# aarch64: an FP/SIMD register as an operand (v0.4s, q1, d2, s3, h4,
# b5; general registers are x, w, sp, xzr), or an FP, SIMD-structure or
# crypto mnemonic.  No integer mnemonic starts with f.
A64_BAD_OPERAND = re.compile(
    r"(?:^|[\s,\[{])[vqdshb]\d{1,2}(?:\.\w+)?(?=$|[\s,\[\]}])")
# A branch target, "b8 <f+0xb8>": an address, however much like b8 it looks.
A64_ADDRESS = re.compile(r"\b[0-9a-f]+ <[^>]*>")
A64_BAD_MNEMONIC = re.compile(
    r"^(?:f[a-z0-9]+|sha\d+\w*|aes\w+|pmull\d?|ld[1-4]r?|st[1-4]|"
    r"movi|mvni)$")
# riscv64: F/D/Q/Zfh instructions (every one starts with f, but the
# fences), V (v...), and the scalar crypto ones (Zkn/Zks), which only the
# Zknh module may use.
RISCV_BAD_MNEMONIC = re.compile(
    r"^(?!fence)(?:f[a-z0-9.]+|v[a-z0-9.]+|sha(?:256|512)\w+|aes\w+|"
    r"sm[34]\w+)$")


def jump_table_word(target, raw):
    """On ppc64, GCC puts switch jump tables in .text right after the
    bctr that uses them: 32-bit offsets, small and often negative, which
    objdump may decode as opcode-63 (FP/VSX) instructions.  A word after
    a bctr whose high half is 0x0000 or 0xffff is such an offset."""
    if len(raw) != 4:
        return False
    value = int.from_bytes(raw, build_targets.byteorder(target))
    return value >> 16 in (0, 0xffff)


def disassemble(target, lib):
    """(module, mnemonic, operands, line) for each instruction of lib,
    jump-table data left out."""
    objdump = build_targets.cross_compile(target) + "objdump"
    tool = shutil.which(objdump)
    if not tool:
        pytest.fail(f"{objdump} is not installed")
    text = subprocess.run([tool, "-d", str(lib)], check=True,
                          stdout=subprocess.PIPE, text=True).stdout
    module, after_bctr = None, False
    for line in text.splitlines():
        m = re.match(r"^(\S+\.o):\s+file format", line)
        if m:
            module, after_bctr = m.group(1), False
            continue
        # "  addr:\tbytes\tmnemonic operands"; a line without the third
        # field continues the bytes of a long x86 instruction.
        fields = line.split("\t")
        if not (module and len(fields) >= 3 and
                re.match(r"^\s*[0-9a-f]+:$", fields[0])):
            continue
        raw = bytes.fromhex(fields[1].replace(" ", ""))
        insn = "\t".join(fields[2:]).split(None, 1)
        if not insn:
            continue
        mnemonic, operands = insn[0], insn[1] if len(insn) > 1 else ""
        if after_bctr and jump_table_word(target, raw):
            continue
        after_bctr = mnemonic == "bctr"
        yield module, mnemonic, operands, line


def x86_offending(mnemonic, operands):
    mnemonic = mnemonic.split(".")[0]
    if mnemonic in X86_OK:
        return False
    return bool(X86_BAD_MNEMONIC.match(mnemonic) or
                X86_BAD_OPERAND.search(operands))


def ppc_offending(mnemonic, operands):
    return bool(PPC_BAD_MNEMONIC.match(mnemonic))


def riscv_offending(mnemonic, operands):
    return bool(RISCV_BAD_MNEMONIC.match(mnemonic))

def a64_offending(mnemonic, operands):
    return bool(A64_BAD_MNEMONIC.match(mnemonic) or
                A64_BAD_OPERAND.search(
                    A64_ADDRESS.sub("", operands.split("//")[0])))


# Per family: is this instruction vector or floating-point code?
FP_OR_VECTOR = {
    "x86_64": x86_offending,
    "ppc64": ppc_offending,
    "aarch64": a64_offending,
    "riscv64": riscv_offending,
}


def offending(target, mnemonic, operands):
    return build_targets.row(
        FP_OR_VECTOR, "tests/sdk/test_sdk_freestanding.py FP_OR_VECTOR",
        build_targets.arch(target))(mnemonic, operands)


@pytest.mark.parametrize("target", TARGETS)
def test_no_vector_or_fp_outside_vector_modules(target):
    lib = BUILD / target / "libpurgkit.a"
    if not lib.exists():
        pytest.fail(f"{lib} is missing: run `make`")
    vector = vector_modules(target)
    bad, seen_vector_module, modules = [], False, set()
    for module, mnemonic, operands, line in disassemble(target, lib):
        modules.add(module)
        if module in vector:
            seen_vector_module |= offending(target, mnemonic, operands)
            continue
        if offending(target, mnemonic, operands):
            bad.append(f"{module}: {line.strip()}")
    assert len(modules) > 10, f"too few objects in {lib}: {sorted(modules)}"
    assert not bad, "vector/FP instructions outside the vector module:\n" + \
        "\n".join(bad[:30])
    # The checker must see the accelerated module's instructions, or it
    # would pass vacuously (a family without a vector module has nothing
    # to see).
    assert seen_vector_module or not vector, \
        f"the vector module {sorted(vector)} has no vector code?"


@pytest.mark.parametrize("target,mnemonic,operands,want", [
    ("x86_64", "movaps", "%xmm0,(%rsp)", True),
    ("x86_64", "pxor", "%xmm1,%xmm1", True),
    ("x86_64", "fldz", "", True),
    ("x86_64", "vmovdqu", "(%rdi),%ymm0", True),
    ("x86_64", "movq", "%mm0,%rax", True),
    ("x86_64", "fxsave", "(%rsp)", True),
    ("x86_64", "mov", "%rax,%rbx", False),
    ("x86_64", "rep", "movsb %ds:(%rsi),%es:(%rdi)", False),
    ("x86_64", "xor", "%eax,%eax", False),
    ("x86_64", "movsbl", "(%rdi),%eax", False),
    ("x86_64", "verw", "(%rax)", False),
    ("ppc64le", "vshasigmaw", "v0,v1,0,0", True),
    ("ppc64le", "lxvd2x", "vs0,0,r3", True),
    ("ppc64le", "stfd", "f1,8(r1)", True),
    ("ppc64le", "xxlor", "vs0,vs1,vs1", True),
    ("ppc64le", "mtvsrd", "vs0,r3", True),
    ("ppc64le", "fmr", "f1,f2", True),
    ("ppc64le", "stvx", "v20,r1,r0", True),
    ("ppc64le", "ld", "r3,0(r4)", False),
    ("ppc64le", "xor", "r3,r4,r5", False),
    ("ppc64le", "xori", "r3,r4,1", False),
    ("ppc64le", "lwbrx", "r3,0,r4", False),
    ("ppc64le", "std", "r0,16(r1)", False),
    ("ppc64le", "stdu", "r1,-64(r1)", False),
    ("aarch64", "sha256h", "q0, q1, v2.4s", True),
    ("aarch64", "ld1", "{v0.16b}, [x1]", True),
    ("aarch64", "str", "q0, [sp, #16]", True),
    ("aarch64", "fmov", "d0, x1", True),
    ("aarch64", "umov", "w0, v1.s[0]", True),
    ("aarch64", "movi", "v0.2d, #0x0", True),
    ("aarch64", "ldp", "x0, x1, [sp, #16]", False),
    ("aarch64", "b", "4c <choose+0x4c>", False),
    ("aarch64", "cbz", "x22, b0 <put_number+0xb0>", False),
    ("aarch64", "add", "x0, x0, #0x10", False),
    ("aarch64", "mrs", "x0, id_aa64isar0_el1", False),
    ("aarch64", "rev", "w1, w1", False),
    ("riscv64", "fld", "fa0,0(a0)", True),
    ("riscv64", "fmv.d.x", "fa0,a0", True),
    ("riscv64", "vle32.v", "v0,(a0)", True),
    ("riscv64", "sha256sum0", "a0,a1", True),
    ("riscv64", "fence", "rw,rw", False),
    ("riscv64", "fence.i", "", False),
    ("riscv64", "ld", "a0,0(a1)", False),
    ("riscv64", "srliw", "a0,a0,0x2", False),
])
def test_checker_is_precise(target, mnemonic, operands, want):
    """The matcher flags what it must and leaves integer code alone."""
    assert offending(target, mnemonic, operands) is want


@pytest.mark.parametrize("target,raw,want", [
    ("ppc64le", bytes.fromhex("f0faffff"), True),    # -0x510
    ("ppc64le", bytes.fromhex("10020000"), True),    # +0x210
    ("ppc64", bytes.fromhex("fffffaf0"), True),
    ("ppc64le", bytes.fromhex("2000804e"), False),   # blr
    ("ppc64", bytes.fromhex("fc200890"), False),     # fmr f1,f1
])
def test_jump_table_words_are_recognised(target, raw, want):
    assert jump_table_word(target, raw) is want
