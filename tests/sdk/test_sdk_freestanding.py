# SPDX-License-Identifier: MIT
"""The freestanding promise: outside the one vector module per arch
(sha256_shani.o, sha256_vcrypto.o), libpurgkit.a contains no vector or
floating-point instruction, because those units may be off at kexec
entry and the payload must find them as the kernel left them."""
import re
import shutil
import subprocess

import pytest

from sdk_support import BUILD, TARGETS

OBJDUMP = {
    "x86_64": "objdump",
    "ppc64le": "powerpc64le-linux-gnu-objdump",
    "ppc64": "powerpc64-linux-gnu-objdump",
    "riscv64": "riscv64-linux-gnu-objdump",
}
VECTOR_MODULES = {"sha256_shani.o", "sha256_vcrypto.o", "sha256_zknh.o"}

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
    if target not in ("ppc64le", "ppc64") or len(raw) != 4:
        return False
    value = int.from_bytes(raw, "little" if target == "ppc64le" else "big")
    return value >> 16 in (0, 0xffff)


def disassemble(target, lib):
    """(module, mnemonic, operands, line) for each instruction of lib,
    jump-table data left out."""
    tool = shutil.which(OBJDUMP[target])
    if not tool:
        pytest.fail(f"{OBJDUMP[target]} is not installed")
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


OFFENDING = {
    "x86_64": x86_offending,
    "ppc64le": lambda m, o: bool(PPC_BAD_MNEMONIC.match(m)),
    "ppc64": lambda m, o: bool(PPC_BAD_MNEMONIC.match(m)),
    "riscv64": lambda m, o: bool(RISCV_BAD_MNEMONIC.match(m)),
}


def offending(target, mnemonic, operands):
    return OFFENDING[target](mnemonic, operands)


@pytest.mark.parametrize("target", TARGETS)
def test_no_vector_or_fp_outside_vector_modules(target):
    lib = BUILD / target / "libpurgkit.a"
    if not lib.exists():
        pytest.fail(f"{lib} is missing: run `make`")
    bad, seen_vector_module, modules = [], False, set()
    for module, mnemonic, operands, line in disassemble(target, lib):
        modules.add(module)
        if module in VECTOR_MODULES:
            seen_vector_module |= offending(target, mnemonic, operands)
            continue
        if offending(target, mnemonic, operands):
            bad.append(f"{module}: {line.strip()}")
    assert len(modules) > 10, f"too few objects in {lib}: {sorted(modules)}"
    assert not bad, "vector/FP instructions outside the vector module:\n" + \
        "\n".join(bad[:30])
    # The checker must see the accelerated module's instructions, or it
    # would pass vacuously.
    assert seen_vector_module, "the vector module has no vector code?"


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
