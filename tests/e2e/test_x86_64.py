# SPDX-License-Identifier: MIT
"""x86_64 end to end: a Debian kernel in QEMU kexecs, through purgkit-load
and the SDK-built trampolines, into test payloads that report what they got.

Every test reads like what a user would check on the console: the
trampoline verified the image, the payload found itself in the mode its
protocol promises, with the registers and information the loader was asked
to give it.
"""

import json
import re
import subprocess

import pytest

from e2e_support import BUILD, ROOT

pytestmark = pytest.mark.qemu

PAYLOADS = f"{BUILD}/payloads/x86_64"


def payload(name):
    import os
    path = f"{PAYLOADS}/{name}"
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: run `make payloads`", pytrace=False)
    return path


def multiboot_stack_and_idt_are_the_contract(console, name):
    """docs/contract-x86_64.md, "Machine state after a 32-bit hand-off":
    ESP is the top of the trampoline's own stack (the address the
    trampoline prints as it enters), IDTR is empty (limit 0)."""
    stack = re.search(rf"purgkit: {name}: entering 0x[0-9a-f]+ .*, stack at "
                      r"(0x[0-9a-f]+)", console)
    assert stack, console
    esp = int(stack.group(1), 16)
    assert esp and esp % 16 == 0
    assert f"payload: entry esp={esp:#010x} idtr.limit=0x0000" in console


def test_multiboot1_kernel_gets_magic_mode_info_cmdline_and_modules(
        run_purgkit, tmp_path):
    module = tmp_path / "module.txt"
    module.write_text("module-contents-here\n")
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot",
        f"--module={module} first-module-args",
        "--append=mb1 cmdline check"],
        expect=["purgkit: sha256 ok", "payload: magic ok",
                "payload: mode ok: protected, paging off, IF=0",
                "payload: cmdline='", "payload: boot loader='purgkit",
                "payload: modules=1", "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    console = result.console
    # The image's name, then --append; the module's name, then its args
    # (purgkit-run copies host files to /purgkit/files/).
    assert ("payload: cmdline name='/purgkit/files/multiboot.elf' "
            "args='mb1 cmdline check'") in console, result.why
    assert ("payload: module string name='/purgkit/files/module.txt' "
            "args='first-module-args'") in console, result.why
    assert "first-bytes='module-contents-" in console
    multiboot_stack_and_idt_are_the_contract(console, "multiboot")
    # The memory map reached the payload and has usable RAM in it.
    assert re.search(r"payload: mmap .* type 1", console), result.why


def test_multiboot2_kernel_gets_magic_mode_and_tags(run_purgkit, tmp_path):
    module = tmp_path / "initrd.bin"
    module.write_bytes(b"MB2MODULE" * 100)
    result = run_purgkit("x86_64", [
        payload("multiboot2.elf"), "--type=multiboot2",
        f"--module={module} mb2-module", "--append=mb2 cmdline check"],
        expect=["purgkit: sha256 ok", "payload: magic ok",
                "payload: mode ok",
                "payload: cmdline='/purgkit/files/multiboot2.elf mb2 "
                "cmdline check'",
                "payload: boot loader='purgkit", "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    assert ("payload: module string name='/purgkit/files/initrd.bin' "
            "args='mb2-module'") in result.console, result.why
    assert re.search(r"payload: mmap .* type 1", result.console), result.why
    multiboot_stack_and_idt_are_the_contract(result.console, "multiboot2")


def contract_registers(structure):
    """The register names of a raw hand-off's block, from the contract's
    one source (purgkit/regs.h through build/host/contract.json)."""
    with open(f"{BUILD}/host/contract.json") as f:
        return set(json.load(f)["structs"][structure]["fields"])


def registers_reach_the_payload(run_purgkit, mode, regs, digits):
    """Give each register of regs with --reg; the payload prints every
    register it found at its entry."""
    args = [payload(f"raw{mode}.elf"), "--type=elf"]
    args += [f"--reg={name}={value:#x}" for name, value in regs.items()]
    result = run_purgkit("x86_64", args, expect=[
        f"purgkit: raw{mode}: entering", f"payload: raw{mode} running",
        "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    for name, value in regs.items():
        assert f"{name}={value:#0{digits + 2}x}" in result.console, name
    return result.console


def test_raw64_payload_gets_every_register_in_long_mode(run_purgkit):
    regs = {"rax": 0x1111111111111111, "rbx": 0x2222222222222222,
            "rcx": 0x3333333333333333, "rdx": 0x4444444444444444,
            "rsi": 0x5555555555555555, "rdi": 0x6666666666666666,
            "rbp": 0x7777777777777777, "r8": 0x8888888888888888,
            "r9": 0x9999999999999999, "r10": 0xaaaaaaaaaaaaaaaa,
            "r11": 0xbbbbbbbbbbbbbbbb, "r12": 0xcccccccccccccccc,
            "r13": 0xdddddddddddddddd, "r14": 0xeeeeeeeeeeeeeeee,
            "r15": 0x0123456789abcdef}
    # Every register of the block but the entry (rip, the ELF's) and the
    # stack pointer, which stays 0 as the long-mode contract allows.
    assert set(regs) == contract_registers("pk_x86_64_regs") - {"rip", "rsp"}
    registers_reach_the_payload(run_purgkit, 64, regs, 16)


def test_raw32_payload_gets_every_register_in_protected_mode(run_purgkit):
    regs = {"eax": 0x0badc0de, "ebx": 0x12345678, "ecx": 0x9abcdef0,
            "edx": 0x0f0f0f0f, "esi": 0xa5a5a5a5, "edi": 0x5a5a5a5a,
            "ebp": 0x00c0ffee, "esp": 0x00090000}
    # Every register of the block but the entry (eip, the ELF's).
    assert set(regs) == contract_registers("pk_x86_32_regs") - {"eip",
                                                                 "reserved"}
    console = registers_reach_the_payload(run_purgkit, 32, regs, 8)
    # The block's ESP, and an empty IDT (the contract's 32-bit table).
    assert "payload: entry esp=0x00090000 idtr.limit=0x0000" in console


def test_raw16_payload_runs_in_real_mode_with_its_segments(run_purgkit):
    regs = {"eax": 0x00001616, "ebx": 0xbeef0001, "esi": 0x00005151,
            "esp": 0x00007000, "ds": 0x0000, "es": 0x1234, "fs": 0x2345,
            "gs": 0x3456, "ss": 0x0000, "cs": 0x0000}
    args = [payload("raw16.bin"), "--type=raw", "--address=0x8000",
            "--entry=0x8000", "--mode=16"]
    args += [f"--reg={name}={value:#x}" for name, value in regs.items()]
    result = run_purgkit("x86_64", args, expect=[
        "purgkit: raw16: entering", "payload: raw16 running",
        "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    for name in ("eax", "ebx", "esi", "esp"):
        assert f"{name}={regs[name]:#010x}" in result.console, name
    for name in ("es", "fs", "gs", "cs"):
        assert f"{name}={regs[name]:#06x}" in result.console, name


def test_corrupted_segment_is_caught_and_the_payload_never_runs(run_purgkit):
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot",
        "--test-corrupt-segment=0"],
        expect=["purgkit: SHA-256 MISMATCH", "purgkit:   expected",
                "purgkit:   computed",
                "purgkit: refusing to start the payload; halted"])
    assert result.code == 0, result.why
    assert "payload:" not in result.console


def test_no_checks_skips_verification_and_boots(run_purgkit):
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot", "--no-checks"],
        expect=["purgkit: integrity check disabled by the loader",
                "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    assert "sha256 ok" not in result.console


def test_debugcon_console_carries_the_trampoline_output(run_purgkit):
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot", "--console=debugcon"],
        expect=["purgkit: sha256 ok", "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    assert "dbg| purgkit: sha256 ok" in result.console
    # Only debugcon was asked for: the trampoline wrote nothing to serial.
    assert "new| purgkit: sha256" not in result.console


def test_memory_log_is_readable_by_the_next_program(run_purgkit):
    address = 0x3000000
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot",
        f"--console=memlog,{address:#x}", f"--append=memlog={address:#x}"],
        expect=[f"payload: memlog at={address:#010x}",
                "payload: memlog| purgkit: sha256 ok",
                "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why


def build_out_of_tree(tmp_path, source_dir, name, target="x86_64"):
    """Install purgkit (for target) into a fresh prefix and build
    source_dir against it, as a user would; returns the folder holding
    the .ro."""
    prefix = tmp_path / "prefix"
    subprocess.run(["make", "-s", "-C", ROOT, "install",
                    f"PREFIX={prefix}", f"TARGETS={target}"],
                   check=True, capture_output=True)
    work = tmp_path / name
    subprocess.run(["cp", "-r", source_dir, str(work)], check=True)
    subprocess.run(["make", "-s", "-C", str(work), f"PURGKIT_PREFIX={prefix}"],
                   check=True, capture_output=True)
    return work


def test_a_fault_in_the_trampoline_prints_its_state_and_halts(run_purgkit,
                                                              tmp_path):
    """A fault ends the run at once (exit 8, not a timeout) and names its
    function twice: the runtime from the loader's table (image base +
    offset, fault_here+0x..), purgkit-run from the .ro's debug
    information (fault.c and the line of the ud2)."""
    work = build_out_of_tree(tmp_path, f"{ROOT}/tests/e2e/trampolines",
                             "fault")
    source = f"{ROOT}/tests/e2e/trampolines/fault.c"
    with open(source) as f:
        line = next(n for n, text in enumerate(f, 1) if "FAULT LINE" in text)
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot",
        f"--purgatory={work}/fault.ro"],
        expect=["fault: about to execute ud2",
                "purgkit: CPU exception 6 (#UD invalid opcode), error code 0x0",
                "rbx 1122334455667788", "r12 0badc0de0badc0de"])
    assert result.code == 0, result.why
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot",
        f"--purgatory={work}/fault.ro"])
    assert result.code == 8, result.why
    assert re.search(r"rip [0-9a-f]{16}  cs 0010", result.console), result.why
    assert re.search(r"purgkit: fault at [0-9a-f]{16} = image [0-9a-f]+ "
                     r"\+ 0x[0-9a-f]+, in fault_here\+0x[0-9a-f]+",
                     result.console), result.why
    assert "purgkit: halted" in result.console
    assert "payload:" not in result.console
    assert "the trampoline halted: CPU exception 6 (#UD invalid opcode)" \
        in result.reason, result.why
    assert re.search(rf"in fault_here \(\S*fault\.c:{line}\)$",
                     result.reason), result.stderr
    assert re.search(rf"\(rip\) is fault_here \(\S*fault\.c:{line}\)",
                     result.stderr), result.stderr


def test_user_trampoline_built_out_of_tree_runs(run_purgkit, tmp_path):
    work = build_out_of_tree(tmp_path, f"{ROOT}/examples/hello", "hello")
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot",
        f"--purgatory={work}/hello.ro",
        "--set", 'hello_greeting="greetings from out of tree"'],
        expect=["purgkit: sha256 ok",
                "hello: greetings from out of tree (cpu vendor",
                "payload: magic ok", "PAYLOAD RESULT: PASS"])
    assert result.code == 0, result.why
    # pk_memory_map(): the guest's RAM (purgkit-run's default -m is 1 GiB
    # or more) less what the old kernel's firmware keeps and the segments.
    ram = re.search(r"hello: (\d+) memory ranges, (\d+) MiB of RAM free",
                    result.console)
    assert ram and int(ram.group(1)) >= 3 and int(ram.group(2)) >= 512, \
        result.console


def test_gdb_stops_in_the_placed_trampoline_and_steps_to_the_hand_off(
        run_purgkit, tmp_path):
    """purgkit-run --gdb-script: gdb-multiarch, in batch mode, stops at
    pk_trampoline_main in the trampoline as placed (hbreak, file and
    line), reads a symbol the loader patched, runs to the hand-off, then
    detaches; the payload boots as without gdb."""
    script = tmp_path / "trampoline.gdb"
    script.write_text("continue\n"
                      "print/x pk_multiboot_entry\n"
                      "hbreak pk_x86_64_enter_protected32\n"
                      "continue\n"
                      "detach\n")
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot"],
        extra_options=["--gdb-script", str(script)])
    assert result.code == 0, result.why
    gdb = [line[len("gdb| "):] for line in result.console.splitlines()
           if line.startswith("gdb| ")]
    text = "\n".join(gdb)
    assert re.search(r"Breakpoint 1, pk_trampoline_main \(\) at "
                     r"trampolines/x86_64/multiboot\.c:\d+", text), text
    # The value the loader patched: the payload's entry, as the
    # trampoline prints it before it enters.
    patched = re.search(r"^\$1 = (0x[0-9a-f]+)$", text, re.M)
    assert patched, text
    assert f"multiboot: entering {patched.group(1)} in 32-bit protected " \
        "mode" in result.console, result.why
    assert re.search(r"Breakpoint 2, pk_x86_64_enter_protected32 ", text), \
        text
    assert "[Inferior 1 (process 1) detached]" in text
    assert "PAYLOAD RESULT: PASS" in result.console
    assert "hbreak pk_trampoline_main" in result.stderr


# Bits of the registers docs/contract-x86_64.md's state table names.
STATE_BITS = {
    "CR0": {"PE": 0, "MP": 1, "EM": 2, "TS": 3, "ET": 4, "NE": 5, "WP": 16,
            "PG": 31},
    "CR4": {"PAE": 5, "PGE": 7, "OSFXSR": 9, "OSXMMEXCPT": 10, "LA57": 12},
    "EFER": {"SCE": 0, "LME": 8, "LMA": 10, "NXE": 11},
    "RFLAGS": {"IF": 9, "DF": 10},
}


def state_table():
    """docs/contract-x86_64.md's "Machine state at pk_trampoline_main":
    {register: its cell}."""
    with open(f"{ROOT}/docs/contract-x86_64.md") as f:
        text = f.read()
    section = text.split("## Machine state at `pk_trampoline_main`")[1]
    section = section.split("\n## ")[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("register", "---"):
            rows[cells[0]] = cells[1]
    return rows


def test_machine_state_at_pk_trampoline_main_is_the_table(run_purgkit,
                                                          tmp_path):
    """A trampoline of its own reads CR0, CR4, EFER, RFLAGS, GDTR, IDTR,
    the segments and RSP at pk_trampoline_main; each must be what the
    contract's table says (bits NAME=0|1, "in the image", exact values)."""
    work = build_out_of_tree(tmp_path, f"{ROOT}/tests/e2e/trampolines",
                             "state")
    subprocess.run(["make", "-s", "-C", str(work), "state.ro",
                    f"PURGKIT_PREFIX={tmp_path}/prefix"], check=True,
                   capture_output=True)
    result = run_purgkit("x86_64", [
        payload("multiboot.elf"), "--type=multiboot",
        f"--purgatory={work}/state.ro"])
    assert result.code == 0, result.why
    seen = {}
    for line in result.console.splitlines():
        match = re.match(r"new\| state: (\w+) (.*)$", line)
        if match:
            seen[match.group(1)] = [int(v, 16) for v in
                                    match.group(2).split()]
    start, end = seen.pop("image")
    table = state_table()
    checked = 0
    for register, cell in table.items():
        if register not in seen:
            continue
        value = seen[register][0]
        for name, bit in re.findall(r"\b([A-Z0-9]+)=([01])\b", cell):
            assert (value >> STATE_BITS[register][name]) & 1 == int(bit), \
                f"{register} {value:#x}: {name} is not {bit} ({cell})"
            checked += 1
        if cell.startswith("in the image"):
            assert start <= value < end, f"{register} {value:#x}"
            checked += 1
        limit = re.search(r"limit (0x[0-9a-f]+)", cell)
        if limit:
            assert seen[register][1] == int(limit.group(1), 16), register
            checked += 1
        if re.fullmatch(r"0x[0-9a-f]+", cell):
            assert value == int(cell, 16), f"{register} {value:#x}"
            checked += 1
    # Every register the trampoline read has a row, and was checked.
    assert set(seen) <= set(table), set(seen) - set(table)
    assert checked >= 20, checked
    # pk_x86_64_map_mmio: the HPET, unmapped in the old kernel's identity
    # map, reads as QEMU's (vendor 0x8086, a 10 ns = 10^7 fs period).
    hpet = re.search(r"mmio: HPET capabilities 0x([0-9a-f]+)",
                     result.console)
    assert hpet, result.console
    caps = int(hpet.group(1), 16)
    assert (caps >> 16) & 0xffff == 0x8086 and caps >> 32 == 10_000_000, \
        hex(caps)
