# SPDX-License-Identifier: MIT
"""Start QEMU for an architecture, stream its console, and always stop it."""

import os
import re
import select
import signal
import subprocess
import time

from .arches import Arch

ISA_DEBUG_EXIT_PORT = 0xf4
# Terminal control sequences (SeaBIOS clears the screen) and other control
# characters but tab: noise in a log, and confusing to a terminal.
TERMINAL_NOISE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_]|c)|"
                            r"[\x00-\x08\x0b-\x1f\x7f]")


def qemu_command(arch: Arch, kernel, initrd, cmdline, memory, smp,
                 debugcon_path=None, extra_args=()):
    """The QEMU command line: TCG, no display, serial console on stdout.

    x86_64 also gets isa-debug-exit (a payload writes v to port 0xf4 and
    QEMU exits with status (v << 1) | 1) and the debug console on port 0xe9,
    written to ``debugcon_path``.
    """
    cmd = [arch.qemu, "-accel", "tcg"] + list(arch.machine) + [
        "-m", memory, "-smp", str(smp),
        "-nographic", "-monitor", "none", "-serial", "stdio",
        "-no-reboot",
        "-kernel", kernel, "-initrd", initrd, "-append", cmdline,
    ]
    if arch.name == "x86_64":
        cmd += ["-device", f"isa-debug-exit,iobase={ISA_DEBUG_EXIT_PORT:#x},"
                "iosize=0x04"]
        if debugcon_path:
            cmd += ["-debugcon", f"file:{debugcon_path}"]
    return cmd + list(extra_args)


class LineSplitter:
    """Turn chunks of bytes into text lines ("\\r" dropped)."""

    def __init__(self):
        self._pending = b""

    def push(self, data):
        self._pending += data
        *lines, self._pending = self._pending.split(b"\n")
        return [self._decode(line) for line in lines]

    def flush(self):
        rest, self._pending = self._pending, b""
        return [self._decode(rest)] if rest.strip() else []

    @staticmethod
    def _decode(raw):
        text = raw.decode("utf-8", "replace")
        return TERMINAL_NOISE.sub("", text)


def run_qemu(cmd, on_line, is_done, deadline, debugcon_path=None,
             stderr_path=None):
    """Run ``cmd`` and pass each console line to ``on_line(text, source)``.

    ``source`` is None for the serial console and "dbg" for the debug
    console.  Stops when ``is_done()`` becomes true, when QEMU exits, or at
    ``deadline`` (time.monotonic()).  QEMU runs in its own process group and
    is killed on every way out, including exceptions and Ctrl-C.
    Returns QEMU's exit status, or None if it was still running (killed).
    """
    stderr = open(stderr_path or os.devnull, "wb")
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=stderr,
                               start_new_session=True)
    serial = LineSplitter()
    debug = LineSplitter()
    debug_offset = 0
    status = None

    def poll_debugcon():
        nonlocal debug_offset
        if not debugcon_path or not os.path.exists(debugcon_path):
            return
        with open(debugcon_path, "rb") as f:
            f.seek(debug_offset)
            data = f.read()
        debug_offset += len(data)
        for text in debug.push(data):
            on_line(text, "dbg")

    try:
        fd = process.stdout.fileno()
        while not is_done():
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                break
            ready, _, _ = select.select([fd], [], [], min(timeout, 0.1))
            poll_debugcon()
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                status = process.wait()
                poll_debugcon()
                for text in serial.flush():
                    on_line(text, None)
                for text in debug.flush():
                    on_line(text, "dbg")
                break
            for text in serial.push(data):
                on_line(text, None)
                if is_done():
                    break
    finally:
        if process.poll() is None:
            stop_process_group(process)
        else:
            status = process.returncode if status is None else status
        process.stdout.close()
        stderr.close()
    return status


def stop_process_group(process):
    """Terminate QEMU's process group, then kill it if it lingers."""
    for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
