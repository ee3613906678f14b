# SPDX-License-Identifier: MIT
"""purgkit-run itself: its cpio writer, its file mapping rule, its console
verdicts, and that every way a run can end is reported and leaves no QEMU."""

import os
import re
import signal
import subprocess
import time
import uuid

import pytest

import build_targets
from e2e_support import PURGKIT_RUN, debian_kernel, require_qemu
from purgkit_run import cli, kernel
from purgkit_run.arches import ARCHES
from purgkit_run.console import (ConsoleWatcher, Expectation, EXIT_ENDED,
                                 EXIT_EXEC, EXIT_HALTED, EXIT_INTERRUPTED,
                                 EXIT_LOADER, EXIT_OK, EXIT_PANIC,
                                 EXIT_TIMEOUT)
from purgkit_run import gdb as gdbmod, symbolize
from purgkit_run.cpio import CpioWriter
from purgkit_run.initramfs import loader_libraries, map_loader_args

STAND_IN_LOADER = r"""
#include <stdio.h>
int main(int argc, char **argv)
{
	fprintf(stderr, "stand-in loader: cannot load %s\n",
		argc > 2 ? argv[2] : "(nothing)");
	return 3;
}
"""

DEBUG_PORT_WRITER = r"""
#include <stdio.h>
#include <sys/io.h>
int main(void)
{
	const char *text = "hello from port 0xe9\n";

	if (ioperm(0xe9, 1, 1) || ioperm(0xf4, 4, 1)) {
		perror("ioperm");
		return 1;
	}
	while (*text)
		outb(*text++, 0xe9);
	outb(0x7, 0xf4);	/* isa-debug-exit: QEMU ends with (7 << 1) | 1 */
	return 0;
}
"""


# --- the newc writer, with GNU cpio as the oracle --------------------------

def sample_archive():
    writer = CpioWriter()
    writer.add_file("init", b"#!/bin/sh\n", mode=0o755)
    writer.add_file("purgkit/files/odd-length.bin", bytes(range(251)))
    writer.add_file("purgkit/files/empty", b"")
    writer.add_directory("empty-dir")
    writer.add_symlink("bin/link", "../init")
    return writer


def test_cpio_listing_matches_gnu_cpio():
    writer = sample_archive()
    writer.add_device("dev/console", "c", 5, 1)
    listing = subprocess.run(["cpio", "-t", "--quiet"], input=writer.finish(),
                             capture_output=True, check=True).stdout.decode()
    assert sorted(listing.split()) == sorted([
        "init", "purgkit", "purgkit/files", "purgkit/files/odd-length.bin",
        "purgkit/files/empty", "empty-dir", "bin", "bin/link",
        "dev", "dev/console"])


def test_cpio_contents_round_trip_through_gnu_cpio(tmp_path):
    data = sample_archive().finish()
    subprocess.run(["cpio", "-i", "-d", "--quiet", "--no-absolute-filenames"],
                   input=data, cwd=tmp_path, check=True)
    assert (tmp_path / "init").read_bytes() == b"#!/bin/sh\n"
    assert os.stat(tmp_path / "init").st_mode & 0o777 == 0o755
    odd = tmp_path / "purgkit/files/odd-length.bin"
    assert odd.read_bytes() == bytes(range(251))
    assert (tmp_path / "purgkit/files/empty").read_bytes() == b""
    assert (tmp_path / "empty-dir").is_dir()
    assert os.readlink(tmp_path / "bin/link") == "../init"


def test_cpio_refuses_duplicate_names():
    writer = CpioWriter()
    writer.add_file("a", b"1")
    with pytest.raises(ValueError):
        writer.add_file("/a", b"2")


# --- the host file mapping rule ---------------------------------------------

def test_mapping_rewrites_file_options_and_positionals(tmp_path):
    kernel = tmp_path / "vmlinuz"
    initrd = tmp_path / "initrd.img"
    dtb = tmp_path / "board.dtb"
    module = tmp_path / "mod.elf"
    for path in (kernel, initrd, dtb, module):
        path.write_bytes(b"x")
    args, files = map_loader_args([
        str(kernel), "--type=linux", f"--initrd={initrd}", "--dtb", str(dtb),
        f"--module={module} arg1 arg2", "--append=root=/dev/sda quiet"])
    assert args == [
        "/purgkit/files/vmlinuz", "--type=linux",
        "--initrd=/purgkit/files/initrd.img", "--dtb",
        "/purgkit/files/board.dtb",
        "--module=/purgkit/files/mod.elf arg1 arg2",
        "--append=root=/dev/sda quiet"]
    assert files == {
        "/purgkit/files/vmlinuz": str(kernel),
        "/purgkit/files/initrd.img": str(initrd),
        "/purgkit/files/board.dtb": str(dtb),
        "/purgkit/files/mod.elf": str(module)}


def test_mapping_carries_the_file_of_set_at_file(tmp_path):
    """--set SYMBOL=@FILE patches FILE's bytes: FILE must be in the guest;
    other --set values are left alone."""
    blob = tmp_path / "regs.bin"
    blob.write_bytes(b"\0" * 8)
    args, files = map_loader_args([
        "--set", f"pk_blob=@{blob}", f"--set=pk_other=@{blob}",
        "--set", "pk_serial_baud=9600", "--set", 'pk_name="@not-a-file"'])
    assert args == ["--set", "pk_blob=@/purgkit/files/regs.bin",
                    "--set=pk_other=@/purgkit/files/regs.bin",
                    "--set", "pk_serial_baud=9600",
                    "--set", 'pk_name="@not-a-file"']
    assert files == {"/purgkit/files/regs.bin": str(blob)}


def test_mapping_leaves_missing_files_and_other_options_alone(tmp_path):
    args, files = map_loader_args(["/no/such/file", "--initrd=/no/such/initrd",
                                   "--append", "console=ttyS0", "-e"])
    assert args == ["/no/such/file", "--initrd=/no/such/initrd", "--append",
                    "console=ttyS0", "-e"]
    assert files == {}


def test_mapping_leaves_values_of_other_options_alone(tmp_path,
                                                     monkeypatch):
    """A two-word option's value is not a file, whatever lies in the cwd."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "linux").write_bytes(b"not the payload")
    (tmp_path / "payload").write_bytes(b"elf")
    args, files = map_loader_args(["payload", "--type", "linux", "--append",
                                   "linux"])
    assert args == ["/purgkit/files/payload", "--type", "linux", "--append",
                    "linux"]
    assert list(files) == ["/purgkit/files/payload"]


def test_mapping_names_never_collide(tmp_path):
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
    (tmp_path / "a" / "image").write_bytes(b"1")
    (tmp_path / "b" / "2-image").write_bytes(b"2")
    (tmp_path / "c" / "image").write_bytes(b"3")
    args, files = map_loader_args([str(tmp_path / "a" / "image"),
                                   str(tmp_path / "b" / "2-image"),
                                   str(tmp_path / "c" / "image")])
    assert len(set(args)) == 3 and len(files) == 3


def test_mapping_keeps_same_basenames_apart(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "image", tmp_path / "b" / "image"
    first.write_bytes(b"1")
    second.write_bytes(b"2")
    args, files = map_loader_args([str(first), f"--initrd={second}",
                                   f"--purgatory={first}"])
    assert args[0] != args[1].split("=", 1)[1]
    assert args[2] == f"--purgatory={args[0]}"
    assert len(files) == 2


def test_a_step_names_host_files_as_the_load_does(tmp_path):
    """purgkit-run maps each --step after the load, going on from the
    load's mapping: one initramfs path for one host file."""
    kernel, initrd = tmp_path / "vmlinuz", tmp_path / "initrd.img"
    kernel.write_bytes(b"k")
    initrd.write_bytes(b"i")
    load, files = map_loader_args([str(kernel), "-s"])
    step, more = map_loader_args(["-a", "-l", str(kernel),
                                  f"--initrd={initrd}", "-S"], files=files)
    assert step == ["-a", "-l", load[0],
                    "--initrd=/purgkit/files/initrd.img", "-S"]
    assert more == {load[0]: str(kernel),
                    "/purgkit/files/initrd.img": str(initrd)}
    assert files == {load[0]: str(kernel)}       # the load's is unchanged


def test_lockdown_option_takes_the_kernels_modes():
    options = cli.parse_args(["--arch", "x86_64", "--lockdown=integrity",
                              "--", "vmlinuz"])
    assert options.lockdown == "integrity"
    assert cli.RunConfig(**vars(options)).lockdown == "integrity"
    with pytest.raises(SystemExit):
        cli.parse_args(["--arch", "x86_64", "--lockdown=full", "--", "x"])


def test_secure_boot_is_x86_64_and_locks_down_itself(capsys):
    assert cli.parse_args(["--arch", "x86_64", "--secure-boot", "--",
                           "x"]).secure_boot
    for typed, why in (
            (["--arch", "ppc64le", "--secure-boot"],
             "--secure-boot: no Secure Boot firmware for ppc64le (only "
             "x86_64)"),
            (["--arch", "x86_64", "--secure-boot", "--lockdown=integrity"],
             "--secure-boot locks the kernel down itself (integrity); it "
             "does not go with --lockdown")):
        with pytest.raises(SystemExit):
            cli.parse_args(typed + ["--", "x"])
        assert why in capsys.readouterr().err


def test_secure_boot_grub_words_keep_the_command_line():
    """GRUB reads the kernel's command line as script words: each is
    single-quoted, a quote inside one escaped as the shell does."""
    from purgkit_run.secureboot import grub_word
    assert grub_word("console=ttyS0") == "'console=ttyS0'"
    assert grub_word("a'b;$x") == "'a'\\''b;$x'"


def test_foreign_dynamic_loader_gets_interpreter_and_libc(tmp_path):
    source = tmp_path / "hello.c"
    source.write_text("int main(void) { return 0; }\n")
    arch = ARCHES["ppc64le"]
    dynamic, static = tmp_path / "dynamic", tmp_path / "static"
    subprocess.run([arch.cross_prefix + "gcc", "-o", str(dynamic),
                    str(source)], check=True)
    subprocess.run([arch.cross_prefix + "gcc", "-static", "-o", str(static),
                    str(source)], check=True)
    libraries = loader_libraries(str(dynamic), False, arch.triplet)
    assert libraries["/lib64/ld64.so.2"].startswith(f"/usr/{arch.triplet}/")
    assert f"/lib/{arch.triplet}/libc.so.6" in libraries
    assert all(os.path.isfile(host) for host in libraries.values())
    assert loader_libraries(str(static), False, arch.triplet) == {}


# --- the arch table ---------------------------------------------------------

@pytest.mark.parametrize("arch", sorted(ARCHES))
def test_arch_table_agrees_with_the_target_rows(arch):
    """purgkit-run's arch table holds what QEMU needs; the names it shares
    with the build are the target row's (mk/targets/<arch>.mk, read
    through build/targets.json), so the two cannot drift apart."""
    row = ARCHES[arch]
    assert arch in build_targets.TARGETS, \
        f"purgkit-run's arch {arch} has no row in mk/targets/"
    assert row.name == arch
    assert row.triplet == build_targets.fact("triplet", arch)
    assert row.dpkg_arch == build_targets.fact("deb_arch", arch)
    assert row.cross_prefix == build_targets.cross_compile(arch)


def test_purgkit_init_is_compiled_with_the_builds_flags():
    """A purgkit-init the harness compiles (before `make`) warns and fails
    as the build's: its flags are tools/tools.mk's rule's, as make would
    run it (make -n)."""
    target = next(t for t in build_targets.TARGETS
                  if build_targets.fact("static_tools", t) == "yes"
                  and build_targets.have_compiler(t))
    out = subprocess.run(
        ["make", "-n", "-B", "-C", build_targets.ROOT,
         f"BUILD={build_targets.BUILD}",
         f"{build_targets.BUILD}/{target}/bin/purgkit-init"],
        capture_output=True, text=True, check=True).stdout
    words = next(line.split() for line in out.splitlines()
                 if line.split()[:1] == [
                     build_targets.cross_compile(target) + "gcc"])
    assert words[1:words.index("-o")] == cli.INIT_CFLAGS, out


def test_help_names_the_arches_and_their_defaults_from_the_table():
    text = subprocess.run([PURGKIT_RUN, "--help"], capture_output=True,
                          text=True, check=True).stdout
    text = " ".join(text.split())      # as read, not as argparse wraps it
    assert f"--arch {{{','.join(sorted(ARCHES))}}}" in text
    for name, row in ARCHES.items():
        assert f"{row.default_memory} {name}" in text
        assert f"{row.default_timeout:g} {name}" in text


# --- skips --------------------------------------------------------------------

# The one file whose tests may skip, and why: whether KVM runs a guest,
# and whether the CPU has SHA-NI, are facts of the host, not of the
# install (the others fail saying what to install or build).
MAY_SKIP = {"test_accel.py"}
SKIP = re.compile(r"\bpytest\.(?:skip\b|importorskip\b|xfail\b|"
                  r"mark\.(?:skip|skipif|xfail)\b)")


def test_only_host_facts_skip_an_end_to_end_test():
    """What e2e_support.py promises: a missing tool, kernel or output
    fails; only test_accel.py skips."""
    folder = os.path.dirname(os.path.abspath(__file__))
    found = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py") or name in MAY_SKIP:
            continue
        with open(os.path.join(folder, name)) as f:
            for number, line in enumerate(f, 1):
                code = line.split("#", 1)[0]
                if SKIP.search(code):
                    found.append(f"tests/e2e/{name}:{number}: {line.strip()}")
    assert not found, "an end-to-end test skips (fail instead, saying " \
        "what is missing):\n" + "\n".join(found)
    with open(os.path.join(folder, "test_accel.py")) as f:
        assert SKIP.search(f.read()), "MAY_SKIP names a file that no " \
            "longer skips"


# --- the command line ----------------------------------------------------------

@pytest.mark.parametrize("typed", [
    ["-l", "vmlinuz"], ["-lvmlinuz"], ["--load", "vmlinuz"],
    ["--load=vmlinuz"], ["vmlinuz"]])
def test_a_leading_load_option_typed_by_habit_is_accepted(typed):
    options = cli.parse_args(["--arch", "x86_64", "--"] + typed +
                             ["--type=linux", "--append=-l"])
    assert options.load_args == ["vmlinuz", "--type=linux", "--append=-l"]


def test_every_option_is_a_field_of_the_run():
    """What main() does with the parsed options: each one becomes a
    RunConfig field (an option that does not, such as -V, leaves none)."""
    options = cli.parse_args(["--arch", "arm64", "--", "vmlinuz"])
    config = cli.RunConfig(**vars(options))
    assert config.arch == "aarch64" and config.load_args == ["vmlinuz"]


def test_a_lone_load_option_is_no_loader_arguments():
    result = subprocess.run([PURGKIT_RUN, "--arch", "x86_64", "--", "-l"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == \
        "purgkit-run: error: no loader arguments (put them after --)"


@pytest.mark.parametrize("typed, port, script", [
    (["--gdb"], 0, None), (["--gdb=4321"], 4321, None),
    (["--gdb-script", "s.gdb"], 0, "s.gdb"),
    (["--gdb=99", "--gdb-script", "s.gdb"], 99, "s.gdb")])
def test_gdb_options(typed, port, script):
    options = cli.parse_args(["--arch", "x86_64"] + typed + ["--", "x"])
    assert (options.gdb, options.gdb_script) == (port, script)


def test_gdb_goes_with_crash():
    options = cli.parse_args(["--arch", "x86_64", "--gdb", "--crash", "--",
                              "x"])
    assert options.gdb == 0 and options.crash


@pytest.mark.parametrize("typed, why", [
    (["--gdb", "--exec-arg=-S"], "--gdb runs the exec step itself"),
    (["--gdb=70000"], "--gdb=70000: not a TCP port")])
def test_gdb_refusals_name_the_option(typed, why):
    result = subprocess.run([PURGKIT_RUN, "--arch", "x86_64"] + typed +
                            ["--", "x"], capture_output=True, text=True)
    assert result.returncode == 2
    assert why in result.stderr.splitlines()[-1]


def test_gdb_line_of_the_loader_becomes_the_hosts_file(tmp_path):
    """The probe boot's 'purgkit-load: gdb:' line names the guest's file;
    gdb gets the host's .ro at the same addresses."""
    arch = ARCHES["x86_64"]
    line = ("purgkit-load: gdb: add-symbol-file /purgkit/files/own.ro "
            "-s .text 0x1000 -s .bss 0x3000")
    assert gdbmod.placed_command(["noise", line], arch,
                                 ["x", "--purgatory=/home/me/own.ro"],
                                 str(tmp_path)) == \
        "add-symbol-file /home/me/own.ro -s .text 0x1000 -s .bss 0x3000"
    (tmp_path / "x86_64" / "trampolines").mkdir(parents=True)
    (tmp_path / "x86_64" / "trampolines" / "multiboot.ro").write_bytes(b"")
    built = gdbmod.placed_command(
        ["purgkit-load: gdb: add-symbol-file multiboot.ro -s .text 0x1000"],
        arch, ["x"], str(tmp_path))
    assert built == (f"add-symbol-file {tmp_path}/x86_64/trampolines/"
                     "multiboot.ro -s .text 0x1000")
    with pytest.raises(gdbmod.GdbError, match="no 'purgkit-load: gdb:'"):
        gdbmod.placed_command(["noise"], arch, ["x"], str(tmp_path))


def test_gdb_commands_stop_with_hbreak_in_every_arch():
    for arch in ARCHES.values():
        commands = gdbmod.commands(arch, 1234, "add-symbol-file x.ro")
        assert commands[0] == f"set architecture {arch.gdb_architecture}"
        assert arch.gdb_architecture, arch.name
        assert "target remote localhost:1234" in commands
        assert commands[-1] == "hbreak pk_trampoline_main"


# --- the kernel cache ---------------------------------------------------------

def test_kernel_unpack_leaves_only_the_finished_package(tmp_path,
                                                        monkeypatch):
    """A failed download leaves nothing behind; a good one appears whole
    and is reused without asking apt again."""
    calls = []

    def fake_run(cmd, cwd=None, log=None):
        calls.append(cmd[0])
        if cmd[0] == "apt-get":
            if len(calls) == 1:
                open(os.path.join(cwd, "half.deb"), "wb").close()
                raise kernel.KernelError("network down")
            open(os.path.join(cwd, "linux-image-9_ppc64el.deb"),
                 "wb").close()
        elif cmd[0] == "dpkg":
            os.makedirs(os.path.join(cmd[3], "boot"))
            open(os.path.join(cmd[3], "boot", "vmlinux-9"), "wb").close()
        return ""

    monkeypatch.setattr(kernel, "_run", fake_run)
    arch_dir = tmp_path / "arch"
    arch_dir.mkdir()
    with pytest.raises(kernel.KernelError):
        kernel._unpack([], "linux-image-9", str(arch_dir), None)
    assert os.listdir(arch_dir) == []
    unpacked = kernel._unpack([], "linux-image-9", str(arch_dir), None)
    assert os.listdir(arch_dir) == ["linux-image-9"]
    assert kernel.glob_kernels(str(arch_dir)) == [
        os.path.join(unpacked, "boot", "vmlinux-9")]
    before = len(calls)
    assert kernel._unpack([], "linux-image-9", str(arch_dir), None) == \
        unpacked
    assert len(calls) == before


# --- console verdicts --------------------------------------------------------

def feed_all(watcher, lines):
    for number, text in enumerate(lines):
        watcher.feed(text, now=float(number))
    return watcher


def test_console_prefixes_switch_at_the_exec_marker():
    watcher = feed_all(ConsoleWatcher([]), [
        "[    0.0] Linux version", "purgkit-init: executing",
        "payload says hi"])
    assert [l.source for l in watcher.lines] == ["old", "old", "new"]
    assert watcher.exec_time == 1.0


def test_expectations_match_in_order_and_accept_regex():
    watcher = ConsoleWatcher([Expectation("second"), Expectation("re:fir.t")])
    feed_all(watcher, ["purgkit-init: executing", "first", "second"])
    assert watcher.verdict is None
    watcher.feed("first again")
    assert watcher.verdict.code == EXIT_OK


def test_expectations_can_be_restricted_to_one_source():
    watcher = ConsoleWatcher([Expectation("new:Linux version")])
    feed_all(watcher, ["[    0.0] Linux version 6.1",
                       "purgkit-init: executing"])
    assert watcher.verdict is None
    watcher.feed("[    0.0] Linux version 6.1")
    assert watcher.verdict.code == EXIT_OK
    assert Expectation("new:re:^x$").matches("x", "new")
    assert not Expectation("dbg:x").matches("x", "new")


@pytest.mark.parametrize("pattern", ["new:re:^x\\d$", "re:new:^x\\d$"])
def test_source_and_regex_prefixes_come_in_either_order(pattern):
    expectation = Expectation(pattern)
    assert expectation.source == "new"
    assert expectation.matches("x1", "new")
    assert not expectation.matches("x1", "dbg")
    assert not expectation.matches("new:x1", "new")


def test_an_old_source_in_the_regex_first_order_is_refused_for_expect():
    with pytest.raises(ValueError, match="--expect-old"):
        Expectation("re:old:boot")


def test_expect_counts_only_after_the_exec_so_firmware_text_cannot_pass():
    """The old machine's option ROM or kernel may print what the payload
    prints; --expect waits for the new phase."""
    watcher = feed_all(ConsoleWatcher([Expectation("PAYLOAD RESULT: PASS")]),
                       ["iPXE: PAYLOAD RESULT: PASS", "purgkit-init: executing"])
    assert watcher.verdict is None
    watcher.feed("PAYLOAD RESULT: PASS")
    assert watcher.verdict.code == EXIT_OK


def test_expect_old_counts_before_the_exec_and_fails_once_it_is_past():
    watcher = ConsoleWatcher([Expectation("new:hello"),
                              Expectation("SeaBIOS", "old")])
    feed_all(watcher, ["SeaBIOS (version 1.16)", "purgkit-init: executing"])
    watcher.feed("hello", "dbg")
    assert watcher.verdict is None
    watcher.feed("hello")
    assert watcher.verdict.code == EXIT_OK
    late = feed_all(ConsoleWatcher([Expectation("loaded", "old")]),
                    ["purgkit-init: executing", "loaded"])
    assert late.verdict.code == EXIT_ENDED
    assert late.verdict.reason == \
        "the exec came before --expect-old 'loaded' appeared"


@pytest.mark.parametrize("option, pattern, message", [
    ("--expect", "old:Linux version", "purgkit-run: error: --expect "
     "'old:Linux version': old| lines come before the exec; use "
     "--expect-old 'Linux version'"),
    ("--expect-old", "new:hi", "purgkit-run: error: --expect-old 'new:hi': "
     "new| lines come after the exec; use --expect 'hi'"),
    ("--expect", "re:(", "purgkit-run: error: --expect 're:(': bad regular "
     "expression: missing ), unterminated subpattern at position 0"),
])
def test_a_pattern_of_the_wrong_phase_is_refused_saying_what_to_type(
        option, pattern, message):
    result = subprocess.run([PURGKIT_RUN, "--arch", "x86_64", option, pattern,
                             "--", "payload"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == message


@pytest.mark.parametrize("status, code, reason", [
    (33, EXIT_OK, "QEMU ended: the guest wrote 0x10 to isa-debug-exit: "
     "success"),
    (35, EXIT_ENDED, "QEMU ended: the guest wrote 0x11 to isa-debug-exit: "
     "failure"),
    (15, EXIT_ENDED, "QEMU ended: the guest wrote 0x7 to isa-debug-exit: not "
     "a code of the convention (0x10 success, 0x11 failure)"),
    (0, EXIT_OK, "QEMU ended: the guest powered off"),
    (1, EXIT_ENDED, "QEMU ended: QEMU exited with status 1: its own error, "
     "or 0 written to isa-debug-exit, which the convention leaves unused"),
])
def test_without_expect_the_way_qemu_ends_is_the_verdict(status, code,
                                                         reason):
    watcher = ConsoleWatcher([])
    watcher.qemu_ended(status)
    assert (watcher.verdict.code, watcher.verdict.reason) == (code, reason)


def test_with_expect_missing_even_a_success_ending_fails():
    watcher = ConsoleWatcher([Expectation("hello")])
    watcher.qemu_ended(33)
    assert watcher.verdict.code == EXIT_ENDED
    assert watcher.verdict.reason == "QEMU ended (the guest wrote 0x10 to " \
        "isa-debug-exit: success) before 'hello' appeared"


def test_loader_failure_quotes_the_loader():
    watcher = feed_all(ConsoleWatcher([Expectation("never")]), [
        "purgkit-init: loading: /bin/purgkit-load -l x",
        "[    2.1] some kernel line",
        "purgkit-load: x: not an ELF file",
        "purgkit-init: loader failed (exit 1)"])
    assert watcher.verdict.code == EXIT_LOADER
    assert "purgkit-load: x: not an ELF file" in watcher.verdict.reason
    assert "some kernel line" not in watcher.verdict.reason


def test_panic_exec_return_and_early_end_are_failures():
    panic = feed_all(ConsoleWatcher([]), [
        "purgkit-init: executing",
        "[    0.5] Kernel panic - not syncing: VFS: Unable to mount root"])
    assert panic.verdict.code == EXIT_PANIC
    assert panic.verdict.reason.startswith("new payload")
    returned = feed_all(ConsoleWatcher([]), [
        "purgkit-init: executing", "purgkit-init: exec returned (exit 1)"])
    assert returned.verdict.code == EXIT_EXEC
    ended = ConsoleWatcher([Expectation("hello")])
    ended.qemu_ended(0)
    assert ended.verdict.code == EXIT_ENDED
    assert "'hello'" in ended.verdict.reason


FAULT_LINES = [
    "purgkit-init: executing",
    "purgkit: trampoline fault.ro at 0x3ffd6000..0x3ffdea00",
    "fault: about to execute ud2",
    "purgkit: CPU exception 6 (#UD invalid opcode), error code 0x0",
    "purgkit: fault at 000000003ffd605d = image 3ffd6000 + 0x5d, in "
    "fault_here+0x14",
    "  rip 000000003ffd605d  cs 0010  rflags 0000000000010002",
    "  rsp 000000003ffdbf70  ss 0000  cr2 0000000000000000",
    "purgkit: halted"]


@pytest.mark.parametrize("last", [
    "purgkit: halted", "purgkit: refusing to start the payload; halted"])
def test_a_halted_trampoline_ends_the_run_with_its_own_code(last):
    watcher = feed_all(ConsoleWatcher([]), FAULT_LINES[:-1] + [last])
    assert watcher.verdict.code == EXIT_HALTED
    assert watcher.verdict.reason == "the trampoline halted: CPU exception " \
        "6 (#UD invalid opcode), error code 0x0"


def test_a_halt_line_before_the_exec_or_expected_is_no_halt():
    # Before the exec no trampoline runs: the old kernel's text is not it.
    old = feed_all(ConsoleWatcher([]), ["purgkit: halted"])
    assert old.verdict is None
    # A run that expects the halt passes on it.
    expected = feed_all(ConsoleWatcher([Expectation("purgkit: halted")]),
                        FAULT_LINES)
    assert expected.verdict.code == EXIT_OK


def test_the_dump_names_its_addresses_in_the_image_only():
    dump = symbolize.dump_lines(["purgkit: trampoline x at 0x1000..0x2000",
                                 "purgkit: sha256 ok"] + FAULT_LINES[3:])
    assert dump[0].startswith("purgkit: CPU exception")
    assert symbolize.WHERE.match(FAULT_LINES[4]).group(1) == \
        "000000003ffd605d"
    assert symbolize.BANNER.search(FAULT_LINES[1]).groups() == \
        ("fault.ro", "3ffd6000", "3ffdea00")
    # An SDK without the table prints no name: still the bounds.
    assert symbolize.BANNER.search(
        "purgkit: trampoline at 0x1000..0x2000").groups() == \
        (None, "1000", "2000")


def test_the_trampoline_file_is_the_purgatory_or_the_builds_own(tmp_path):
    arch = ARCHES["x86_64"]
    assert symbolize.trampoline_file(
        arch, "fault.ro", ["x.elf", "--purgatory=/home/me/fault.ro"],
        str(tmp_path)) == ("/home/me/fault.ro", None)
    assert symbolize.trampoline_file(
        arch, "x.ro", ["--purgatory", "/a/x.ro"], str(tmp_path)) == \
        ("/a/x.ro", None)
    (tmp_path / "x86_64" / "trampolines").mkdir(parents=True)
    (tmp_path / "x86_64" / "trampolines" / "multiboot.ro").write_bytes(b"")
    assert symbolize.trampoline_file(arch, "multiboot", ["x.elf"],
                                     str(tmp_path))[0] == \
        str(tmp_path / "x86_64" / "trampolines" / "multiboot.ro")
    path, why = symbolize.trampoline_file(arch, None, ["x.elf"],
                                          str(tmp_path))
    assert path is None and "pk_symbol_table" in why


CRASH_LINES = ["[   9.1] purgkit-init: executing (crash: sysrq c)",
               "[  10.5] sysrq: Trigger a crash",
               "[  10.5] Kernel panic - not syncing: sysrq triggered crash"]


@pytest.mark.parametrize("after, code", [
    ([], EXIT_ENDED),                                    # rebooted: nothing
    (["[  10.6] Rebooting in 1 seconds.."], EXIT_ENDED),
    (["purgkit: trampoline at 0x7ffe0000..0x7ffeb760"], EXIT_OK),
    (["[    0.000000] Linux version 6.1.0"], EXIT_OK),     # clock restarted
])
def test_crash_run_passes_only_if_the_panic_started_something(after, code):
    """--crash: the panic is asked for, but a run in which the old kernel
    then just reboots (QEMU's -no-reboot ends it like a power-off) had no
    capture kernel, and says so."""
    watcher = feed_all(ConsoleWatcher([], crash=True), CRASH_LINES + after)
    assert watcher.verdict is None
    watcher.qemu_ended(0)
    assert watcher.verdict.code == code, watcher.verdict
    if code == EXIT_ENDED:
        assert "no capture kernel started" in watcher.verdict.reason


# --- real boots --------------------------------------------------------------

def stand_in_loader(arch, tmp_path, program=STAND_IN_LOADER):
    """A static program for ``arch`` (by default one that prints a message
    and exits 3), to stand in for the loader."""
    source = tmp_path / "stand-in.c"
    source.write_text(program)
    binary = tmp_path / f"stand-in-{arch}"
    subprocess.run([ARCHES[arch].cross_prefix + "gcc", "-static", "-O2",
                    "-o", str(binary), str(source)], check=True)
    return str(binary)


def qemu_processes_with(tag):
    """PIDs whose command line contains ``tag``."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if tag.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            continue
    return found


def harness_command(arch, tag, loader, *options):
    return [PURGKIT_RUN, "--arch", arch, "--kernel", debian_kernel(arch),
            "--loader", loader, "--cmdline-extra", f"purgkit.test={tag}",
            *options, "--", "/no/such/payload"]


@pytest.mark.qemu
@pytest.mark.parametrize("arch", sorted(ARCHES))
def test_loader_failure_is_reported_with_its_message(arch, tmp_path,
                                                     run_purgkit):
    tag = uuid.uuid4().hex
    result = run_purgkit(arch, ["/no/such/payload"], ["never printed"],
                         loader=stand_in_loader(arch, tmp_path),
                         cmdline_extra=f"purgkit.test={tag}")
    assert result.code == EXIT_LOADER, result.why
    assert "loader failed (exit 3)" in result.reason
    assert "stand-in loader: cannot load /no/such/payload" in result.reason
    assert "old| purgkit-init: started" in result.console
    assert qemu_processes_with(tag) == []


@pytest.mark.qemu
def test_timeout_is_reported_and_qemu_is_gone(tmp_path, run_purgkit):
    tag = uuid.uuid4().hex
    result = run_purgkit("x86_64", ["/no/such/payload"], ["never printed"],
                         timeout=3, loader=stand_in_loader("x86_64", tmp_path),
                         cmdline_extra=f"purgkit.test={tag}")
    assert result.code == EXIT_TIMEOUT, result.why
    assert "timeout after 3 s" in result.reason
    assert "'never printed'" in result.reason
    assert qemu_processes_with(tag) == []


@pytest.mark.qemu
def test_interrupt_stops_qemu(tmp_path):
    require_qemu("x86_64")
    tag = uuid.uuid4().hex
    command = harness_command("x86_64", tag, stand_in_loader("x86_64",
                                                             tmp_path),
                              "--expect", "never printed")
    process = subprocess.Popen(command, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().startswith("old| ")
        assert qemu_processes_with(tag), "QEMU should be running by now"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == EXIT_INTERRUPTED
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    time.sleep(0.5)
    assert qemu_processes_with(tag) == []


@pytest.mark.qemu
def test_debug_console_and_isa_debug_exit_are_reported(tmp_path, run_purgkit):
    loader = stand_in_loader("x86_64", tmp_path, DEBUG_PORT_WRITER)
    result = run_purgkit("x86_64", ["x"], ["never printed"], loader=loader,
                         extra_options=["--expect-old",
                                        "dbg:hello from port 0xe9"])
    assert "dbg| hello from port 0xe9" in result.console
    assert result.code == EXIT_ENDED, result.why
    assert "wrote 0x7 to isa-debug-exit" in result.reason
    assert "'never printed'" in result.reason
