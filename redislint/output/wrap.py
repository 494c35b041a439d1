"""Wrap lines of styled text to a terminal width at word boundaries, with a hanging indent.

A line is a list of `(text, style)` segments (the text format's `Line`). Wrapping keeps each
word's style, breaks only at spaces (a word longer than the width is cut where it must be), and
starts every continuation line with `indent` spaces, so a message reads as one block under its
heading. Widths are terminal cells: East Asian wide and fullwidth characters take two, combining
marks none (what terminals do; `unicodedata` is enough, no rich import).
"""

from __future__ import annotations

import re
import unicodedata

Segment = tuple[str, str | None]
Line = list[Segment]

_WORD_RE = re.compile(r"\S+|\s+")


def cells(text: str) -> int:
    """Terminal cells `text` takes."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _cut(word: str, room: int) -> tuple[str, str]:
    """`word` split so that the head takes at most `room` cells (at least one character)."""
    used = 0
    for i, ch in enumerate(word):
        used += cells(ch)
        if used > room:
            return word[:max(i, 1)], word[max(i, 1):]
    return word, ""


def wrap_line(line: Line, width: int, indent: int) -> list[Line]:
    """`line` as one or more lines of at most `width` cells; continuation lines start with `indent` spaces.

    `width` <= 0, or a line that already fits, comes back unchanged. The leading white space of
    the line is kept on its first line; white space at a break is dropped.
    """
    if width <= 0 or sum(cells(t) for t, _ in line) <= width:
        return [line]
    indent = min(indent, max(width // 2, 0))
    tokens: list[tuple[str, str | None]] = []
    for text, style in line:
        tokens += [(m.group(), style) for m in _WORD_RE.finditer(text)]
    out: list[Line] = []
    current: Line = []
    used = 0
    pending: list[tuple[str, str | None]] = []  # white space between words, emitted only before a word
    for text, style in tokens:
        if text.isspace():
            if current:
                pending.append((text, style))
            else:
                current.append((text, style))  # the line's own leading indentation
                used += cells(text)
            continue
        gap = sum(cells(t) for t, _ in pending)
        size = cells(text)
        if current and used + gap + size > width and used > indent:
            out.append(current)
            current, used, pending, gap = [(" " * indent, None)], indent, [], 0
        current += pending
        used += gap
        pending = []
        while used + size > width and width - used > 0 and size > width - indent:
            head, text = _cut(text, width - used)  # a word longer than a whole line: cut it
            current.append((head, style))
            out.append(current)
            current, used = [(" " * indent, None)], indent
            size = cells(text)
        if text:
            current.append((text, style))
            used += size
    if current:
        out.append(current)
    return out


def wrap_text(text: str, width: int, indent: int) -> list[str]:
    """Plain `text` (one line) wrapped as `wrap_line` does."""
    return ["".join(t for t, _ in line) for line in wrap_line([(text, None)], width, indent)]
