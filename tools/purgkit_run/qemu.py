# SPDX-License-Identifier: MIT
"""Start QEMU for an architecture, stream its console, and always stop it."""

import os
import select
import signal
import subprocess
import time

from .arches import Arch
from .screen import ScreenText

ISA_DEBUG_EXIT_PORT = 0xf4


def qemu_command(arch: Arch, kernel, initrd, cmdline, memory, smp,
                 debugcon_path=None, extra_args=(), accel="tcg",
                 firmware=None):
    """The QEMU command line: no display, serial console on stdout.

    ``accel`` "tcg" (the default: reproducible, any host) runs the arch's
    TCG CPU model; "kvm" runs ``-accel kvm -cpu host``, so the guest sees
    the host CPU's features (SHA-NI...).  ``initrd`` may be None.
    A machine with ISA ports (x86_64's PC: Arch.isa_ports) also gets
    isa-debug-exit (a payload writes v to port 0xf4 and QEMU exits with
    status (v << 1) | 1) and the debug console on port 0xe9, written to
    ``debugcon_path``.  ``firmware`` (secureboot.prepare's arguments:
    machine, firmware and the disk it boots the kernel from) replaces the
    machine and -kernel/-initrd/-append.
    """
    cpu = "host" if accel == "kvm" else arch.cpu
    cmd = [arch.qemu, "-accel", accel] + \
        (list(firmware) if firmware else list(arch.machine)) + [
        "-cpu", cpu, "-m", memory, "-smp", str(smp),
        "-nographic", "-monitor", "none", "-serial", "stdio",
        "-no-reboot"]
    if not firmware:
        cmd += ["-kernel", kernel]
        if initrd:
            cmd += ["-initrd", initrd]
        cmd += ["-append", cmdline]
    if arch.isa_ports:
        cmd += ["-device", f"isa-debug-exit,iobase={ISA_DEBUG_EXIT_PORT:#x},"
                "iosize=0x04"]
        if debugcon_path:
            cmd += ["-debugcon", f"file:{debugcon_path}"]
    return cmd + list(extra_args)


# How long a row may stay unfinished before it is shown: a terminal shows
# text as it comes, and a payload drawing a screen may not end a row for
# seconds (or ever); shorter than this, a line printed in pieces still
# appears whole.
IDLE_SECONDS = 0.3


class ConsoleStream:
    """One console (serial or debug port): its text decoder, and what of
    the row being written was last reported, and when data came."""

    def __init__(self, source, on_line, on_partial):
        self.source = source
        self.screen = ScreenText()
        self._on_line = on_line
        self._on_partial = on_partial
        self._last_data = time.monotonic()
        self._reported = ""       # pending text last passed to on_partial
        self._shown = ""          # pending text last passed with idle=True

    def push(self, data):
        """Report the lines ``data`` completes (all of them, even after a
        verdict: the console shows what arrived), then the unended row."""
        self._last_data = time.monotonic()
        for text in self.screen.push(data):
            self._reported = self._shown = ""
            self._on_line(text, self.source)
        pending = self.screen.pending
        if pending != self._reported and pending.strip():
            self._reported = pending
            self._on_partial(pending, self.source, False)

    def idle(self, now):
        """Show the unfinished row once it has been quiet for a while."""
        pending = self.screen.pending
        if pending != self._shown and pending.strip() and \
                now - self._last_data >= IDLE_SECONDS:
            self._shown = self._reported = pending
            self._on_partial(pending, self.source, True)

    def flush(self):
        for text in self.screen.flush():
            self._on_line(text, self.source)


def run_qemu(cmd, on_line, is_done, deadline, debugcon_path=None,
             stderr_path=None, on_partial=None):
    """Run ``cmd`` and pass each console line to ``on_line(text, source)``.

    ``source`` is None for the serial console and "dbg" for the debug
    console.  Lines are what ``ScreenText`` makes of the stream (screen
    drawing turned into lines).  ``on_partial(text, source, idle)`` gets the
    unfinished row as it grows (``idle`` False: for matching) and once it
    has been quiet for IDLE_SECONDS (``idle`` True: to show it); the row's
    whole text comes again through ``on_line`` when it ends.
    Stops when ``is_done()`` becomes true, when QEMU exits, or at
    ``deadline`` (time.monotonic()).  QEMU runs in its own process group and
    is killed on every way out, including exceptions and Ctrl-C.
    Returns QEMU's exit status, or None if it was still running (killed).
    """
    on_partial = on_partial or (lambda text, source, idle: None)
    stderr = open(stderr_path or os.devnull, "wb")
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=stderr,
                               start_new_session=True)
    serial = ConsoleStream(None, on_line, on_partial)
    debug = ConsoleStream("dbg", on_line, on_partial)
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
        if data:
            debug.push(data)

    try:
        fd = process.stdout.fileno()
        while not is_done():
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                break
            ready, _, _ = select.select([fd], [], [], min(timeout, 0.1))
            poll_debugcon()
            if is_done():
                break
            if not ready:
                now = time.monotonic()
                serial.idle(now)
                debug.idle(now)
                continue
            data = os.read(fd, 65536)
            if not data:
                status = process.wait()
                poll_debugcon()
                serial.flush()
                debug.flush()
                break
            serial.push(data)
        if status is None:
            # Stopped by a verdict or the deadline: the unended rows are
            # still part of the console (and of the log).
            poll_debugcon()
            serial.flush()
            debug.flush()
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
