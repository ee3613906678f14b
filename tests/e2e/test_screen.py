# SPDX-License-Identifier: MIT
"""Payloads that draw a screen: cursor-addressing escape sequences and no
newline (memory testers, menus, installers).  purgkit-run turns the drawing
into lines, shows an unended row live, and matches --expect as text
arrives (tools/purgkit_run/screen.py)."""

import os
import select
import subprocess
import time

import pytest

from e2e_support import BUILD, PURGKIT_RUN, debian_kernel, require_qemu
from purgkit_run.screen import ScreenText

SCREEN = f"{BUILD}/payloads/x86_64/screen.elf"


def lines_of(*chunks):
    screen = ScreenText()
    lines = []
    for chunk in chunks:
        lines += screen.push(chunk)
    return lines + screen.flush()


# --- the decoder ------------------------------------------------------------

def test_printed_lines_read_as_before():
    assert lines_of(b"\x1bc\x1b[?7l\x1b[2JSeaBIOS\r\npart", b"ial\r\n",
                    b"\r\n", b"tab\there\n") == \
        ["SeaBIOS", "partial", "", "tab\there"]


def test_a_cursor_move_to_another_row_ends_the_line():
    assert lines_of(b"\x1b[2J\x1b[1;1HMemtest\x1b[3;1HPass 1",
                    b"\x1b[5;10HTime 0:01") == \
        ["Memtest", "Pass 1", "Time 0:01"]


def test_other_sequences_are_dropped_and_columns_stay_apart():
    assert lines_of(b"\x1b[1;1H\x1b[1;37;44mCPU:\x1b[0m\x1b[1;20H4 cores"
                    b"\x1b(B\x1b]0;title\x07\x1b[?25l\x1b[K\x1b[2;1H") == \
        ["CPU: 4 cores"]


def test_a_row_redrawn_in_place_gives_one_line_per_drawing():
    assert lines_of(b"\x1b[6;1Hprogress  5%\x1b[6;1Hprogress  6%",
                    b"\rprogress  7%\n") == \
        ["progress  5%", "progress  6%", "progress  7%"]


def test_blank_rows_of_a_screen_are_not_lines():
    assert lines_of(b"\x1b[1;1H" + b" " * 80 + b"\x1b[2;1H" + b" " * 80 +
                    b"\x1b[3;1Htext   \x1b[4;1H") == ["text"]


def test_the_unended_row_is_pending_as_it_arrives():
    screen = ScreenText()
    assert screen.push(b"\x1b[7;1H\x1b[42mPAYLOAD RES") == []
    assert screen.pending == "PAYLOAD RES"
    screen.push(b"ULT: PA")
    assert screen.pending == "PAYLOAD RESULT: PA"


def test_a_sequence_split_across_reads_is_still_one_sequence():
    assert lines_of(b"row one\x1b[", b"2;", b"1Hrow two\x1b", b"[0m\n") == \
        ["row one", "row two"]


# --- a real screen-drawing payload ------------------------------------------

@pytest.mark.qemu
def test_screen_payload_is_shown_live_logged_as_lines_and_matched(tmp_path):
    """The test payload draws its report with escape sequences and never
    ends its last row: purgkit-run shows a half-drawn row before the rest
    comes, logs one line per row, and passes on the unended last row."""
    require_qemu("x86_64")
    if not os.path.isfile(SCREEN):
        pytest.fail(f"{SCREEN} does not exist: run `make payloads`",
                    pytrace=False)
    log = tmp_path / "console.log"
    process = subprocess.Popen(
        [PURGKIT_RUN, "--arch", "x86_64", "--kernel", debian_kernel("x86_64"),
         "--expect", "payload: magic ok",
         "--expect", "PAYLOAD RESULT: PASS", "--log", str(log), "--",
         SCREEN, "--type=multiboot"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen, half_row_shown = b"", False
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 1.0)
            if not ready:
                continue
            data = os.read(process.stdout.fileno(), 65536)
            if not data:
                break
            seen += data
            # The half-drawn row alone at the end of what has arrived: it
            # was shown before the payload drew the rest of it.
            if seen.endswith(b"new| screen: half a row"):
                half_row_shown = True
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
    stderr = process.stderr.read().decode()
    console = seen.decode()
    assert code == 0, stderr + console[-2000:]
    assert half_row_shown, console[-2000:]
    assert "new| screen: half a row and the rest\n" in console
    assert console.rstrip().endswith("new| PAYLOAD RESULT: PASS")
    logged = [line.lstrip().split(" ", 1)[-1] for line in
              log.read_text().splitlines()]
    assert "\x1b" not in log.read_text()
    tail = logged[logged.index("new| screen: a report drawn, not printed "
                               "columns"):]
    assert tail[:4] == ["new| screen: a report drawn, not printed columns",
                        "new| payload: magic ok",
                        "new| screen: half a row and the rest",
                        "new| PAYLOAD RESULT: PASS"]
