"""Parser marks (0-based) to file positions (1-based), computed once per node.

Lines are the text split on `\\n`; a trailing `\\r` (CRLF files) belongs to no column. The YAML
parser also breaks lines at a lone `\\r`, NEL, LS and PS, so for texts that hold any of those
the line and column come from the mark's character index instead of the parser's own counts.

A `Locator` may describe a text embedded in another file (a YAML string inside a YAML file):
then every position is mapped through the embedded text's `origins` onto the host file, or is
the embedded text's `anchor` when its lines cannot be mapped.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from redislint.model import Span

if TYPE_CHECKING:
    from redislint.sources.embedded import EmbeddedText

_EXOTIC_BREAKS = ("\x85", "\u2028", "\u2029")


def has_exotic_breaks(text: str) -> bool:
    """True when the YAML parser would count lines differently from `text.split('\\n')`."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return True
    return any(b in text for b in _EXOTIC_BREAKS)


class Locator:
    """Positions in one text (`path`, `text`), optionally mapped onto a host file."""

    __slots__ = ("path", "text", "lines", "fast", "_starts", "host", "_host_origins", "_host_anchor",
                 "_direct", "_nlines")

    def __init__(self, path: str, text: str, host: "EmbeddedText | None" = None) -> None:
        self.path = path
        self.text = text
        self.lines = text.split("\n")
        self.fast = not has_exotic_breaks(text)
        self._starts: list[int] | None = None
        self.host = host
        self._host_origins = host.origins if host is not None else None
        self._host_anchor = host.anchor if host is not None else None
        # Marks can be used as they are: plain line breaks and no host file to map onto.
        self._direct = self.fast and host is None
        self._nlines = len(self.lines)

    # -- local positions -------------------------------------------------------------------

    def line_len(self, line0: int) -> int:
        """Length of 0-based line `line0` without a trailing `\\r`."""
        line = self.lines[line0]
        return len(line) - 1 if line.endswith("\r") else len(line)

    def local0(self, index: int) -> tuple[int, int]:
        """0-based (line, column) of a character index, lines split on `\\n`."""
        starts = self._starts
        if starts is None:
            starts = [0]
            pos = 0
            for line in self.lines[:-1]:
                pos += len(line) + 1
                starts.append(pos)
            self._starts = starts
        if index < 0:
            index = 0
        line0 = bisect_right(starts, index) - 1
        col0 = index - starts[line0]
        limit = self.line_len(line0)
        if col0 > limit:
            col0 = limit
        return line0, col0

    def mark0(self, mark) -> tuple[int, int]:
        """0-based (line, column) of a parser mark, in `\\n`-split lines."""
        if self.fast:
            line0 = mark.line
            if line0 < len(self.lines):
                return line0, mark.column
            last = len(self.lines) - 1
            return last, self.line_len(last)
        return self.local0(mark.index)

    # -- spans -----------------------------------------------------------------------------

    def span(self, start_mark, end_mark) -> Span:
        """Span from two marks; an end at column 0 of a later line ends the line before."""
        if self._direct:
            l1 = start_mark.line
            l2 = end_mark.line
            if l2 < self._nlines:
                c2 = end_mark.column
                if c2 == 0 and l2 > l1:
                    l2 -= 1
                    line = self.lines[l2]
                    c2 = len(line) - 1 if line.endswith("\r") else len(line)
                return Span(self.path, l1 + 1, start_mark.column + 1, l2 + 1, c2 + 1)
        l1, c1 = self.mark0(start_mark)
        l2, c2 = self.mark0(end_mark)
        if c2 == 0 and l2 > l1:
            l2 -= 1
            c2 = self.line_len(l2)
        return self.make_span(l1 + 1, c1 + 1, l2 + 1, c2 + 1)

    def point(self, mark, width: int = 1) -> Span:
        """A span of `width` characters (clipped to the line) at a mark."""
        l1, c1 = self.mark0(mark)
        c2 = min(c1 + width, self.line_len(l1))
        return self.make_span(l1 + 1, c1 + 1, l1 + 1, max(c2, c1) + 1)

    def make_span(self, line: int, column: int, end_line: int, end_column: int) -> Span:
        """A Span from local 1-based positions, mapped onto the host file if embedded."""
        if self.host is None:
            return Span(self.path, line, column, end_line, end_column)
        origins = self._host_origins
        if origins is None:
            return self.host.anchor
        hl, hc = self.to_host(line, column)
        el, ec = self.to_host(end_line, end_column)
        return Span(self.host.path, hl, hc, el, ec)

    def to_host(self, line: int, column: int) -> tuple[int, int]:
        """Map a local 1-based position to the host file (identity when not embedded)."""
        origins = self._host_origins
        if self.host is None or origins is None:
            return line, column
        if line > len(origins):
            line = len(origins)
            column = len(self.lines[line - 1]) + 1 if line - 1 < len(self.lines) else 1
        ol, oc = origins[line - 1]
        return ol, oc + column - 1

    @property
    def mapped(self) -> bool:
        """False when positions collapse onto the host's anchor (unmappable embedded text)."""
        return self.host is None or self._host_origins is not None

    @property
    def out_path(self) -> str:
        """The path spans are reported against."""
        return self.path if self.host is None else self.host.path
