"""The unified diff `redislint fix --diff` prints: secrets masked, every line safe to print.

The diff is computed on the true lines, as `difflib.unified_diff` (three lines of context, its hunk
headers), so it shows exactly what `fix` would change; only what is printed is masked: each line
with the secret ranges of the text it comes from (`secrets.secret_ranges` over the whole old or new
text, so a password inside a block scalar, an env entry or a Secret is masked in context lines too)
and those the line shows read as a config line (`secrets.shown_line_ranges`), then made safe
(`safe.clean`, `safe.defuse_line`). A masked diff is for reading: `redislint fix` applies the
change to the real file.

Lines end at LF, CRLF or a lone CR (a YAML line break). A last line without a line break is followed
by git's `\\ No newline at end of file`.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from redislint.output import safe
from redislint.secrets import mask_line, secret_ranges, shown_line_ranges

CONTEXT = 3
_LINE_END_RE = re.compile(r"\r\n|\r|\n")
_NO_NEWLINE = "\\ No newline at end of file"


class _Side:
    """One side of the diff: its lines with their endings, and each line as printed (masked, safe)."""

    def __init__(self, text: str) -> None:
        self.lines: list[str] = []
        self.endings: list[str] = []
        pos = 0
        for m in _LINE_END_RE.finditer(text):
            self.lines.append(text[pos:m.start()])
            self.endings.append(m.group())
            pos = m.end()
        if pos < len(text):
            self.lines.append(text[pos:])
            self.endings.append("")
        self._ranges = secret_ranges("\n".join(self.lines))

    def keys(self) -> list[str]:
        """What the diff compares: each line with its ending (a changed ending is a change)."""
        return [line + end for line, end in zip(self.lines, self.endings, strict=True)]

    def shown(self, index: int) -> str:
        ranges = shown_line_ranges(self.lines[index], self._ranges.get(index, []))
        line = mask_line(self.lines[index], ranges) if ranges else self.lines[index]
        return safe.clean(line)  # a line holds no line break: tabs are all `clean` keeps


def render_diff(path: str, old: str, new: str) -> str:
    """`--- a/PATH`, `+++ b/PATH` and the hunks turning `old` into `new`; "" when they are equal."""
    if old == new:
        return ""
    a, b = _Side(old), _Side(new)
    name = safe.clean_name(path)
    out = [f"--- a/{name}", f"+++ b/{name}"]
    for group in SequenceMatcher(None, a.keys(), b.keys()).get_grouped_opcodes(CONTEXT):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += _lines(" ", a, i1, i2)
                continue
            if tag in ("replace", "delete"):
                out += _lines("-", a, i1, i2)
            if tag in ("replace", "insert"):
                out += _lines("+", b, j1, j2)
    return "".join(safe.defuse_line(line) + "\n" for line in out)


def _lines(prefix: str, side: _Side, start: int, stop: int) -> list[str]:
    out = []
    for i in range(start, stop):
        out.append(prefix + side.shown(i))
        if not side.endings[i]:
            out.append(_NO_NEWLINE)
    return out


def _range(start: int, stop: int) -> str:
    """A hunk range as `difflib.unified_diff` writes it (1-based start, length; `N` alone for one line)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start if not length else start + 1},{length}"
