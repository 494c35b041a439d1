"""Text held in a file (a redis.conf, or a YAML string value) with each line's file position.

A `configuration: |` block scalar is the usual case: every line of the value is a suffix of its
own line in the YAML file, so a directive on value line 3 points at its own line and column.
Lines that cannot be mapped one to one (folded `>` blocks, quoted or plain scalars that span
lines) fall back to the value's own span, the `anchor`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from redislint.model import Span

if TYPE_CHECKING:
    from redislint.sources.positions import Locator


_SPACE = " \t\r\n\x85\u2028\u2029\ufeff"
_SEPARATORS = _SPACE + ",[]{}"


class PhysicalLine(NamedTuple):
    """One line of a block scalar as it stands in the file (after its indentation)."""

    line: int
    column: int
    text: str


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
    origins: tuple[tuple[int, int], ...] | None
    anchor: Span
    folded: bool = False
    physical_lines: tuple[PhysicalLine, ...] = ()
    lines: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lines = tuple(self.text.split("\n"))
        object.__setattr__(self, "lines", lines)
        if self.origins is not None and len(self.origins) != len(lines):
            raise ValueError(f"{len(self.origins)} origins for {len(lines)} lines")

    @property
    def mapped(self) -> bool:
        """True when every line has its own position in the file."""
        return self.origins is not None

    def span(self, line_index: int, start: int = 0, end: int | None = None) -> Span:
        """Span of characters `start:end` (0-based, in text line `line_index`) in the file.

        `end=None` means the end of the line (a trailing `\\r` excluded). Offsets are clipped to
        the line. Without origins, the anchor.
        """
        line = self.lines[line_index]  # IndexError for a line that does not exist
        if self.origins is None:
            return self.anchor
        length = len(line) - 1 if line.endswith("\r") else len(line)
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
    def for_file(cls, path: str, text: str) -> "EmbeddedText":
        """A whole file (a redis.conf): line i starts at (i + 1, 1)."""
        n = text.count("\n") + 1
        origins = tuple((i, 1) for i in range(1, n + 1))
        return cls(text, path, origins, Span(path, 1, 1, 1, 1))


def scalar_embedded(loc: "Locator", start: int, end: int, value: str, style: str,
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
        physical = tuple(PhysicalLine(*loc.to_host(p.line, p.column), p.text)
                         for p in _physical_lines(loc, line0 + 1, last0))
        local: tuple[tuple[int, int], ...] | None = None
        if style == "|" and text[i:i + 1] == "|":
            if value == "":
                local = ((line0 + 1, col0 + 2),)
            else:
                local = _literal_origins(loc, line0 + 1, value)
        origins = None if local is None else tuple(loc.to_host(ln, cl) for ln, cl in local)
        return EmbeddedText(value, path, origins, anchor, style == ">", physical)
    end_line0, _ = loc.local0(max(end - 1, i))
    quoted = style in ('"', "'")
    col0 += 1 if quoted else 0
    line = loc.lines[line0]
    # The value must sit on this one line: its text as written for a plain scalar, and
    # within the line for a quoted one (unescaping only ever shortens it).
    if ("\n" in value or end_line0 != line0 or col0 + len(value) > loc.line_len(line0)
            or (not quoted and line[col0:col0 + len(value)] != value)):
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


def _literal_origins(loc: "Locator", first0: int, value: str) -> tuple[tuple[int, int], ...] | None:
    """Origins for a `|` block whose content starts on 0-based line `first0`, or None."""
    vlines = value.split("\n")
    ends_nl = value.endswith("\n")
    mapped = len(vlines) - 1 if ends_nl else len(vlines)
    if first0 + mapped > len(loc.lines):
        return None
    file_lines = [_strip_cr(loc.lines[first0 + k]) for k in range(mapped)]
    indent = None
    for vl, fl in zip(vlines, file_lines):
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
            origins.append((first0 + k + 1, indent + 1))  # type: ignore[operator]
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


def _physical_lines(loc: "Locator", first0: int, last0: int) -> list[PhysicalLine]:
    """The file lines of a block scalar's content, after its indentation."""
    last0 = min(last0, len(loc.lines) - 1)
    rows = [_strip_cr(loc.lines[k]) for k in range(first0, last0 + 1)]
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
