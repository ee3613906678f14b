#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Turn a console log of record.c into NAME.memmap and NAME.dtb.

    record.py LOG NAME "one line saying what machine this was"

RTAS is reserved in the memory map by splitting the RAM range around it
(the map's ranges may not overlap)."""

import sys


def main():
    log, name, what = sys.argv[1], sys.argv[2], sys.argv[3]
    lines, fdt, rtas = [], bytearray(), None
    for raw in open(log, errors="replace"):
        if "PKREC " not in raw:
            continue
        kind, _, rest = raw.split("PKREC ", 1)[1].strip().partition(" ")
        if kind == "memmap":
            lines.append(rest)
        elif kind == "fdt":
            fdt += bytes.fromhex(rest)
        elif kind == "rtas":
            base, size = (int(x, 16) for x in rest.split())
            rtas = (base, base + size - 1)
    out = ["# SPDX-License-Identifier: MIT",
           f"# purgkit-load memory map: {what}",
           "# recorded by tests/loader/ppc64/record.c from /proc/device-tree",
           "# START END TYPE (END inclusive)"]
    for line in lines:
        parts = line.split(None, 2)
        if rtas and len(parts) == 3 and parts[2] == "System RAM":
            start, end = int(parts[0], 16), int(parts[1], 16)
            if start <= rtas[0] and rtas[1] <= end:
                if start < rtas[0]:
                    out.append(f"0x{start:x} 0x{rtas[0] - 1:x} System RAM")
                out.append(f"0x{rtas[0]:x} 0x{rtas[1]:x} Reserved")
                if rtas[1] < end:
                    out.append(f"0x{rtas[1] + 1:x} 0x{end:x} System RAM")
                continue
        out.append(line)
    with open(name + ".memmap", "w") as f:
        f.write("\n".join(out) + "\n")
    with open(name + ".dtb", "wb") as f:
        f.write(fdt)


if __name__ == "__main__":
    main()
