"""Text held in a file (a redis.conf, or a YAML string value) with each line's file position.

A `configuration: |` block scalar is the usual case: every line of the value is a suffix of its
own line in the YAML file, so a directive on value line 3 points at its own line and column.
Lines that cannot be mapped one to one (folded `>` blocks, quoted or plain scalars that span
lines) fall back to the value's own span, the `anchor`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from redislint.model import Span
from redislint.sources.positions import LineIndex

if TYPE_CHECKING:
    from redislint.sources.positions import Locator


_SPACE = " \t\r\n\x85\u2028\u2029\ufeff"
_SEPARATORS = _SPACE + ",[]{}"


class PhysicalLine(NamedTuple):
    """One line of a block scalar as it stands in the file (after its indentation)."""

    line: int
    column: int
    text: str


class FileOrigins(Sequence[tuple[int, int]]):
    """The origins of a whole file's lines, line i at (i + 1, 1): computed, never stored.

    A tuple of them cost some 90 bytes a line: a 9 MB redis.conf of empty lines took 800 MB.
    """

    __slots__ = ("_n",)

    def __init__(self, n: int) -> None:
        self._n = n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[tuple[int, int], ...]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return tuple((j + 1, 1) for j in range(*i.indices(self._n)))
        j = i + self._n if i < 0 else i
        if not 0 <= j < self._n:
            raise IndexError(i)
        return (j + 1, 1)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FileOrigins):
            return other._n == self._n
        return isinstance(other, tuple) and len(other) == self._n and tuple(self) == other

    def __hash__(self) -> int:
        return hash(("FileOrigins", self._n))

    def __repr__(self) -> str:
        return f"FileOrigins({self._n})"


@dataclass(frozen=True, slots=True)
class EmbeddedText:
    """The lines of a string value and, for each line (split on `\\n`), where it starts.

    `origins[i]` is the 1-based `(line, column)` in the file where text line `i` starts, or
    `origins` is None when the lines cannot be mapped (then every span is `anchor`).
    `folded` is True for a `>` block, whose line breaks YAML turned into spaces;
    `physical_lines` lists the lines of a block scalar as written in the file, so a rule can say
    "this `>` block joins these N lines".
    """

    text: str
    path: str
    origins: Sequence[tuple[int, int]] | None
    anchor: Span
    folded: bool = False
    # The physical lines, or a function that lists them: made when asked for (a 10 MB block
    # scalar has half a million, and most configs never ask).
    physical: tuple[PhysicalLine, ...] | Callable[[], tuple[PhysicalLine, ...]] = field(default=(), compare=False)
    _index: LineIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = LineIndex(self.text)
        object.__setattr__(self, "_index", index)
        if self.origins is not None and len(self.origins) != index.count:
            raise ValueError(f"{len(self.origins)} origins for {index.count} lines")

    @property
    def physical_lines(self) -> tuple[PhysicalLine, ...]:
        """The lines of a block scalar as written in the file (after its indentation)."""
        if callable(self.physical):
            object.__setattr__(self, "physical", self.physical())
        return self.physical  # type: ignore[return-value]

    @property
    def lines(self) -> tuple[str, ...]:
        """Every text line (split on `\\n`); made on each call, for tests and small texts."""
        return tuple(self.text.split("\n"))

    @property
    def line_count(self) -> int:
        """How many text lines there are (split on `\\n`)."""
        return self._index.count

    @property
    def mapped(self) -> bool:
        """True when every line has its own position in the file."""
        return self.origins is not None

    def span(self, line_index: int, start: int = 0, end: int | None = None) -> Span:
        """Span of characters `start:end` (0-based, in text line `line_index`) in the file.

        `end=None` means the end of the line (a trailing `\\r` excluded). Offsets are clipped to
        the line. Without origins, the anchor.
        """
        first, last = self._index.bounds(line_index)  # IndexError for a line that does not exist
        if self.origins is None:
            return self.anchor
        length = last - first - 1 if last > first and self.text[last - 1] == "\r" else last - first
        if end is None or end > length:
            end = length
        start = min(max(start, 0), length)
        if end < start:
            end = start
        ol, oc = self.origins[line_index]
        return Span(self.path, ol, oc + start, ol, oc + end)

    def line_span(self, line_index: int) -> Span:
        """The whole of text line `line_index`."""
        return self.span(line_index)

    @classmethod
    def for_file(cls, path: str, text: str) -> EmbeddedText:
        """A whole file (a redis.conf): line i starts at (i + 1, 1)."""
        return cls(text, path, FileOrigins(text.count("\n") + 1), Span(path, 1, 1, 1, 1))


def scalar_embedded(loc: Locator, start: int, end: int, value: str, style: str,
                    anchor: Span) -> EmbeddedText:
    """Map the lines of a scalar value (from index `start` to `end` in `loc.text`)."""
    path = loc.out_path
    if not loc.mapped:
        return EmbeddedText(value, path, None, anchor, style == ">")
    text = loc.text
    i = skip_properties(text, start, end)
    line0, col0 = loc.local0(i)
    if style in ("|", ">"):
        end_line0, end_col0 = loc.local0(end)
        last0 = end_line0 - 1 if end_col0 == 0 and end_line0 > line0 else end_line0

        def physical() -> tuple[PhysicalLine, ...]:
            return tuple(PhysicalLine(*loc.to_host(p.line, p.column), p.text)
                         for p in _physical_lines(loc, line0 + 1, last0))

        origins: Sequence[tuple[int, int]] | None = None
        if style == "|" and text[i:i + 1] == "|":
            if value == "":
                origins = (loc.to_host(line0 + 1, col0 + 2),)
            elif value.count("\n") >= _LARGE_BLOCK_LINES and loc.fast:
                origins = _large_literal_origins(loc, line0 + 1, value)
            else:
                local = _literal_origins(loc, line0 + 1, value)
                origins = None if local is None else tuple(loc.to_host(ln, cl) for ln, cl in local)
        return EmbeddedText(value, path, origins, anchor, style == ">", physical)
    end_line0, _ = loc.local0(max(end - 1, i))
    quoted = style in ('"', "'")
    at = i + 1 if quoted else i  # where the value's text starts in the file
    col0 += 1 if quoted else 0
    # The value must sit on this one line: its text as written for a plain scalar, and
    # within the line for a quoted one (unescaping only ever shortens it).
    if ("\n" in value or end_line0 != line0 or col0 + len(value) > loc.line_len(line0)
            or (not quoted and text[at:at + len(value)] != value)):
        return EmbeddedText(value, path, None, anchor)
    return EmbeddedText(value, path, (loc.to_host(line0 + 1, col0 + 1),), anchor)


def skip_properties(text: str, i: int, end: int) -> int:
    """Index of the value itself, past an anchor (`&a`), a tag (`!!str`) and the space after."""
    while i < end and text[i] in "&!":
        if text.startswith("!<", i):
            j = text.find(">", i)
            i = j + 1 if 0 <= j < end else end
        else:
            while i < end and text[i] not in _SEPARATORS:
                i += 1
        while i < end:
            ch = text[i]
            if ch in _SPACE:
                i += 1
            elif ch == "#":
                j = text.find("\n", i)
                i = end if j < 0 or j >= end else j
            else:
                break
    return i


def _literal_origins(loc: Locator, first0: int, value: str) -> tuple[tuple[int, int], ...] | None:
    """Origins for a `|` block whose content starts on 0-based line `first0`, or None."""
    vlines = value.split("\n")
    ends_nl = value.endswith("\n")
    mapped = len(vlines) - 1 if ends_nl else len(vlines)
    if first0 + mapped > loc.nlines:
        return None
    file_lines = [_strip_cr(loc.line(first0 + k)) for k in range(mapped)]
    indent = None
    for vl, fl in zip(vlines, file_lines, strict=False):
        if vl:
            indent = len(fl) - len(vl)
            break
    origins: list[tuple[int, int]] = []
    for k in range(mapped):
        vl = vlines[k]
        fl = file_lines[k]
        if vl:
            if len(fl) - len(vl) != indent or not fl.endswith(vl) or fl[:indent].strip(" "):
                return None
            origins.append((first0 + k + 1, indent + 1))
        else:
            col = len(fl) if indent is None else min(indent, len(fl))
            origins.append((first0 + k + 1, col + 1))
    if ends_nl:
        # The empty text after the final line break: just after the last line's text.
        if origins:
            ln, cl = origins[-1]
            origins.append((ln, cl + len(vlines[mapped - 1])))
        else:
            origins.append((first0, loc.line_len(first0 - 1) + 1))
    return tuple(origins)


# From this many lines on, a `|` block is checked and mapped by the regular expression engine and its
# origins computed on access, instead of a Python step and a tuple per line (10 MB of config took
# seconds and hundreds of MB).
_LARGE_BLOCK_LINES = 1000


class _BlockOrigins(Sequence[tuple[int, int]]):
    """The origins of a large `|` block's lines, computed on access: a line with text starts at the
    block's indentation, an empty one at the end of its (shorter) file line."""

    __slots__ = ("_loc", "_first0", "_indent", "_value", "_mapped", "_last")

    def __init__(self, loc: Locator, first0: int, indent: int, value: LineIndex, mapped: int,
                 last: tuple[int, int] | None) -> None:
        self._loc, self._first0, self._indent, self._value = loc, first0, indent, value
        self._mapped, self._last = mapped, last

    def __len__(self) -> int:
        return self._mapped + (self._last is not None)

    @overload
    def __getitem__(self, k: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, k: slice) -> tuple[tuple[int, int], ...]: ...

    def __getitem__(self, k: int | slice) -> Any:
        if isinstance(k, slice):
            return tuple(self[j] for j in range(*k.indices(len(self))))
        j = k + len(self) if k < 0 else k
        if not 0 <= j < len(self):
            raise IndexError(k)
        if j == self._mapped:
            return self._last
        start, end = self._value.bounds(j)
        column = self._indent if end > start else min(self._indent, self._loc.line_len(self._first0 + j))
        return self._loc.to_host(self._first0 + j + 1, column + 1)


def _large_literal_origins(loc: Locator, first0: int, value: str) -> Sequence[tuple[int, int]] | None:
    """`_literal_origins` for a block of many lines, or None when its lines are not simply indented.

    Every line with text must be the block's indentation followed by that text, and every empty
    value line a line of spaces: then the value, indented, is the file's text with its blank lines
    emptied. A block that does not pass (lines of spaces that are content) is left unmapped.
    """
    ends_nl = value.endswith("\n")
    body = value[:-1] if ends_nl else value
    mapped = body.count("\n") + 1
    if first0 + mapped > loc.nlines:
        return None
    first_text = re.search(r"[^\n]", body)
    if first_text is None:
        return None
    k = body.count("\n", 0, first_text.start())
    file_line = _strip_cr(loc.line(first0 + k))
    text_line = body[first_text.start():body.find("\n", first_text.start()) % (len(body) + 1)]
    indent = len(file_line) - len(text_line)
    if indent < 0:
        return None
    start = loc.index.start(first0)
    end = loc.index.bounds(first0 + mapped - 1)[1]
    region = loc.text[start:end].replace("\r\n", "\n")
    region = re.sub(r"(?m)^ *$", "", region[:-1] if region.endswith("\r") else region)
    expected = re.sub(r"(?m)^(?=[^\n])", " " * indent, body)
    if region != expected:
        return None
    value_index = LineIndex(value)
    last = None
    if ends_nl:
        line, column = first0 + mapped, indent + 1  # the last line's origin, before mapping to the host
        last_start, last_end = value_index.bounds(mapped - 1)
        if last_end == last_start:
            column = min(indent, loc.line_len(first0 + mapped - 1)) + 1
        last = loc.to_host(line, column + last_end - last_start)
    return _BlockOrigins(loc, first0, indent, value_index, mapped, last)


def _physical_lines(loc: Locator, first0: int, last0: int) -> list[PhysicalLine]:
    """The file lines of a block scalar's content, after its indentation."""
    last0 = min(last0, loc.nlines - 1)
    rows = [_strip_cr(loc.line(k)) for k in range(first0, last0 + 1)]
    while rows and not rows[-1].strip():
        rows.pop()
    filled = [r for r in rows if r.strip()]
    if not filled:
        return []
    indent = min(len(r) - len(r.lstrip(" ")) for r in filled)
    return [PhysicalLine(first0 + k + 1, min(indent, len(r)) + 1, r[indent:])
            for k, r in enumerate(rows)]


def _strip_cr(line: str) -> str:
    return line[:-1] if line.endswith("\r") else line
