# SPDX-License-Identifier: MIT
"""Turn a serial console byte stream into readable lines.

Most programs print lines.  Payloads with a text UI (memory testers, boot
menus, installers) instead draw a screen: they move the cursor with escape
sequences and write text where it belongs, often without a single newline.
``ScreenText`` reads both kinds the same way and keeps one rule:

- a newline ends the line (an empty line stays an empty line);
- a cursor move to another row ends the line (CUP/HVP ``ESC[r;cH``, VPA
  ``ESC[rd``, cursor up/down/next/previous line, restore cursor, reset);
- writing over text already on the row (after ``\\r``, backspace or a move
  back along the row) ends the line too, so a counter redrawn in place
  reads as one line per value instead of its digits run together;
- a move forward along the row leaves one space, so fields drawn in columns
  stay apart;
- every other escape sequence and control character (colours, clear
  screen, modes, character sets) is dropped.

Lines ended by cursor movement are stripped of trailing blanks, and are not
reported when they hold only blanks (a screen is mostly blanks).

``pending`` is the text of the row being written, so a caller can show it
and match it before the row ends.
"""

import codecs

ESC = "\x1b"
CSI_FINAL = range(0x40, 0x7f)
# ESC followed by one of these then a final byte: a character set
# designation (ESC ( B) or another two-byte sequence; dropped.
INTERMEDIATE = range(0x20, 0x30)


class ScreenText:
    """Feed bytes with ``push``; get complete lines back."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._state = "text"      # text, esc, csi, string (OSC/DCS), st
        self._params = ""
        self._row = 1             # cursor row, 1-based, as the payload sees it
        self._col = 1             # cursor column, 1-based
        self._end = 0             # rightmost column written on this row
        self._saved = (1, 1)
        self._text = []           # characters of the row being written
        self._lines = []

    @property
    def pending(self):
        """The row being written, as far as it has arrived."""
        return "".join(self._text)

    def push(self, data):
        """Add bytes; return the lines they completed."""
        for char in self._decoder.decode(data):
            self._char(char)
        lines, self._lines = self._lines, []
        return lines

    def flush(self):
        """End of stream: the row being written, if it holds any text."""
        lines = self.push(b"")
        rest = "".join(self._text).rstrip()
        self._text = []
        self._end = 0
        return lines + ([rest] if rest else [])

    # --- the character state machine --------------------------------------

    def _char(self, char):
        code = ord(char)
        if self._state == "esc":
            self._escape(char, code)
        elif self._state == "csi":
            if code in CSI_FINAL:
                self._state = "text"
                self._csi(self._params, char)
            elif code < 0x20 or code == 0x7f:
                self._state = "text"
                self._control(char)
            else:
                self._params += char
        elif self._state == "intermediate":
            if code not in INTERMEDIATE:
                self._state = "text"
        elif self._state == "string":
            if char == "\x07":
                self._state = "text"
            elif char == ESC:
                self._state = "st"
        elif self._state == "st":
            self._state = "text" if char == "\\" else "string"
        elif char == ESC:
            self._state = "esc"
        elif code < 0x20 or code == 0x7f or 0x80 <= code < 0xa0:
            self._control(char)
        else:
            self._write(char)

    def _escape(self, char, code):
        self._state = "text"
        if char == "[":
            self._state, self._params = "csi", ""
        elif char in "]PX^_":
            self._state = "string"        # OSC, DCS...: up to BEL or ESC \
        elif code in INTERMEDIATE:
            self._state = "intermediate"
        elif char == "c":                 # reset: cursor home
            self._move(1, 1)
        elif char == "7":
            self._saved = (self._row, self._col)
        elif char == "8":
            self._move(*self._saved)
        elif char == "E":                 # next line
            self._move(self._row + 1, 1)
        elif char in "DM":                # index, reverse index
            self._move(self._row + (1 if char == "D" else -1), self._col)

    def _csi(self, params, final):
        private = params[:1] in ("?", ">", "<", "=")
        numbers = []
        for field in params.lstrip("?><=").split(";"):
            numbers.append(int(field) if field.isdigit() else 0)

        def number(index, default=1):
            value = numbers[index] if index < len(numbers) else 0
            return value or default

        if private:
            return
        if final in "Hf":
            self._move(number(0), number(1))
        elif final == "d":
            self._move(number(0), self._col)
        elif final in "G`":
            self._move(self._row, number(0))
        elif final == "A":
            self._move(self._row - number(0), self._col)
        elif final in "Be":
            self._move(self._row + number(0), self._col)
        elif final == "C":
            self._move(self._row, self._col + number(0))
        elif final == "D":
            self._move(self._row, max(1, self._col - number(0)))
        elif final == "E":
            self._move(self._row + number(0), 1)
        elif final == "F":
            self._move(self._row - number(0), 1)
        elif final == "s":
            self._saved = (self._row, self._col)
        elif final == "u":
            self._move(*self._saved)
        # Anything else (SGR colours, erase, scroll regions...) is dropped.

    def _control(self, char):
        if char == "\n":
            self._end_line(kept=True)
            self._row += 1
            self._col = 1
        elif char == "\r":
            self._col = 1
        elif char == "\b":
            self._col = max(1, self._col - 1)
        elif char == "\t":
            self._write("\t")
            self._col = (self._col - 1) // 8 * 8 + 9
        elif char in "\x0b\x0c":
            self._move(self._row + 1, self._col)
        # Other control characters (NUL, BEL, SO/SI, C1) are dropped.

    def _move(self, row, col):
        if row != self._row:
            self._end_line(kept=False)
        self._row, self._col = max(1, row), max(1, col)

    def _write(self, char):
        if self._col <= self._end:
            # Over text already on this row: a redraw, not a continuation.
            self._end_line(kept=False)
        if self._text and self._col > self._end + 1 and \
                not self._text[-1].isspace():
            self._text.append(" ")
        if char != "\t":
            self._text.append(char)
            self._end = self._col
            self._col += 1
        else:
            self._text.append(char)
            self._end = self._col

    def _end_line(self, kept):
        """End the row being written.  ``kept``: a newline ended it, so it
        is a line even when empty (as printed); otherwise it is reported
        only if it holds text."""
        text = "".join(self._text)
        if kept:
            self._lines.append(text)
        elif text.strip():
            self._lines.append(text.rstrip())
        self._text = []
        self._end = 0
