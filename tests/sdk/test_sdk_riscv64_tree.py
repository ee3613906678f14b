# SPDX-License-Identifier: MIT
"""What the riscv64 runtime reads in the device tree kexec hands over: the
time CSR's rate and the ISA extensions that choose the SHA-256 engine
(sdk/lib/riscv64/devtree.c), from QEMU virt's own tree and from trees
written here."""
import os
import shutil
import subprocess

import pytest

from sdk_support import ROOT, TARGETS, SdkTest

VIRT_DTB = os.path.join(ROOT, "tests", "loader", "riscv64",
                        "qemu-virt-512M.dtb")


def tree_facts(blob):
    sdk = SdkTest("riscv64")
    lines = sdk.run(b"riscv64-tree %d\n" % len(blob) + blob)
    words = lines[0].split()
    return dict(zip(words[0::2], (int(w) for w in words[1::2])))


def compile_dts(tmp_path, cpu_properties, cpus_properties=""):
    dtc = shutil.which("dtc")
    assert dtc, "dtc (device-tree-compiler) is not installed"
    src = tmp_path / "t.dts"
    src.write_text("/dts-v1/;\n/ {\n\t#address-cells = <2>;\n"
                   "\t#size-cells = <2>;\n\tcpus {\n\t\t#address-cells = "
                   "<1>;\n\t\t#size-cells = <0>;\n" + cpus_properties +
                   "\t\tcpu@0 {\n\t\t\tdevice_type = \"cpu\";\n"
                   "\t\t\treg = <0>;\n" + cpu_properties +
                   "\t\t};\n\t\tcpu@1 {\n\t\t\tdevice_type = \"cpu\";\n"
                   "\t\t\treg = <1>;\n\t\t\triscv,isa = \"rv64imac_zknh\";"
                   "\n\t\t};\n\t};\n};\n")
    out = tmp_path / "t.dtb"
    subprocess.run([dtc, "-I", "dts", "-O", "dtb", "-o", out, src],
                   check=True, capture_output=True)
    return out.read_bytes()


pytestmark = pytest.mark.skipif("riscv64" not in TARGETS,
                                reason="riscv64 is not among PK_SDK_TARGETS")


def test_qemu_virt_tree():
    with open(VIRT_DTB, "rb") as f:
        facts = tree_facts(f.read())
    # QEMU's rv64 hart: rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb...
    assert facts == {"timebase": 10000000, "zknh": 0, "zba": 1, "c": 1,
                     "v": 0}


def test_isa_extensions_list_wins_over_the_string(tmp_path):
    blob = compile_dts(
        tmp_path, '\t\t\triscv,isa = "rv64imac";\n'
        '\t\t\triscv,isa-extensions = "i", "m", "a", "c", "zknh";\n',
        "\t\ttimebase-frequency = <24000000>;\n")
    assert tree_facts(blob) == {"timebase": 24000000, "zknh": 1, "zba": 0,
                                "c": 1, "v": 0}


def test_only_the_first_cpu_counts_and_no_timebase_is_zero(tmp_path):
    """cpu@1 lists zknh; the first hart, which runs us, does not."""
    blob = compile_dts(tmp_path, '\t\t\triscv,isa = "rv64imacv_zba";\n')
    assert tree_facts(blob) == {"timebase": 0, "zknh": 0, "zba": 1, "c": 1,
                                "v": 1}
