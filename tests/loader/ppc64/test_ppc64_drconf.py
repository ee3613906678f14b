# SPDX-License-Identifier: MIT
"""purgkit-load -p on a pseries machine whose DIMM is described by
/ibm,dynamic-reconfiguration-memory (v1 ibm,dynamic-memory and v2
ibm,dynamic-memory-v2), not by a /memory@ node: the recorded 2 GiB tree
(qemu-pseries-2G.dtb) with QEMU's layout of a 1 GiB DIMM at 2 GiB added
with dtc, and the recorded crash memory map with the DIMM's RAM.  Dry
runs, no QEMU; tests/e2e/test_kdump_drconf.py boots it."""

import os
import shutil
import subprocess

import pytest

from test_crash_plans import (BACKUP_SIZE, PPC64_DIR, PPC64_MEMMAP,
                              PPC64_RESERVATION, dts_of, program_headers,
                              segment_bytes, vmlinux)

PT_LOAD = 1
DTB = os.path.join(PPC64_DIR, "qemu-pseries-2G.dtb")
LMB = 0x10000000                   # 256 MiB, QEMU pseries' LMB size
DIMM = (0x80000000, 0xC0000000)
ASSIGNED, RESERVED, DRC_INVALID = 0x8, 0x80, 0x20
# QEMU's v2 sets: the boot memory (reserved: the memory node has it), the
# DIMM (assigned), the rest of maxmem (not assigned).
SETS = [(8, 0x0, 0x80000000, RESERVED | DRC_INVALID),
        (4, 0x80000000, 0x80000008, ASSIGNED),
        (4, 0xC0000000, 0x8000000C, 0)]
# PowerVM's way: every LMB of the partition assigned, the ones under the
# memory node at 0 (the real-mode area) too.
SETS_POWERVM = [(12, 0x0, 0x80000000, ASSIGNED),
                (4, 0xC0000000, 0x8000000C, 0)]
# LMBs that are not RAM before RAM ones that hold the reservation.
SETS_MIXED = [(2, 0x0, 0x80000000, RESERVED),
              (10, 0x20000000, 0x80000002, ASSIGNED),
              (4, 0xC0000000, 0x8000000C, 0)]


def cells64(value):
    return f"0x{value >> 32:x} 0x{value & 0xffffffff:x}"


def v1_cells(sets=SETS, count=None):
    lmbs = [(base + i * LMB, drc + i, flags)
            for n, base, drc, flags in sets for i in range(n)]
    body = " ".join(f"{cells64(base)} 0x{drc:x} 0x0 0x0 0x{flags:x}"
                    for base, drc, flags in lmbs)
    return f"<0x{len(lmbs) if count is None else count:x} {body}>"


def v2_cells(sets=SETS, count=None):
    body = " ".join(f"0x{n:x} {cells64(base)} 0x{drc:x} 0x0 0x{flags:x}"
                    for n, base, drc, flags in sets)
    return f"<0x{len(sets) if count is None else count:x} {body}>"


def dr_node(memory, lmb_size=f"<{cells64(LMB)}>"):
    """The node's text: memory is 'ibm,dynamic-memory = <...>;' or v2."""
    size = f"\t\tibm,lmb-size = {lmb_size};\n" if lmb_size else ""
    return ("\tibm,dynamic-reconfiguration-memory {\n" + size +
            f"\t\t{memory}\n\t}};\n")


def tree(tmp_path, node):
    """The recorded tree with node added at the root, compiled by dtc."""
    if not shutil.which("dtc"):
        pytest.fail("dtc is not installed (device-tree-compiler)",
                    pytrace=False)
    dts = dts_of(DTB)
    end = dts.rstrip().rindex("};")
    path = tmp_path / "drconf.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(path)],
                   input=dts[:end] + node + dts[end:], text=True,
                   check=True)
    return str(path)


def memmap_with_dimm(write):
    with open(PPC64_MEMMAP) as f:
        text = f.read()
    return write("dimm.memmap", (text + f"{DIMM[0]:#x} {DIMM[1] - 1:#x} "
                                 "System RAM\n").encode())


V1 = "ibm,dynamic-memory = " + v1_cells() + ";"
V2 = "ibm,dynamic-memory-v2 = " + v2_cells() + ";"


def drconf_plan(plan, write, dtb, memmap=None):
    kernel = write("vmlinux", vmlinux())
    return plan("-p", "-l", kernel, "--type=linux", f"--dtb={dtb}",
                memmap=memmap or memmap_with_dimm(write))


def drconf_refusal(run, write, dtb, memmap=None):
    r = run("--dry-run", "-p", "-l", write("vmlinux", vmlinux()),
            "--type=linux", f"--dtb={dtb}",
            memmap=memmap or memmap_with_dimm(write))
    assert r.rc != 0, r.stdout
    assert len(r.stderr.strip().splitlines()) <= 2, r.stderr
    return r.error_line()


@pytest.mark.parametrize("memory", [V1, V2], ids=["v1", "v2"])
def test_ppc64le_dump_covers_the_dimm_of_the_dynamic_memory(
        plan, write, tmp_path, memory):
    p = drconf_plan(plan, write, tree(tmp_path, dr_node(memory)))
    _, header = segment_bytes(p, "ELF core header")
    loads = [(ph[2], ph[2] + ph[3]) for ph in program_headers(header)[2]
             if ph[0] == PT_LOAD]
    # Above the reservation the memory node and the DIMM, which touch,
    # are one PT_LOAD.
    assert loads == [(0, BACKUP_SIZE), (BACKUP_SIZE, PPC64_RESERVATION[0]),
                     (PPC64_RESERVATION[1], DIMM[1])]
    # Placement is unchanged: the DIMM lies above the real-mode area.
    for s in p["segments"]:
        assert PPC64_RESERVATION[0] <= s["dest"] and \
            s["dest"] + s["memsz"] <= PPC64_RESERVATION[1], s


def usable_entries(blob):
    """linux,drconf-usable-memory as [(count, [(base, size)])]: 2-cell
    count, base and size (the tree's #address-cells and #size-cells)."""
    entries, at = [], 0
    while at < len(blob):
        count = int.from_bytes(blob[at:at + 8], "big")
        at += 8
        ranges = []
        for _ in range(count):
            ranges.append((int.from_bytes(blob[at:at + 8], "big"),
                           int.from_bytes(blob[at + 8:at + 16], "big")))
            at += 16
        entries.append((count, ranges))
    return entries


# Linux takes an entry for each LMB that is RAM (assigned, not reserved),
# in the property's order: those come first, each with its part of the
# reservation (512 MiB-1 GiB) or none, then a count of 0 for every other
# LMB.  QEMU's boot LMBs are reserved: no LMB has a usable range there.
NONE = [(0, [])] * 16
IN_RESERVATION = list(NONE)
IN_RESERVATION[2] = (1, [(0x20000000, LMB)])
IN_RESERVATION[3] = (1, [(0x30000000, LMB)])
MIXED = list(NONE)
MIXED[0] = (1, [(0x20000000, LMB)])
MIXED[1] = (1, [(0x30000000, LMB)])


@pytest.mark.parametrize("memory, expected", [
    (V1, NONE), (V2, NONE),
    ("ibm,dynamic-memory = " + v1_cells(SETS_POWERVM) + ";", IN_RESERVATION),
    ("ibm,dynamic-memory-v2 = " + v2_cells(SETS_POWERVM) + ";",
     IN_RESERVATION),
    ("ibm,dynamic-memory = " + v1_cells(SETS_MIXED) + ";", MIXED),
    ("ibm,dynamic-memory-v2 = " + v2_cells(SETS_MIXED) + ";", MIXED),
], ids=["qemu-v1", "qemu-v2", "powervm-v1", "powervm-v2", "mixed-v1",
        "mixed-v2"])
def test_ppc64le_capture_tree_confines_every_lmb_to_the_reservation(
        plan, write, tmp_path, memory, expected):
    p = drconf_plan(plan, write, tree(tmp_path, dr_node(memory)))
    seg, blob = segment_bytes(p, "device tree")
    path = os.path.join(p["_result"].dump_dir, f"segment-{seg['index']}.bin")
    raw = subprocess.run(
        ["fdtget", "-t", "bx", path, "/ibm,dynamic-reconfiguration-memory",
         "linux,drconf-usable-memory"], capture_output=True, text=True)
    if raw.returncode:
        # No fdtget: read the value from dtc's output instead.
        dts = dts_of(path)
        line = [l for l in dts.splitlines()
                if "linux,drconf-usable-memory" in l][0]
        words = line.split("<", 1)[1].split(">", 1)[0].split()
        data = b"".join(int(w, 16).to_bytes(4, "big") for w in words)
    else:
        data = bytes(int(b, 16) for b in raw.stdout.split())
    assert usable_entries(data) == expected
    assert len(data) == 16 * 8 + 16 * sum(n for n, _ in expected)
    # The memory node is confined as before; the capture map is the same.
    assert "linux,usable-memory = <0x00 0x00 0x00 0x40000000>;" in \
        dts_of(path)
    assert [(r["start"], r["end"]) for r in p["crash"]["capture_memmap"]] \
        == [(0, PPC64_RESERVATION[1])]


def test_ppc64le_dimm_missing_from_the_memory_map_is_refused(
        run, write, tmp_path):
    line = drconf_refusal(run, write, tree(tmp_path, dr_node(V2)),
                          memmap=PPC64_MEMMAP)
    assert "/ibm,dynamic-reconfiguration-memory: LMBs 0x80000000-" \
        "0xbfffffff are the partition's memory but not in the memory map " \
        f"{PPC64_MEMMAP}: the dump would lack them" in line


def test_ppc64le_tree_without_dynamic_memory_gets_no_drconf_property(
        plan, write):
    p = drconf_plan(plan, write, DTB, memmap=PPC64_MEMMAP)
    seg, _ = segment_bytes(p, "device tree")
    dts = dts_of(os.path.join(p["_result"].dump_dir,
                              f"segment-{seg['index']}.bin"))
    assert "drconf-usable-memory" not in dts


WRAP = [(2, 0xFFFFFFFFF0000000, 1, ASSIGNED)]


@pytest.mark.parametrize("node, message", [
    (dr_node(V2, lmb_size=f"<{cells64(0)}>"),
     "ibm,lmb-size 0x0 is not a power of two"),
    (dr_node(V2, lmb_size=f"<{cells64(0x18000000)}>"),
     "ibm,lmb-size 0x18000000 is not a power of two"),
    (dr_node(V2, lmb_size="<0x10000000>"),
     "ibm,lmb-size is 4 bytes, not 8 (#size-cells 2)"),
    (dr_node(V2, lmb_size=None),
     "ibm,dynamic-memory-v2 without ibm,lmb-size: its LMBs have no size"),
    (dr_node("ibm,dynamic-memory = " + v1_cells()[:-1] + " 0x0>;"),
     "ibm,dynamic-memory is 392 bytes, not a 4-byte count and 24-byte LMB "
     "entries (#address-cells 2)"),
    (dr_node("ibm,dynamic-memory = " + v1_cells(count=17) + ";"),
     "ibm,dynamic-memory counts 17 LMBs but holds 16"),
    (dr_node("ibm,dynamic-memory-v2 = " + v2_cells()[:-1] + " 0x0>;"),
     "ibm,dynamic-memory-v2 is 80 bytes, not a 4-byte count and 24-byte "
     "LMB sets (#address-cells 2)"),
    (dr_node("ibm,dynamic-memory-v2 = " + v2_cells(count=4) + ";"),
     "ibm,dynamic-memory-v2 counts 4 LMB sets but holds 3"),
    (dr_node("ibm,dynamic-memory-v2 = " + v2_cells(sets=WRAP) + ";"),
     "ibm,dynamic-memory-v2 entry 0: 2 LMB(s) of 0x10000000 bytes from "
     "0xfffffffff0000000 wrap around the address space"),
], ids=["lmb-size-0", "lmb-size-not-power-of-two", "lmb-size-one-cell",
        "no-lmb-size", "v1-length", "v1-count-exceeds", "v2-length",
        "v2-count-exceeds", "v2-set-wraps"])
def test_ppc64le_malformed_dynamic_memory_is_refused_in_one_line(
        run, write, tmp_path, node, message):
    dtb = tree(tmp_path, node)
    line = drconf_refusal(run, write, dtb)
    assert line.startswith(f"purgkit-load: {dtb}/ibm,dynamic-"
                           "reconfiguration-memory: ") or \
        f"{dtb}/ibm,dynamic-reconfiguration-memory: " in line, line
    assert message in line, line


def test_ppc64le_memory_log_stays_in_the_real_mode_area_beside_a_dimm(
        plan, write):
    """The trampoline writes the log with translation off: RAM above the
    real-mode area (the DIMM) is in the map but not for the log."""
    with open(os.path.join(PPC64_DIR, "qemu-pseries-2G.memmap")) as f:
        text = f.read()
    memmap = write("dimm.memmap", (text + f"{DIMM[0]:#x} {DIMM[1] - 1:#x} "
                                   "System RAM\n").encode())
    p = plan("-l", write("vmlinux", vmlinux()), "--type=linux",
             f"--dtb={DTB}", "--console=memlog", memmap=memmap)
    log = [s for s in p["segments"] if s["what"] == "memory log"]
    assert len(log) == 1
    assert log[0]["dest"] + log[0]["memsz"] <= 0x80000000, log
