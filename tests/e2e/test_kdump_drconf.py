# SPDX-License-Identifier: MIT
"""ppc64le kdump where part of the memory is a DIMM: QEMU pseries describes
it in /ibm,dynamic-reconfiguration-memory (ibm,dynamic-memory-v2 after
CAS), not in a /memory@ node, as PowerVM describes most of an LPAR's
memory.  purgkit-load -p must put the DIMM in the dump's PT_LOADs and
keep the capture kernel off it with linux,drconf-usable-memory, or the
capture kernel takes the DIMM as its own RAM and overwrites what it
dumps."""

import re

import pytest

from test_kdump import (READ, SMP, VMCORE, VMCORE_READ_PATTERN,
                        capture_append, kernel_release, reserved)

PPC64_CAPTURE_APPEND = capture_append("ppc64le")
PPC64_RESERVED = reserved("ppc64le")

BOOT_MEMORY = 2 << 30
DIMM = 1 << 30
DIMM_BASE = 2 << 30           # QEMU: device memory from the 1 GiB above RAM
LMB_SIZE = 256 << 20          # QEMU pseries' SPAPR_MEMORY_BLOCK_SIZE
QEMU_DIMM = ["-object", "memory-backend-ram,id=dimm0,size=1G",
             "-device", "pc-dimm,id=dimm0dev,memdev=dimm0"]
# The capture kernel's "Memory: 123K/456K available (...)" line.
MEMORY_LINE = re.compile(r"new\|.*Memory: (\d+)K/(\d+)K available")


@pytest.mark.qemu
def test_ppc64le_dump_holds_the_dimm_and_the_capture_kernel_stays_off_it(
        run_purgkit, kernel_for, stage2_initrd):
    result = run_purgkit(
        "ppc64le",
        [kernel_for("ppc64le"), "--type=linux",
         f"--initrd={stage2_initrd('ppc64le')}",
         f"--append={PPC64_CAPTURE_APPEND}", "-d"],
        expect=["new:sysrq triggered crash", "purgkit: sha256 ok",
                "new:purgkit-init: second kernel up, cmdline: "
                f"{PPC64_CAPTURE_APPEND} elfcorehdr=0x",
                VMCORE_READ_PATTERN],
        smp=SMP, timeout=290, memory="2G,slots=2,maxmem=4G",
        qemu_args=QEMU_DIMM, extra_options=["--crash"])
    assert result.code == 0, result.why
    console = result.console
    # QEMU gave the old kernel the DIMM, and purgkit-load read it from the
    # dynamic memory, not from a memory node.
    assert "Reserving 512MB of memory at 512MB for crashkernel (System " \
        "RAM: 3072MB)" in console
    assert "purgkit-load: debug: dynamic memory: RAM 0x80000000-0xbfffffff " \
        "(flags 0x" in console

    # The capture kernel's memory: the memory node's [0, reservation end)
    # (linux,usable-memory), never the DIMM.  Without
    # linux,drconf-usable-memory it counts 2 GiB, the DIMM as its RAM, and
    # puts its NODE_DATA at the DIMM's top, over the memory it dumps.
    found = MEMORY_LINE.findall(console)
    assert found, "the capture kernel printed its Memory: line"
    available, total = (int(x) * 1024 for x in found[-1])
    assert total == 2 * PPC64_RESERVED, (available, total)
    node_data = re.search(r"new\|.*NODE_DATA \[mem (0x[0-9a-f]+)-", console)
    if node_data:
        assert PPC64_RESERVED <= int(node_data.group(1), 16) < \
            2 * PPC64_RESERVED, node_data.group(0)

    # The dump: every byte of the memory node and the DIMM but the
    # reservation, read to the end.
    found = VMCORE.search(console)
    assert found, result.why
    machine, loads, ram, prstatus, release = found.groups()
    assert int(machine) == 21 and int(prstatus) == SMP
    assert release == kernel_release(kernel_for("ppc64le"))
    assert int(ram) == BOOT_MEMORY + DIMM - PPC64_RESERVED
    done, size = map(int, READ.search(console).groups())
    assert done == size and size > int(ram), "every byte, to the end"
    print(f"capture kernel Memory: {available // 1024}K/{total // 1024}K; "
          f"vmcore {loads} PT_LOAD(s), {ram} bytes of RAM, read {done} of "
          f"{size} bytes")
