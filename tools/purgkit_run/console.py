# SPDX-License-Identifier: MIT
"""Read the console of a QEMU run and decide how the run ended.

The console is a stream of lines from three sources: the old kernel (and its
init), the new payload (everything after the init says "executing"), and the
debug console (port 0xe9 on x86).  A ``ConsoleWatcher`` is fed each line
with its arrival time, labels it, and tracks expectations and failures.
"""

import re
import time
from dataclasses import dataclass, field

from .symbolize import is_halted

# Exit codes of purgkit-run, one per way a run can end (documented in
# docs/purgkit-run.md and purgkit-run(1)).
EXIT_OK = 0
EXIT_SETUP = 1          # kernel, loader, init or QEMU could not be prepared
EXIT_USAGE = 2          # bad command line (argparse)
EXIT_TIMEOUT = 3
EXIT_PANIC = 4          # kernel panic, BUG or oops (old or new kernel)
EXIT_LOADER = 5         # "purgkit-load -l" failed
EXIT_EXEC = 6           # "purgkit-load -e" returned
EXIT_ENDED = 7          # QEMU ended before every expectation was met
EXIT_HALTED = 8         # the trampoline halted: a fault, a panic, a check
EXIT_INTERRUPTED = 130  # Ctrl-C

PREFIX_OLD = "old| "
PREFIX_NEW = "new| "
PREFIX_DEBUG = "dbg| "

INIT_MARKER = "purgkit-init: "
EXEC_MARKER = "purgkit-init: executing"
LOADING_MARKER = "purgkit-init: loading:"
LOADER_FAILED = re.compile(r"purgkit-init: loader failed \(exit (\d+)\)")
EXEC_RETURNED = re.compile(r"purgkit-init: exec returned \(exit (\d+)\)")
KERNEL_LOG_LINE = re.compile(r"^\s*\[\s*(\d+\.\d+)\]")
# A line of the trampoline the crash path goes through (the SDK's).
TRAMPOLINE_LINE = "purgkit: "

# What the old kernel says when purgkit-run --crash panics it on purpose.
CRASH_PANIC = "sysrq triggered crash"

PANIC_PATTERNS = (
    "Kernel panic - not syncing",
    "kernel BUG at",
    "BUG: unable to handle",
    "BUG: kernel NULL pointer",
    "Oops: ",
    "general protection fault",
    "Unable to handle kernel",
)


# The isa-debug-exit convention (docs/purgkit-run.md): a payload that
# writes v to port 0xf4 ends QEMU with status (v << 1) | 1.  The project's
# test payloads write 0x10 for success and 0x11 for failure; 0 is avoided
# because status 1 is also QEMU's own error status.
DEBUG_EXIT_SUCCESS = 0x10
DEBUG_EXIT_FAILURE = 0x11


def how_qemu_ended(status):
    """(the ending in words, whether it is the guest's success)."""
    if status == 0:
        return "the guest powered off", True
    if status == 1:
        return ("QEMU exited with status 1: its own error, or 0 written to "
                "isa-debug-exit, which the convention leaves unused"), False
    if status > 1 and status & 1:
        value = status >> 1
        said = f"the guest wrote {value:#x} to isa-debug-exit"
        if value == DEBUG_EXIT_SUCCESS:
            return f"{said}: success", True
        if value == DEBUG_EXIT_FAILURE:
            return f"{said}: failure", False
        return (f"{said}: not a code of the convention "
                f"({DEBUG_EXIT_SUCCESS:#x} success, "
                f"{DEBUG_EXIT_FAILURE:#x} failure)"), False
    return f"QEMU exited with status {status}", False


class Expectation:
    """One --expect (or --expect-old) pattern.

    ``[SOURCE:][re:]TEXT``: a plain substring, or a Python regular
    expression (searched) after "re:"; the two prefixes may come in either
    order ("re:new:X" is "new:re:X").  An optional leading "old:", "new:" or
    "dbg:" restricts it to lines of that source (e.g. "new:Linux version" is
    the new kernel's banner, never the old one's).

    ``phase`` is when the pattern counts: "new" (the default, --expect)
    after the exec marker, "old" (--expect-old) before it.  A payload's
    pattern must not be satisfied by the old machine's firmware or kernel,
    which may print the same text.  A bad pattern raises ValueError with a
    one-line reason.
    """

    SOURCES = ("old", "new", "dbg")
    OPTIONS = {"new": "--expect", "old": "--expect-old"}

    def __init__(self, pattern, phase="new"):
        self.text = pattern
        self.phase = phase
        self.source = None
        head, colon, rest = pattern.partition(":")
        if colon and head in self.SOURCES:
            self.source, pattern = head, rest
        elif pattern.startswith("re:"):
            # "re:new:X" means "new:re:X": the other order of the two
            # prefixes could otherwise never match (the line would have
            # to hold "new:" itself).
            head, colon, rest = pattern[3:].partition(":")
            if colon and head in self.SOURCES:
                self.source, pattern = head, "re:" + rest
        other = "old" if phase == "new" else "new"
        if self.source == other:
            raise ValueError(
                f"{self.OPTIONS[phase]} {self.text!r}: {other}| lines come "
                f"{'before' if other == 'old' else 'after'} the exec; use "
                f"{self.OPTIONS[other]} {pattern!r}")
        if pattern.startswith("re:"):
            try:
                self._regex = re.compile(pattern[3:])
            except re.error as error:
                raise ValueError(f"{self.OPTIONS[phase]} {self.text!r}: "
                                 f"bad regular expression: {error}") from None
        else:
            self._regex = None
        self._substring = pattern

    def matches(self, line, source=None, phase=None):
        if phase is not None and phase != self.phase:
            return False
        if self.source and source != self.source:
            return False
        if self._regex:
            return self._regex.search(line) is not None
        return self._substring in line

    def __repr__(self):
        if self.phase == "old":
            return f"--expect-old {self.text!r}"
        return repr(self.text)


@dataclass
class ConsoleLine:
    """A console line, when it arrived (time.monotonic()) and its source."""
    time: float
    source: str      # "old", "new" or "dbg"
    text: str
    phase: str = "old"   # "new" once the exec marker has been seen


@dataclass
class Verdict:
    """How a run ended: exit code and a one-line reason."""
    code: int
    reason: str


@dataclass
class ConsoleWatcher:
    """Label console lines and decide when the run is over.

    ``expectations`` must appear in order (each after the previous one's
    line; two may match the same line); those of the "old" phase come
    first.  ``verdict`` stays None while the run should go on.
    """
    expectations: list
    lines: list = field(default_factory=list)
    verdict: Verdict = None
    exec_time: float = None
    matched: int = 0
    _loader_output: list = field(default_factory=list)
    _loading: bool = False
    # --crash: the panic the run asks for (sysrq 'c') is not a failure,
    # but a run whose panic started nothing is: the panic's printk time,
    # then whether a trampoline or a kernel whose clock starts again spoke
    crash: bool = False
    _panic_time: float = None
    _captured: bool = False

    def __post_init__(self):
        # Old-phase patterns can only match before new-phase ones.
        self.expectations = sorted(self.expectations,
                                   key=lambda e: e.phase != "old")

    @property
    def phase(self):
        return "new" if self.exec_time is not None else "old"

    def feed(self, text, source=None, now=None):
        """Record one line; returns the ConsoleLine (already labelled)."""
        now = time.monotonic() if now is None else now
        source = source or self.phase
        line = ConsoleLine(now, source, text, self.phase)
        self.lines.append(line)
        if source != "dbg":
            self._track_init(line)
            if self.crash:
                self._track_capture(text)
            if self.verdict is None:
                self._check_failure(line)
        self._match(text, line.source, line.phase)
        if self.verdict is None and line.phase == "new" and \
                is_halted(text):
            self.verdict = Verdict(EXIT_HALTED, "the trampoline halted: "
                                   + self.halt_reason())
        if self.verdict is None and self.exec_time is not None and \
                self.matched < len(self.expectations) and \
                self.expectations[self.matched].phase == "old":
            self.verdict = Verdict(
                EXIT_ENDED, "the exec came before "
                f"{self.expectations[self.matched]!r} appeared")
        return line

    def peek(self, text, source=None):
        """Match the expectations against a row still being written (text
        as it arrives, before its line ends); records nothing.  A row that
        never ends (a payload drawing a screen) can still pass the run."""
        self._match(text, source or self.phase, self.phase)

    def _match(self, text, source, phase):
        while (self.verdict is None and self.matched < len(self.expectations)
               and self.expectations[self.matched].matches(text, source,
                                                            phase)):
            self.matched += 1
        if self.verdict is None and self.expectations and \
                self.matched == len(self.expectations):
            self.verdict = Verdict(EXIT_OK, "every expected pattern appeared")

    def _track_init(self, line):
        text = line.text
        if EXEC_MARKER in text and self.exec_time is None:
            self.exec_time = line.time
            self._loading = False
            line.source = "old"
        elif LOADING_MARKER in text:
            self._loading = True
        elif self._loading and not KERNEL_LOG_LINE.match(text) and \
                not LOADER_FAILED.search(text) and text.strip():
            self._loader_output.append(text.strip())

    def _track_capture(self, text):
        stamp = KERNEL_LOG_LINE.match(text)
        if self._panic_time is None:
            if CRASH_PANIC in text and stamp:
                self._panic_time = float(stamp.group(1))
        elif text.startswith(TRAMPOLINE_LINE) or \
                (stamp and float(stamp.group(1)) < self._panic_time):
            self._captured = True

    def _check_failure(self, line):
        text = line.text
        match = LOADER_FAILED.search(text)
        if match:
            self.verdict = Verdict(
                EXIT_LOADER, f"loader failed (exit {match.group(1)}): "
                f"{self.loader_message()}")
            return
        match = EXEC_RETURNED.search(text)
        if match:
            self.verdict = Verdict(
                EXIT_EXEC, "kexec did not happen: the exec step returned "
                f"(exit {match.group(1)}): {self.loader_message()}")
            return
        if self.crash and CRASH_PANIC in text:
            return
        for pattern in PANIC_PATTERNS:
            if pattern in text:
                who = "new payload" if line.source == "new" else "old kernel"
                self.verdict = Verdict(EXIT_PANIC,
                                       f"{who}: {text.strip()}")
                return

    def halt_reason(self):
        """Why the trampoline halted, from its own lines: the exception
        or the fatal message, else its last line."""
        for line in reversed(self.lines):
            text = line.text.strip()
            for head in ("purgkit: CPU exception", "purgkit: fatal: ",
                         "purgkit: SHA-256 MISMATCH"):
                if text.startswith(head):
                    return text[len("purgkit: "):]
            if line.phase == "old":
                break
        return self.lines[-1].text.strip() if self.lines else "?"

    def loader_message(self):
        """What the loader printed (its last lines), or a placeholder."""
        if not self._loader_output:
            return "(it printed nothing)"
        return " / ".join(self._loader_output[-5:])

    def qemu_ended(self, status):
        """QEMU exited with ``status`` before a verdict: decide one.

        With every --expect met the run has already passed.  Otherwise the
        way QEMU ended decides (``how_qemu_ended``): without --expect, a
        success ending passes; with patterns still missing, nothing does.
        """
        if self.verdict is not None:
            return
        how, success = how_qemu_ended(status)
        if self._panic_time is not None and not self._captured:
            # -no-reboot: the old kernel's reboot after its panic ends
            # QEMU as a power-off would.
            self.verdict = Verdict(EXIT_ENDED, f"QEMU ended ({how}) after "
                                   "the panic, and no capture kernel "
                                   "started (no trampoline line, no new "
                                   "kernel's log)")
        elif self.matched < len(self.expectations):
            missing = self.expectations[self.matched]
            self.verdict = Verdict(EXIT_ENDED, f"QEMU ended ({how}) before "
                                   f"{missing!r} appeared")
        elif success:
            self.verdict = Verdict(EXIT_OK, f"QEMU ended: {how}")
        else:
            self.verdict = Verdict(EXIT_ENDED, f"QEMU ended: {how}")

    def timed_out(self, seconds):
        """The deadline passed before a verdict."""
        if self.verdict is not None:
            return
        if self.matched < len(self.expectations):
            waiting = f"still waiting for {self.expectations[self.matched]!r}"
        elif self.expectations:
            waiting = "QEMU did not end"
        else:
            waiting = ("QEMU did not end (without --expect, a run waits for "
                       "the guest to power off or to write "
                       f"{DEBUG_EXIT_SUCCESS:#x} to isa-debug-exit)")
        self.verdict = Verdict(EXIT_TIMEOUT, f"timeout after {seconds:g} s "
                               f"({self.phase} phase): {waiting}")
