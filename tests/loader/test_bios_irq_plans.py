# SPDX-License-Identifier: MIT
"""x86_64: the 16-bit entries give the BIOS back its interrupt state unless
--no-bios-irq-restore says otherwise, and the plan says which (issue 23).
What the trampoline then does is proven in QEMU by
tests/e2e/test_bios_services.py."""
import pytest

from loader_support import patch
from test_linux_raw_elf import bzimage

RESTORED = ("BIOS interrupt state restored (8259s at 0x08/0x70, PIT 18.2 Hz, "
            "LAPIC virtual wire)")
LEFT = ("interrupt controllers as the old kernel left them "
        "(--no-bios-irq-restore)")


def real_mode_linux(write):
    return ["-l", write("bzImage", bzimage()[0]), "--real-mode"]


def raw16(write):
    return ["--type=raw", "-l", write("boot.bin", b"\xf4" * 512),
            "--address=0x7c00", "--mode=16"]


@pytest.mark.parametrize("payload", [real_mode_linux, raw16],
                         ids=["linux-real-mode", "raw16"])
@pytest.mark.parametrize("args, value, says", [
    ([], 1, RESTORED), (["--no-bios-irq-restore"], 0, LEFT)],
    ids=["default", "no-bios-irq-restore"])
def test_16_bit_entry_patches_and_states_the_interrupt_state(
        plan, write, payload, args, value, says):
    p = plan(*payload(write), *args)
    assert patch(p, "pk_bios_irq_restore")["value"] == value
    assert p["payload_entry_mode"].endswith("; " + says)


def test_dry_run_text_says_the_bios_interrupt_state_is_restored(run, write):
    r = run("--dry-run", *real_mode_linux(write))
    assert r.rc == 0
    entry = [line for line in r.stdout.splitlines()
             if line.startswith("payload entry:")]
    assert len(entry) == 1 and entry[0].endswith("; " + RESTORED)


@pytest.mark.parametrize("args, mode", [
    ([], 64), (["--mode=32"], 32)], ids=["64-bit", "32-bit"])
def test_no_bios_irq_restore_refused_for_linux_entries_not_16_bit(
        run, write, args, mode):
    r = run("--dry-run", "-l", write("bzImage", bzimage()[0]), *args,
            "--no-bios-irq-restore")
    assert r.rc != 0
    assert r.error_line() == (
        "purgkit-load: --no-bios-irq-restore is for the 16-bit entry "
        f"(--real-mode, --mode=16); this plan enters in {mode}-bit mode")


def test_no_bios_irq_restore_refused_by_types_without_a_16_bit_entry(
        run, write):
    r = run("--dry-run", "--type=multiboot", "-l", write("k", b"\0" * 64),
            "--no-bios-irq-restore")
    assert r.rc != 0
    assert r.error_line().startswith(
        "purgkit-load: --no-bios-irq-restore is not used by payload type "
        "multiboot on x86_64")
