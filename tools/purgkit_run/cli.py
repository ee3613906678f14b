# SPDX-License-Identifier: MIT
"""purgkit-run: boot a Debian kernel in QEMU that kexecs through a loader.

``run(config)`` is the whole harness as a function (the tests and the
benchmark call it or the command); ``main(argv)`` is the command line.
"""

import argparse
import dataclasses
import io
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from .accel import (ACCELS, KVM_BANNER_SECONDS, AccelError, choose_accel,
                    last_words)
from .arches import ALIASES, ARCHES
from .console import (ConsoleWatcher, Expectation, Verdict, EXIT_SETUP,
                      EXIT_ENDED, EXIT_HALTED, EXIT_INTERRUPTED, EXIT_TIMEOUT,
                      KERNEL_LOG_LINE,
                      PREFIX_DEBUG, PREFIX_NEW, PREFIX_OLD)
from .initramfs import (InitramfsError, build_initramfs, map_loader_args,
                        loader_libraries, DEFAULT_LOADER_PATH)
from .kernel import KernelError, fetch_kernel, host_dpkg_arch
from .qemu import qemu_command, run_qemu
from . import secureboot
from .symbolize import Symbolizer
from . import gdb as gdbmod

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PREFIXES = {"old": PREFIX_OLD, "new": PREFIX_NEW, "dbg": PREFIX_DEBUG}
# What a kernel booted with lockdown=MODE says (security/lockdown/
# lockdown.c); a --lockdown run fails without it.
LOCKDOWN_LINE = "Kernel is locked down from command line"
LOCKDOWN_MODES = ("integrity", "confidentiality")
# How purgkit-init is compiled: the flags of its rule in tools/tools.mk
# (PURGKIT_INIT_CFLAGS), so that a copy built here warns and fails as the
# build's would (tests/e2e/test_harness.py checks that the two agree).
INIT_CFLAGS = ["-static", "-O2", "-Wall", "-Wextra", "-Werror"]


class SetupError(Exception):
    """Something the run needs could not be prepared; the message says what."""


@dataclass
class RunConfig:
    """Everything one run needs; None means "the default for the arch"."""
    arch: str
    load_args: list
    expect: list = field(default_factory=list)
    expect_old: list = field(default_factory=list)
    accel: str = "tcg"
    smp: int = 1
    memory: str = None
    timeout: float = None
    kernel: str = None
    loader: str = None
    init: str = None
    exec_args: list = None
    steps: list = field(default_factory=list)  # one argument list each
    cmdline_extra: str = ""
    lockdown: str = None       # --lockdown: lockdown=MODE for the old kernel
    secure_boot: bool = False  # --secure-boot: OVMF, shim, GRUB (x86_64)
    qemu_args: list = field(default_factory=list)
    keep: bool = False
    log: str = None
    quiet: bool = False
    build_dir: str = None
    cache_dir: str = None
    crash: bool = False        # load with -p, then panic the old kernel
    crash_panic: bool = True   # with crash: False loads only (--gdb probe)
    crashkernel: str = None    # crashkernel= size (None: the arch's)
    gdb: int = None            # --gdb: QEMU's gdb stub port (0: any free)
    gdb_script: str = None     # --gdb-script: run gdb -batch with it


@dataclass
class RunResult:
    """How a run ended, with every console line and when it arrived."""
    verdict: Verdict
    lines: list
    exec_time: float
    qemu_status: int
    work_dir: str
    accel: str = "tcg"        # what ran: "tcg" or "kvm"

    @property
    def console(self):
        """The console as the command prints it, prefixes included."""
        return "\n".join(PREFIXES[l.source] + l.text for l in self.lines)


class LiveView:
    """The console on ``out`` as it arrives, one prefixed line per line.

    A row still being written is shown once it has been quiet for a moment
    (``partial``), without its newline, and the rest of it is appended when
    it ends, as a terminal shows it; a line from the other console ends the
    shown piece first.
    """

    def __init__(self, out, quiet=False):
        self._out = out
        self._quiet = quiet
        self._open = None         # (source, text shown) of an unended row

    def partial(self, prefix, text, source):
        # Trailing blanks are not shown: the row may end right there (its
        # line is then stripped), or continue with more than blanks.
        text = text.rstrip()
        if self._quiet or not text:
            return
        if self._continues(text, source):
            piece = text[len(self._open[1]):]
        else:
            self.close()
            piece = prefix + text
        self._out.write(piece)
        self._out.flush()
        self._open = (source, text)

    def line(self, prefix, text, source):
        if self._quiet:
            return
        if self._continues(text, source):
            self._out.write(text[len(self._open[1]):] + "\n")
            self._open = None
        else:
            self.close()
            self._out.write(prefix + text + "\n")
        self._out.flush()

    def _continues(self, text, source):
        """True if ``text`` is the shown unended row, grown or not."""
        return self._open is not None and self._open[0] == source and \
            text.startswith(self._open[1])

    def close(self):
        """End a shown unended row with a newline."""
        if self._open and not self._quiet:
            self._out.write("\n")
            self._out.flush()
        self._open = None


def installed():
    """True when this is an installed purgkit-run (ROOT is
    PREFIX/share/purgkit, where make install writes VERSION), not one in a
    source tree."""
    return not os.path.isfile(os.path.join(ROOT, "Makefile")) and (
        os.path.isfile(os.path.join(ROOT, "VERSION")) or
        os.path.isdir(os.path.join(ROOT, "..", "..", "lib", "purgkit")))


def version():
    """purgkit's version: in a source tree what scripts/version says (git
    describe on a release tag, else the VERSION file), as make and the
    other tools take it; installed, the VERSION make install wrote."""
    script = os.path.join(ROOT, "scripts", "version")
    if not installed() and os.access(script, os.X_OK):
        out = subprocess.run([script], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    try:
        with open(os.path.join(ROOT, "VERSION")) as f:
            return f.readline().strip() or "unknown"
    except OSError:
        return "unknown"


class VersionAction(argparse.Action):
    """--version: asks for the version only when it is wanted."""

    def __init__(self, option_strings, dest, **kwargs):
        # SUPPRESS: no "version" attribute in the options (RunConfig
        # takes every other one as a field).
        super().__init__(option_strings, dest, nargs=0,
                         default=argparse.SUPPRESS,
                         help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"purgkit-run (purgkit) {version()}")
        parser.exit()


def default_build_dir():
    """Where <arch>/bin/purgkit-load and purgkit-init are: build/ in a
    source tree; PREFIX/lib/purgkit, which make install lays out the same
    way, for an installed purgkit-run.  PURGKIT_BUILD overrides."""
    if os.environ.get("PURGKIT_BUILD"):
        return os.environ["PURGKIT_BUILD"]
    if installed():
        # make install writes where PKGLIBDIR is, relative to ROOT.
        try:
            with open(os.path.join(ROOT, "pkglibdir")) as f:
                relative = f.readline().strip()
        except OSError:
            relative = ""
        return os.path.normpath(os.path.join(
            ROOT, relative or os.path.join("..", "..", "lib", "purgkit")))
    return os.path.join(ROOT, "build")


def default_cache_dir():
    """Downloaded kernels: .cache/kernels in a source tree, the user's
    ~/.cache/purgkit/kernels for an installed purgkit-run (whose prefix
    may not be writable).  PURGKIT_CACHE overrides."""
    if os.environ.get("PURGKIT_CACHE"):
        return os.environ["PURGKIT_CACHE"]
    if installed():
        return os.path.join(os.path.expanduser("~"), ".cache", "purgkit",
                            "kernels")
    return os.path.join(ROOT, ".cache", "kernels")


def find_init(arch, build_dir, cache_dir, log):
    """build/<arch>/bin/purgkit-init, or a copy compiled into the cache.

    The build rule is in tools/tools.mk; compiling here too lets the harness
    work before ``make`` has run.
    """
    built = os.path.join(build_dir, arch.name, "bin", "purgkit-init")
    if os.path.isfile(built):
        return built
    source = os.path.join(ROOT, "tools", "init", "purgkit-init.c")
    cached = os.path.join(cache_dir, arch.name, "purgkit-init")
    if os.path.isfile(cached) and \
            os.path.getmtime(cached) >= os.path.getmtime(source):
        return cached
    os.makedirs(os.path.dirname(cached), exist_ok=True)
    cmd = [arch.cross_prefix + "gcc", *INIT_CFLAGS, "-o", cached, source]
    log(" ".join(cmd))
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SetupError(f"cannot build purgkit-init: {result.stderr.strip()}")
    return cached


def find_loader(arch, config, build_dir):
    """The loader to put in the initramfs: --loader or the static build."""
    loader = config.loader or os.path.join(build_dir, arch.name, "bin",
                                           "purgkit-load")
    if not os.path.isfile(loader):
        raise SetupError(f"no loader at {loader} (run make, or pass --loader)")
    return loader


def probe_placement(config, arch, build_dir, note):
    """--gdb: a first boot that only loads (exec step -S), to read where
    the loader places the trampoline; the second boot, with the same
    inputs, places it there again (tools/purgkit_run/gdb.py).  Returns
    the host add-symbol-file command, or the probe's RunResult when the
    load itself failed."""
    note("--gdb: a first boot only loads, to learn where the trampoline "
         "goes")
    # With --crash, the probe boots with the reservation and loads with
    # -p as the real run will, but does not panic: the capture
    # trampoline's place depends on the reservation, which is the same.
    probe = dataclasses.replace(
        config, load_args=list(config.load_args) + ["--gdb"],
        exec_args=["-S"], expect=[], expect_old=[], quiet=True, gdb=None,
        gdb_script=None, keep=False, log=None, crash_panic=False)
    result = run(probe, out=io.StringIO())
    texts = [line.text for line in result.lines]
    try:
        return gdbmod.placed_command(texts, arch, config.load_args,
                                     build_dir)
    except gdbmod.GdbError as error:
        if result.verdict.code not in (0, 6):
            result.verdict.reason = "--gdb: the first boot: " + \
                result.verdict.reason
            return result
        raise SetupError(f"--gdb: {error}") from None


def run(config: RunConfig, out=None):
    """Boot, stream, judge.  Returns a RunResult; never leaves QEMU running.

    Console lines are written to ``out`` (default stdout) with their
    prefixes unless ``config.quiet``; SetupError is raised when the kernel,
    init, loader or initramfs cannot be prepared.
    """
    out = out or sys.stdout
    arch = ARCHES[config.arch]
    if config.gdb is not None:
        return run_gdb(config, arch, out)
    return run_one(config, arch, out)


def run_gdb(config, arch, out):
    """--gdb: probe the placement, then boot with QEMU's gdb stub waiting
    before the old kernel runs, and either print gdb's commands or run
    gdb -batch with them and --gdb-script."""
    build_dir = config.build_dir or default_build_dir()

    def note(text):
        if not config.quiet:
            print(f"purgkit-run: {text}", file=sys.stderr, flush=True)

    if config.gdb_script and not shutil.which(gdbmod.GDB):
        raise SetupError(f"--gdb-script: {gdbmod.GDB} is not installed "
                         "(make deps installs it)")
    if config.crash:
        # Where the kernel reserves crash memory follows where KASLR put
        # the kernel; both boots must reserve the same range for the
        # capture trampoline to land where the probe saw it.
        config = dataclasses.replace(config, cmdline_extra=(
            config.cmdline_extra + " nokaslr").strip())
        note("--gdb --crash: the old kernel boots with nokaslr, so both "
             "boots reserve the same crash memory")
    placed = probe_placement(config, arch, build_dir, note)
    if isinstance(placed, RunResult):
        return placed
    port = config.gdb or gdbmod.free_port()
    for text in gdbmod.commands(arch, port, placed):
        note(f"gdb: {text}")
    batch = None
    lock = threading.Lock()
    if config.gdb_script:
        def on_gdb_line(text):
            with lock:
                if not config.quiet:
                    out.write("gdb| " + text + "\n")
                    out.flush()
        try:
            batch = gdbmod.BatchGdb(arch, port, placed, config.gdb_script,
                                    on_gdb_line)
        except gdbmod.GdbError as error:
            raise SetupError(str(error)) from None
    else:
        for text in gdbmod.interactive_help(arch, port, placed):
            note(text)
    real = dataclasses.replace(
        config, load_args=list(config.load_args) + ["--gdb"],
        qemu_args=list(config.qemu_args) + ["-gdb", f"tcp:127.0.0.1:{port}",
                                            "-S"],
        timeout=config.timeout or (None if batch else 86400.0))

    def start_gdb():
        # gdb connects once QEMU listens (read from /proc, no probe
        # connection that the stub would take for gdb's).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not gdbmod.listening(port):
            time.sleep(0.05)
        batch.start()

    if batch:
        threading.Thread(target=start_gdb, daemon=True).start()
    try:
        result = run_one(real, arch, out, placed_gdb=placed)
    finally:
        if batch:
            batch.stop()
    if batch:
        note(f"gdb ended (status {batch.status})")
    return result


def run_one(config, arch, out, placed_gdb=None):
    """One boot (see run)."""
    build_dir = config.build_dir or default_build_dir()
    cache_dir = config.cache_dir or default_cache_dir()
    try:
        log_file = open(config.log, "w") if config.log else None
    except OSError as error:
        raise SetupError(f"--log {config.log}: {error.strerror}") from None

    def note(text):
        line = f"purgkit-run: {text}"
        if not config.quiet:
            print(line, file=sys.stderr, flush=True)
        if log_file:
            log_file.write(line + "\n")

    work_dir = tempfile.mkdtemp(prefix=f"purgkit-run-{arch.name}-")
    try:
        try:
            kernel = config.kernel or fetch_kernel(arch, cache_dir, log=note)
        except KernelError as error:
            raise SetupError(f"no Debian kernel for {arch.name}: {error}")
        if not os.path.isfile(kernel):
            raise SetupError(f"no kernel at {kernel}")
        init = config.init or find_init(arch, build_dir, cache_dir, note)
        loader = find_loader(arch, config, build_dir)
        load_args, files = map_loader_args(config.load_args)
        # A step names host files as the load does (one initramfs path
        # for one host file).
        steps = []
        for step in config.steps:
            mapped, files = map_loader_args(step, files=files)
            steps.append(mapped)
        extra_files = {}
        if config.crash:
            # A capture kernel (-p); the init panics the old kernel
            # instead of the exec step (tools/init/purgkit-init.c).
            load_args = list(load_args) + ["-p"]
            if config.crash_panic:
                extra_files["purgkit/crash"] = b"sysrq c\n"

        loader_name = os.path.basename(loader)
        loader_path = DEFAULT_LOADER_PATH if loader_name == "purgkit-load" \
            else f"/bin/{loader_name}"
        native = arch.dpkg_arch == host_dpkg_arch()
        try:
            libraries = loader_libraries(loader, native, arch.triplet)
            image = build_initramfs(
                init, loader, load_args, files, exec_args=config.exec_args,
                steps=steps,
                loader_path=loader_path, libraries=libraries,
                extra_files=extra_files)
        except InitramfsError as error:
            raise SetupError(str(error))
        initrd = os.path.join(work_dir, "initramfs.cpio")
        with open(initrd, "wb") as f:
            f.write(image)
        debugcon = os.path.join(work_dir, "debugcon.log")
        stderr_path = os.path.join(work_dir, "qemu.stderr")
        cmdline = f"console={arch.console} panic=-1"
        if config.crash:
            cmdline += " crashkernel=" + (config.crashkernel or
                                          arch.crash_kernel)
        if config.lockdown:
            cmdline += " lockdown=" + config.lockdown
        if config.cmdline_extra:
            cmdline += " " + config.cmdline_extra
        if not shutil.which(arch.qemu):
            raise SetupError(f"{arch.qemu} is not installed "
                             "(make deps installs it)")
        try:
            accel = choose_accel(arch, config.accel, kernel, note)
        except AccelError as error:
            raise SetupError(str(error)) from None
        memory = config.memory or (arch.crash_memory if config.crash
                                   else arch.default_memory)
        firmware = None
        if config.secure_boot:
            try:
                firmware = secureboot.prepare(arch, cache_dir, work_dir,
                                              kernel, initrd, cmdline, note)
            except secureboot.SecureBootError as error:
                raise SetupError(str(error)) from None
        cmd = qemu_command(arch, kernel, initrd, cmdline, memory, config.smp,
                           debugcon_path=debugcon, extra_args=config.qemu_args,
                           accel=accel, firmware=firmware)
        note("kernel " + kernel)
        note("loader arguments: -l " + " ".join(load_args))
        note(" ".join(cmd))

        try:
            expectations = [Expectation(p, "old") for p in config.expect_old]
            expectations += [Expectation(p) for p in config.expect]
        except ValueError as error:
            raise SetupError(str(error)) from None
        watcher = ConsoleWatcher(expectations, crash=config.crash)
        timeout = config.timeout or arch.default_timeout
        start = time.monotonic()

        view = LiveView(out, quiet=config.quiet)
        kernel_started = []

        def on_line(text, source):
            line = watcher.feed(text, source)
            if not kernel_started and KERNEL_LOG_LINE.match(text):
                kernel_started.append(line.time)
            view.line(PREFIXES[line.source], text, source)
            if log_file:
                log_file.write(f"{line.time - start:9.3f} "
                               f"{PREFIXES[line.source]}{text}\n")

        def on_partial(text, source, idle):
            watcher.peek(text, source)
            if idle:
                view.partial(PREFIXES[source or watcher.phase], text, source)

        def is_done():
            if watcher.verdict is None and accel == "kvm" and \
                    not kernel_started and \
                    time.monotonic() - start > KVM_BANNER_SECONDS:
                # The trap of a KVM that runs the firmware, then nothing.
                watcher.verdict = Verdict(
                    EXIT_TIMEOUT, "--accel=kvm: no kernel line in "
                    f"{KVM_BANNER_SECONDS:g} s (last line: "
                    f"{last_words([l.text for l in watcher.lines])}): the "
                    "guest seems hung under this KVM; use --accel=tcg, or "
                    "--accel=auto to probe")
            return watcher.verdict is not None

        status = run_qemu(cmd, on_line, is_done, start + timeout,
                          debugcon_path=debugcon, stderr_path=stderr_path,
                          on_partial=on_partial)
        view.close()
        if watcher.verdict is None:
            if status is None:
                watcher.timed_out(timeout)
                if accel == "kvm":
                    watcher.verdict.reason += " (under --accel=kvm; " \
                        "--accel=tcg to compare)"
            elif status != 0 and not watcher.lines:
                with open(stderr_path, errors="replace") as f:
                    complaint = f.read().strip().splitlines()
                watcher.verdict = Verdict(
                    EXIT_SETUP, f"QEMU failed (status {status}"
                    + (", --accel=kvm" if accel == "kvm" else "") + "): "
                    + (complaint[-1] if complaint else "no message"))
            else:
                watcher.qemu_ended(status)
        locked = locked_down_line(config)
        if locked and watcher.verdict.code == 0 and not any(
                locked in l.text for l in watcher.lines if l.phase == "old"):
            # --lockdown, --secure-boot: a pass means nothing if the old
            # kernel was not locked down (no lockdown LSM, no Secure Boot).
            watcher.verdict = Verdict(
                EXIT_ENDED, f"the old kernel never said '{locked}': it was "
                "not locked down")
        if watcher.verdict.code == EXIT_HALTED:
            explain_halt(arch, watcher, config.load_args, build_dir,
                         work_dir, note)
        if placed_gdb:
            again = [l.text for l in watcher.lines
                     if gdbmod.GDB_LINE.search(l.text)]
            if again and again[0].split()[-1] != placed_gdb.split()[-1]:
                note("--gdb: the loader placed the trampoline elsewhere "
                     "this time than in the first boot; gdb's addresses "
                     "are wrong: " + again[0])
        note(("PASS: " if watcher.verdict.code == 0 else "FAIL: ")
             + watcher.verdict.reason)
        return RunResult(watcher.verdict, watcher.lines, watcher.exec_time,
                         status, work_dir, accel)
    finally:
        if config.keep:
            note(f"work directory kept: {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
        if log_file:
            log_file.close()


def locked_down_line(config):
    """What the old kernel must say under --lockdown or --secure-boot."""
    if config.secure_boot:
        return secureboot.LOCKED_LINE
    return LOCKDOWN_LINE if config.lockdown else None


def explain_halt(arch, watcher, load_args, build_dir, work_dir, note):
    """The trampoline halted: name every code address of its dump
    (function and file:line, from the .ro it was loaded from) and say in
    the verdict where it stopped."""
    texts = [l.text for l in watcher.lines if l.phase == "new"]
    names, where, why = Symbolizer(arch, build_dir, ROOT, load_args,
                                   work_dir).symbolize(texts)
    if why:
        note(f"addresses not symbolised: {why}")
    for address, name in names.items():
        what = f" ({arch.fault_pc})" if address == where else ""
        note(f"{address:016x}{what} is {name}")
    if where is not None and where in names:
        watcher.verdict.reason += f", in {names[where]}"


def per_arch(what):
    """A default of each arch, from the table: "2G ppc64le, 1G x86_64"."""
    return ", ".join(f"{what(ARCHES[name])} {name}" for name in sorted(ARCHES))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="purgkit-run",
        usage=f"purgkit-run --arch {{{','.join(sorted(ARCHES))}}} "
              "[options] -- [-l] PURGKIT-LOAD-ARGUMENTS",
        description="Boot a Debian kernel in QEMU whose init runs "
                    "'purgkit-load -l ARGS' then 'purgkit-load -e', and "
                    "stream the console (old|, new|, dbg| prefixes). "
                    "A leading -l or --load in ARGS, typed by habit, is "
                    "accepted: the init adds its own. A payload that draws "
                    "a screen is read as lines (a cursor move to another "
                    "row ends one; other escape sequences are dropped), an "
                    "unended row is shown after 0.3 s, and --expect "
                    "matches text as it arrives.",
        epilog="Without --expect, a run passes when the guest powers off or "
               "writes 0x10 to isa-debug-exit (port 0xf4; 0x11 is failure), "
               "as purgkit's test payloads do. "
               "Exit codes: 0 pass, 1 setup error, 2 usage, 3 timeout, "
               "4 kernel panic/BUG/oops, 5 loader failed, 6 exec returned, "
               "7 QEMU ended before every --expect matched (or, without "
               "--expect, without success), 8 the trampoline halted "
               "(its dump's addresses named as function (file:line)), "
               "130 interrupted. "
               "See purgkit-run(1) and docs/purgkit-run.md.")
    parser.add_argument("-V", "--version", action=VersionAction)
    parser.add_argument("--arch", required=True,
                        type=lambda name: ALIASES.get(name, name),
                        choices=sorted(ARCHES),
                        help="the guest's architecture (arm64 is aarch64)")
    parser.add_argument("--smp", type=int, default=1, metavar="N")
    parser.add_argument("--memory", metavar="SIZE",
                        help="guest RAM (default "
                             f"{per_arch(lambda a: a.default_memory)})")
    parser.add_argument("--timeout", type=float, metavar="S",
                        help="seconds (default "
                             f"{per_arch(lambda a: f'{a.default_timeout:g}')}"
                             ")")
    parser.add_argument("--expect", action="append", default=[],
                        metavar="PATTERN",
                        help="substring, or 're:REGEX', that must appear "
                             "after the exec (new| or dbg| lines; 'new:' or "
                             "'dbg:' first restricts the source); "
                             "repeatable, in order")
    parser.add_argument("--expect-old", action="append", default=[],
                        metavar="PATTERN",
                        help="the same, for what must appear before the exec "
                             "(firmware, old kernel, loader: old| or dbg| "
                             "lines); repeatable, in order")
    parser.add_argument("--accel", choices=ACCELS, default="tcg",
                        help="tcg (default: the same result on every host); "
                             "kvm: -accel kvm -cpu host (x86_64 guest on an "
                             "x86_64 host: fast, host CPU features such as "
                             "SHA-NI); auto: KVM if a probe boot of the "
                             "kernel works here, else TCG, saying which")
    parser.add_argument("--kernel", metavar="FILE",
                        help="boot this kernel instead of Debian's")
    parser.add_argument("--loader", metavar="FILE",
                        help="loader binary (default build/ARCH/bin/"
                             "purgkit-load); a dynamic host-arch binary "
                             "gets its libraries too")
    parser.add_argument("--init", metavar="FILE",
                        help="init binary (default build/ARCH/bin/"
                             "purgkit-init)")
    parser.add_argument("--exec-arg", action="append", dest="exec_args",
                        metavar="ARG",
                        help="argument of the exec step (default -e); "
                             "repeatable")
    parser.add_argument("--step", action="append", default=[],
                        dest="steps", metavar="ARGS",
                        type=shlex.split,
                        help="after the load and before the exec step (or "
                             "the panic), run purgkit-load ARGS (one string, "
                             "split as the shell would; host files in it "
                             "are copied as the load's are), e.g. "
                             "--step='-S -p'; each "
                             "step's exit status is printed and the run "
                             "goes on; repeatable, in order")
    parser.add_argument("--crash", action="store_true",
                        help="the crash path: load with purgkit-load -p, then "
                             "panic the old kernel (sysrq 'c') so the new "
                             "phase is the capture kernel; the old kernel "
                             "gets crashkernel= and more RAM (2G)")
    parser.add_argument("--crashkernel", metavar="SIZE",
                        help="with --crash: crashkernel=SIZE for the old "
                             "kernel (default 256M x86_64, 512M ppc64le)")
    parser.add_argument("--gdb", nargs="?", type=int, const=0,
                        metavar="PORT",
                        help="stop QEMU for gdb before the old kernel runs "
                             "(stub on localhost:PORT, default any free "
                             "port) and print the commands that stop gdb "
                             "in the placed trampoline (hbreak "
                             "pk_trampoline_main); a first, short boot "
                             "learns the placement")
    parser.add_argument("--gdb-script", metavar="FILE",
                        help="with --gdb: run gdb-multiarch -batch with "
                             "those commands, then FILE (its output as "
                             "gdb| lines); end FILE with 'detach' to let "
                             "the run go on")
    parser.add_argument("--cmdline-extra", default="", metavar="TEXT",
                        help="appended to the old kernel's command line")
    parser.add_argument("--lockdown", choices=LOCKDOWN_MODES,
                        help="boot the old kernel with lockdown=MODE, and "
                             "fail the run unless it says it is locked "
                             "down: kexec_load is then refused, and only "
                             "kexec_file_load (purgkit-load -s) of a kernel "
                             "it verifies is allowed")
    parser.add_argument("--secure-boot", action="store_true",
                        help="x86_64: boot the old kernel as Debian boots "
                             "under UEFI Secure Boot (Debian's OVMF with "
                             "Microsoft's keys, signed shim and GRUB, "
                             "fetched like the kernel), and fail the run "
                             "unless it says Secure Boot locked it down; "
                             "its keyrings then trust Debian's signature")
    parser.add_argument("--qemu-arg", action="append", default=[],
                        dest="qemu_args", metavar="ARG",
                        help="passed to QEMU as is; repeatable")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory (initramfs, logs)")
    parser.add_argument("--log", metavar="FILE",
                        help="also write the console, with times, to FILE")
    parser.add_argument("--quiet", action="store_true",
                        help="print only the verdict")
    parser.add_argument("--cache", dest="cache_dir", metavar="DIR",
                        help="kernel cache (default here: "
                             f"{default_cache_dir()}; $PURGKIT_CACHE "
                             "overrides)")
    parser.add_argument("--build", dest="build_dir", metavar="DIR",
                        help="build tree (default here: "
                             f"{default_build_dir()}; $PURGKIT_BUILD "
                             "overrides)")
    parser.add_argument("load_args", nargs="*", metavar="LOAD-ARGUMENTS")
    if "--" in argv:
        split = argv.index("--")
        options = parser.parse_args(argv[:split])
        options.load_args = argv[split + 1:]
    else:
        options = parser.parse_args(argv)
    options.load_args = without_load_option(options.load_args)
    if not options.load_args:
        parser.error("no loader arguments (put them after --)")
    if options.smp < 1:
        parser.error("--smp must be at least 1")
    if options.secure_boot and options.arch not in secureboot.FIRMWARE:
        parser.error(f"--secure-boot: no Secure Boot firmware for "
                     f"{options.arch} (only "
                     f"{', '.join(sorted(secureboot.FIRMWARE))})")
    if options.secure_boot and options.lockdown:
        parser.error("--secure-boot locks the kernel down itself "
                     "(integrity); it does not go with --lockdown")
    if options.crashkernel and not options.crash:
        parser.error("--crashkernel goes with --crash")
    if options.gdb_script and options.gdb is None:
        options.gdb = 0
    if options.gdb is not None and options.exec_args:
        parser.error("--gdb runs the exec step itself; it does not go "
                     "with --exec-arg")
    if options.gdb is not None and not 0 <= options.gdb < 65536:
        parser.error(f"--gdb={options.gdb}: not a TCP port")
    if options.crash and options.exec_args:
        parser.error("--crash panics the old kernel instead of the exec "
                     "step; it does not go with --exec-arg")
    for phase, patterns in (("old", options.expect_old),
                            ("new", options.expect)):
        for pattern in patterns:
            try:
                Expectation(pattern, phase)
            except ValueError as error:
                parser.error(str(error))
    return options


def without_load_option(load_args):
    """The loader arguments without a leading -l/--load: the init runs
    "purgkit-load -l ARGS" itself, and kexec-tools users type -l by habit
    ("-l FILE", "-lFILE", "--load FILE", "--load=FILE" all name FILE)."""
    if not load_args:
        return load_args
    first, rest = load_args[0], list(load_args[1:])
    if first in ("-l", "--load"):
        return rest
    if first.startswith("--load="):
        return [first[len("--load="):]] + rest
    if first.startswith("-l") and not first.startswith("--"):
        return [first[2:]] + rest
    return list(load_args)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    options = parse_args(sys.argv[1:] if argv is None else argv)
    config = RunConfig(**vars(options))
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)
    try:
        result = run(config)
    except SetupError as error:
        print(f"purgkit-run: FAIL: {error}", file=sys.stderr)
        return EXIT_SETUP
    except KeyboardInterrupt:
        print("purgkit-run: interrupted; QEMU stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    if options.quiet:
        print(("PASS: " if result.verdict.code == 0 else "FAIL: ")
              + result.verdict.reason, file=sys.stderr)
    return result.verdict.code
