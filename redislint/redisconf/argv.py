"""Turn `redis-server` command-line options into config lines the way its main() does."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

from ..model import Span
from .directives import DirectiveTable
from .lines import ConfLine, analyse_line
from .parser import make_line
from .tokenizer import LINE_TRIM, Token, repr_arg, try_split
from .versions import RedisVersion


class _Piece(NamedTuple):
    start: int  # offset in the options string
    end: int
    item: int  # index into the argv items
    shift: int | None  # offset in the item's text for raw pieces; None for quoted values


def build_options(texts: list[str], version: RedisVersion) -> tuple[str, list[_Piece]]:
    """The option string main() appends after the config file, with where each part came from.

    `--name` starts a new line (its text is copied raw, so "--maxmemory 1gb" carries its own
    value); other words are values, quoted with sdscatrepr. Since 7.0 a word after a bare
    `--name` is always its value even if it starts with "--", and a `--save` followed by
    another option (or last) means `save ""`. A lone "-" first or last means stdin.
    """
    out: list[str] = []
    pieces: list[_Piece] = []
    length = 0
    handled_last = True
    last = len(texts) - 1

    def add(text: str, item: int, shift: int | None) -> None:
        nonlocal length
        out.append(text)
        pieces.append(_Piece(length, length + len(text), item, shift))
        length += len(text)

    for j, text in enumerate(texts):
        if text == "-" and (j == 0 or j == last):
            continue  # read the config from stdin: not an option
        if (handled_last or version.legacy_parser) and text.startswith("--"):
            if length:
                add("\n", j, None)
            add(text[2:], j, 2)
            add(" ", j, None)
            words = try_split(text)
            if version.legacy_parser or words is None or len(words) != 1:
                handled_last = True
                continue
            handled_last = False
            is_save = text.lower() == "--save"
            if is_save and (j == last or texts[j + 1].startswith("--")):
                add('""', j, None)
                handled_last = j != last
            elif text.lower() == "--sentinel" and j != last and texts[j + 1].startswith("--"):
                handled_last = True
        else:
            add(repr_arg(text), j, None)
            add(" ", j, None)
            handled_last = True
    return "".join(out), pieces


def _merge(first: Span, last: Span) -> Span:
    if first.path != last.path or (last.end_line, last.end_column) < (first.line, first.column):
        return first
    return Span(first.path, first.line, first.column, last.end_line, last.end_column)


def _narrow(span: Span, text: str, start: int, end: int) -> Span:
    """A sub-span of one argv item when its span covers exactly its text on one line."""
    if span.line == span.end_line and span.end_column - span.column == len(text):
        return Span(span.path, span.line, span.column + start, span.line, span.column + end)
    return span


def lines_from_argv(items: list[tuple[str, Span]], layer: str, version: RedisVersion, *,
                    sentinel_mode: bool = False) -> list[ConfLine]:
    """ConfLines for command-line options (`items` are (argv word, its span) pairs).

    `index` is the line's position in the option string; Redis numbers it after the config
    file's lines (plus one line for the newline it inserts between file and options).
    """
    texts = [t for t, _ in items]
    options, pieces = build_options(texts, version)
    table = DirectiveTable.for_version(version)
    result: list[ConfLine] = []
    # Pieces are contiguous and in order: find them by bisection (a scan per token was quadratic,
    # 20,000 extraFlags took a minute and a half).
    starts = [p.start for p in pieces]
    ends = [p.end for p in pieces]
    offset = 0
    for index, text in enumerate(options.split("\n")):
        base = offset
        offset += len(text) + 1
        raw = text.strip(LINE_TRIM)
        if not raw or raw[0] == "#":
            continue
        lead = base + len(text) - len(text.lstrip(LINE_TRIM))
        tokens, outcome = analyse_line(raw, table, version, sentinel_mode)
        if outcome is None:
            continue

        def token_span(tok: Token, _lead: int = lead) -> Span:
            start, end = _lead + tok.start, _lead + tok.end
            at = bisect_right(starts, start) - 1
            piece = pieces[at] if at >= 0 and pieces[at].start <= start < pieces[at].end else pieces[-1]
            text_, span = items[piece.item]
            if piece.shift is not None and end <= piece.end:
                s = start - piece.start + piece.shift
                return _narrow(span, text_, s, s + (end - start))
            return span

        owners = pieces[bisect_right(ends, lead):bisect_left(starts, lead + len(raw))]
        first, last = items[owners[0].item][1], items[owners[-1].item][1]
        result.append(make_line(layer, index, raw, tokens, outcome, _merge(first, last),
                                token_span))
    return result
