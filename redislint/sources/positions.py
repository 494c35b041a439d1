"""Parser marks (0-based) to file positions (1-based), computed once per node.

Lines are the text split on `\\n`; a trailing `\\r` (CRLF files) belongs to no column. The YAML
parser also breaks lines at a lone `\\r`, NEL, LS and PS, so for texts that hold any of those
the line and column come from the mark's character index instead of the parser's own counts.

A `Locator` may describe a text embedded in another file (a YAML string inside a YAML file):
then every position is mapped through the embedded text's `origins` onto the host file, or is
the embedded text's `anchor` when its lines cannot be mapped.
"""

from __future__ import annotations

from bisect import bisect_left
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


class LineIndex:
    """Line numbers and line texts of a text (split on `\\n`), without a list of its lines.

    A list of lines costs some 60 bytes a line whatever the line: 10 MB of line breaks took more
    than 600 MB. This keeps, per block of `BLOCK` characters, how many line breaks come before it
    and where the last one is (built on first use, two C calls a block); a position is found with
    a `str.count` and a `str.rfind` inside its block, a line's start with one split of its block.
    Work per query is bounded by the block size, never by the length of a line or of the text.
    """

    __slots__ = ("text", "count", "_before", "_last_nl", "_near")
    BLOCK = 4096

    def __init__(self, text: str) -> None:
        self.text = text
        self.count = text.count("\n") + 1  # lines
        self._before: list[int] = []
        self._last_nl: list[int] = []
        self._near = (0, 0)  # (line, start) of the last line looked up: the next is often the one after

    def _build(self) -> None:
        text, block = self.text, self.BLOCK
        before, last = self._before, self._last_nl
        breaks, prev = 0, -1
        for s in range(0, len(text) + 1, block):
            before.append(breaks)
            last.append(prev)
            breaks += text.count("\n", s, s + block)
            found = text.rfind("\n", s, s + block)
            if found >= 0:
                prev = found

    def line_col(self, index: int) -> tuple[int, int]:
        """0-based line and column (characters since the line's start) of `0 <= index <= len(text)`."""
        if not self._before:
            self._build()
        b = index // self.BLOCK
        s = b * self.BLOCK
        line0 = self._before[b] + self.text.count("\n", s, index)
        nl = self.text.rfind("\n", s, index)
        return line0, index - 1 - (nl if nl >= 0 else self._last_nl[b])

    def start(self, line0: int) -> int:
        """Where 0-based line `line0` starts (IndexError past the last line)."""
        if not 0 <= line0 < self.count:
            raise IndexError(line0)
        near_line, near_start = self._near
        text = self.text
        if near_line <= line0 <= near_line + 64:
            pos = near_start
            for _ in range(line0 - near_line):
                pos = text.find("\n", pos) + 1
        elif line0 == 0:
            pos = 0
        else:
            if not self._before:
                self._build()
            # The block holding the line0-th line break, then that break inside the block.
            b = bisect_left(self._before, line0) - 1
            s = b * self.BLOCK
            skip = line0 - self._before[b]
            parts = text[s:s + self.BLOCK].split("\n", skip)
            pos = s + sum(map(len, parts[:skip])) + skip
        self._near = (line0, pos)
        return pos

    def bounds(self, line0: int) -> tuple[int, int]:
        """Start and end (the index of its `\\n`, or the text's length) of line `line0`."""
        start = self.start(line0)
        end = self.text.find("\n", start)
        return start, end if end >= 0 else len(self.text)

    def line(self, line0: int) -> str:
        """The text of line `line0`, a trailing `\\r` included."""
        start, end = self.bounds(line0)
        return self.text[start:end]


class Locator:
    """Positions in one text (`path`, `text`), optionally mapped onto a host file."""

    __slots__ = ("path", "text", "index", "fast", "host", "_host_origins", "_host_anchor", "_direct", "_nlines",
                 "_bounds", "_line_key", "_line_int")

    def __init__(self, path: str, text: str, host: EmbeddedText | None = None) -> None:
        self.path = path
        self.text = text
        self.index = LineIndex(text)
        self.fast = not has_exotic_breaks(text)
        self.host = host
        self._host_origins = host.origins if host is not None else None
        self._host_anchor = host.anchor if host is not None else None
        # Marks can be used as they are: plain line breaks and no host file to map onto.
        self._direct = self.fast and host is None
        self._nlines = self.index.count
        self._bounds = (-1, 0, 0)  # (line, start, end) of the last line measured
        self._line_key = -1
        self._line_int = 0

    def _new_line_int(self, line0: int) -> int:
        self._line_key = line0
        self._line_int = line0 + 1
        return self._line_int

    # -- local positions -------------------------------------------------------------------

    @property
    def nlines(self) -> int:
        """How many lines the text has (split on `\\n`)."""
        return self._nlines

    def line(self, line0: int) -> str:
        """0-based line `line0`, a trailing `\\r` included."""
        start, end = self._line_bounds(line0)
        return self.text[start:end]

    def _line_bounds(self, line0: int) -> tuple[int, int]:
        cached, start, end = self._bounds
        if cached != line0:  # many scalars on one long line (a flow list) ask about the same line
            start, end = self.index.bounds(line0)
            self._bounds = (line0, start, end)
        return start, end

    def line_len(self, line0: int) -> int:
        """Length of 0-based line `line0` without a trailing `\\r`."""
        start, end = self._line_bounds(line0)
        return end - start - 1 if end > start and self.text[end - 1] == "\r" else end - start

    def local0(self, index: int) -> tuple[int, int]:
        """0-based (line, column) of a character index, lines split on `\\n`."""
        text = self.text
        index = min(max(index, 0), len(text))
        line0, col0 = self.index.line_col(index)
        if col0 and text[index - 1] == "\r" and text[index:index + 1] in ("\n", ""):
            col0 -= 1  # the end of a line that ends in `\r`: the `\r` has no column of its own
        return line0, col0

    def mark0(self, mark) -> tuple[int, int]:
        """0-based (line, column) of a parser mark, in `\\n`-split lines."""
        if self.fast:
            line0 = mark.line
            if line0 < self._nlines:
                return line0, mark.column
            last = self._nlines - 1
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
                    nl = end_mark.index - 1  # the line break that ends line l2
                    c2 = self.index.line_col(nl)[1]
                    if c2 and self.text[nl - 1] == "\r":
                        c2 -= 1
                # One int object per line number for the nodes of a line (a key and its value): past 256
                # every `l1 + 1` is a new 32-byte object.
                line = self._line_int if self._line_key == l1 else self._new_line_int(l1)
                return Span(self.path, line, start_mark.column + 1, line if l2 == l1 else l2 + 1, c2 + 1)
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
            column = len(self.line(line - 1)) + 1 if line - 1 < self._nlines else 1
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
