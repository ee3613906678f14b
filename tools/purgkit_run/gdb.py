# SPDX-License-Identifier: MIT
"""purgkit-run --gdb: stop gdb in the placed trampoline.

The trampoline's address is decided by the loader inside the guest, from
the guest's memory map, and QEMU must wait for gdb before the old kernel
runs.  So a --gdb run boots twice with the same inputs: a first, short
boot only loads (``purgkit-load -l ARGS --gdb``, then ``-S`` instead of
the exec) and reads the loader's ``purgkit-load: gdb: add-symbol-file
...`` line; the placement is a function of the memory map and the files,
both the same the second time.  The second boot starts QEMU with its gdb
stub and ``-S`` (stopped before the first instruction), and gdb gets:

    set architecture ...           (the row's gdb_architecture)
    target remote localhost:PORT
    add-symbol-file FILE -s .text ADDR ...   (the host .ro, placed)
    hbreak pk_trampoline_main

``hbreak``, not ``break``: when gdb connects, the trampoline's memory does
not hold the trampoline yet; kexec copies the segments there at the
reboot, over any breakpoint instruction gdb would have written.  A
hardware breakpoint is kept by the (emulated) CPU, by address.
"""

import os
import re
import shutil
import socket
import subprocess
import threading

from .symbolize import trampoline_file

GDB_LINE = re.compile(r"purgkit-load: gdb: (add-symbol-file \S+.*)$")
DEFAULT_PORT = 1234
GDB = "gdb-multiarch"


class GdbError(Exception):
    """--gdb cannot be prepared; the message says why."""


def listening(port):
    """Does something on this host listen on TCP ``port`` now?  Read from
    /proc/net/tcp{,6}, so that QEMU's gdb stub sees no stray connection."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 3 and fields[3] == "0A" and \
                    int(fields[1].rsplit(":", 1)[1], 16) == port:
                return True
    return False


def free_port():
    """A TCP port nothing listens on now (for --gdb without a port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def placed_command(lines, arch, load_args, build_dir):
    """The host add-symbol-file command from the probe boot's console:
    the guest's file name (/purgkit/files/x.ro, or NAME.ro for a built-in
    trampoline) replaced by the host's .ro."""
    for text in lines:
        match = GDB_LINE.search(text)
        if not match:
            continue
        command = match.group(1)
        guest_file = command.split()[1]
        name = os.path.basename(guest_file)
        if name.endswith(".ro"):
            name = name[:-3]
        host, why = trampoline_file(arch, name, load_args, build_dir)
        if host is None:
            raise GdbError(f"the trampoline's .ro: {why}")
        return command.replace(guest_file, os.path.abspath(host), 1)
    raise GdbError("the probe boot printed no 'purgkit-load: gdb:' line "
                   "(a loader without --gdb?)")


def commands(arch, port, add_symbol_file):
    """gdb's commands up to the stop in the trampoline (not included:
    continue)."""
    return [f"set architecture {arch.gdb_architecture}",
            f"set endian {arch.gdb_endian}",
            f"target remote localhost:{port}",
            add_symbol_file,
            "hbreak pk_trampoline_main"]


def interactive_help(arch, port, add_symbol_file):
    """What purgkit-run prints for --gdb without a script."""
    args = " ".join(f"-ex '{c}'" for c in commands(arch, port,
                                                    add_symbol_file))
    return [
        f"QEMU waits for gdb on localhost:{port}, before the old kernel "
        "runs; in another terminal:",
        f"  {GDB} -q {args} -ex continue",
        "hbreak, not break: the trampoline's memory is filled by kexec at "
        "the reboot, over any breakpoint instruction gdb would write now; "
        "a hardware breakpoint is kept by the CPU, by address",
    ]


class BatchGdb:
    """gdb-multiarch -batch with the commands above, then the user's
    script; its output lines go to ``on_line`` as they come."""

    def __init__(self, arch, port, add_symbol_file, script, on_line):
        gdb = shutil.which(GDB)
        if not gdb:
            raise GdbError(f"{GDB} is not installed (make deps installs "
                           "it)")
        if not os.path.isfile(script):
            raise GdbError(f"--gdb-script {script}: no such file")
        cmd = [gdb, "-q", "-nx", "-batch"]
        for command in commands(arch, port, add_symbol_file):
            cmd += ["-ex", command]
        cmd += ["-x", script]
        self.command = cmd
        self._on_line = on_line
        self._process = None
        self._thread = None
        self.status = None

    def start(self):
        self._process = subprocess.Popen(
            self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, errors="replace")
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        for line in self._process.stdout:
            self._on_line(line.rstrip("\n"))
        self.status = self._process.wait()

    def stop(self):
        """End gdb if it still runs; wait for its last lines."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._thread.join(timeout=10)
