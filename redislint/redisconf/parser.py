"""Parse redis.conf text into ConfLines exactly as Redis's loader splits and reads it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Protocol

from ..model import Span
from .directives import DirectiveTable
from .lines import ConfLine, LineProblem, Outcome, analyse_line
from .tokenizer import LINE_TRIM, Token
from .versions import RedisVersion

# The verdict on a line depends only on its text, the version's table and the mode, and the same
# lines ("appendonly yes", "save 900 1", the chart's own "port 6379") come back in nearly every
# release: tokenise and judge each distinct (short) line once. What is kept is immutable.
_CACHED_LINE_CHARS = 256  # longer lines are judged every time (and never kept)

# A judged line: Redis's verdict (None: no words), the name and arguments as written, and each
# word's [start, end) offsets in the line (None when unbalanced quotes leave no reliable words).
_Judged = tuple[Outcome | None, str, tuple[str, ...], tuple[tuple[int, int], ...] | None]


def _judge(raw: str, table: DirectiveTable, version: RedisVersion, sentinel_mode: bool) -> _Judged:
    """`analyse_line`, with the words and their offsets taken out of the tokens."""
    tokens, outcome = analyse_line(raw, table, version, sentinel_mode)
    if not tokens:  # unbalanced quotes: no reliable words, the name is the first blank-separated one
        return outcome, (raw.split() or [""])[0], (), None
    return outcome, tokens[0].text, tuple(t.text for t in tokens[1:]), tuple((t.start, t.end) for t in tokens)


# Bounds on what one config text costs, whatever its size (RL003 reports where reading stopped): real
# configs hold a few hundred directives on short lines; 10 MB of `appendonly yes` made 700,000
# ConfLines (half a gigabyte), and one 10 MB line millions of tokens.
MAX_CONF_LINES = 10_000
MAX_CONF_LINE_CHARS = 4 * 1024 * 1024
MAX_CONF_LINE_WORDS = 10_000
NOT_READ = "not-read"


def _too_big(raw: str) -> str:
    """Why a line is not read (more characters or words than a check handles), or ""."""
    if len(raw) > MAX_CONF_LINE_CHARS:
        return f"{len(raw):,} characters (more than {MAX_CONF_LINE_CHARS:,})"
    if len(raw) > 2 * MAX_CONF_LINE_WORDS and len(raw.split(None, MAX_CONF_LINE_WORDS)) > MAX_CONF_LINE_WORDS:
        return f"more than {MAX_CONF_LINE_WORDS:,} words"
    return ""


def _not_read(layer: str, index: int, raw: str, span: Span, why: str) -> ConfLine:
    """The line where reading stopped (`why` empty), or a line too big to read: recorded, never judged."""
    if not why:
        detail = (f"more than {MAX_CONF_LINES:,} config lines: redislint reads no further, to keep the cost of a "
                  "check bounded, so this line and every line after it were not checked")
    else:
        detail = f"a line of {why}: redislint did not read it, so what it sets was not checked"
    shown = raw if len(raw) <= 80 else raw[:80] + "…"
    name = (raw[:256].split() or [""])[0]
    return ConfLine(layer=layer, index=index, raw=shown, name=name, key="", args=(), span=span, name_span=span,
                    arg_spans=(), problem=LineProblem(NOT_READ, "", detail, fatal=False), role="not-read")


# Judged short lines by (text, version fields, sentinel mode). The key is made of str, int and
# bool alone, hashed and compared in C: a RedisVersion in the key would run Python code for every
# line. Bounded: a full table is emptied.
_JUDGED: dict[tuple[str, tuple[str, int, int, int, bool]], _Judged] = {}
_MAX_JUDGED = 8192


# The start of a line that is neither blank (Redis trims " \t\r") nor a comment: blank lines and
# comments are skipped by the regular expression engine, not one Python iteration each (10 MB of
# empty lines took seconds and a list of millions of strings).
_CONTENT_LINE = re.compile(r"^[ \t\r]*[^ \t\r\n#]", re.MULTILINE)


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """(0-based index, text) of every line Redis reads, split on "\\n" alone, in order."""
    search = _CONTENT_LINE.search
    pos = index = 0
    while True:
        found = search(text, pos)
        if found is None:
            return
        start = found.start()
        index += text.count("\n", pos, start)
        end = text.find("\n", start)
        if end < 0:
            yield index, text[start:]
            return
        yield index, text[start:end]
        pos = end + 1
        index += 1


class Embedded(Protocol):
    """What parse_conf needs from `redislint.sources.EmbeddedText` (or a chart's synthetic text)."""

    @property
    def text(self) -> str: ...  # read-only: frozen records and NamedTuples qualify

    def span(self, line_index: int, start: int = 0, end: int | None = None) -> Span: ...


def make_line(layer: str, index: int, raw: str, tokens: list[Token] | None, outcome: Outcome,
              span: Span, token_span: Callable[[Token], Span]) -> ConfLine:
    """Build a ConfLine; `token_span(token)` maps a token to its Span."""
    if tokens:
        name, name_span = tokens[0].text, token_span(tokens[0])
        args = tuple(t.text for t in tokens[1:])
        arg_spans = tuple(token_span(t) for t in tokens[1:])
    else:  # unbalanced quotes: no reliable words, point at the whole line
        name, name_span, args, arg_spans = (raw.split() or [""])[0], span, (), ()
    return _conf_line(layer, index, raw, name, args, outcome, span, name_span, arg_spans)


def _conf_line(layer: str, index: int, raw: str, name: str, args: tuple[str, ...], outcome: Outcome,
               span: Span, name_span: Span, arg_spans: tuple[Span, ...]) -> ConfLine:
    """The ConfLine of a judged line whose spans are known."""
    return ConfLine(layer=layer, index=index, raw=raw, name=name, key=outcome.key, args=args,
                    span=span, name_span=name_span, arg_spans=arg_spans,
                    problem=outcome.problem, alias_used=outcome.alias_used,
                    ignored=outcome.ignored, value=outcome.value, role=outcome.role)


def parse_conf(embedded: Embedded, layer: str, version: RedisVersion, *,
               sentinel_mode: bool = False) -> list[ConfLine]:
    """Every line Redis would act on, in order, with Redis's verdict for `version`.

    Like Redis: split on "\\n" only, trim " \\t\\r\\n" at both ends, skip empty lines and lines
    whose first character is '#'. Nothing else is a comment. Spans point into `embedded`.
    """
    table = DirectiveTable.for_version(version)
    judged_as = (version.flavor, version.major, version.minor, version.patch, sentinel_mode)
    span_of = embedded.span
    out: list[ConfLine] = []
    for index, text in _content_lines(embedded.text):
        raw = text.strip(LINE_TRIM)
        stop = len(out) >= MAX_CONF_LINES
        why = "" if stop else _too_big(raw)
        if stop or why:
            lead = len(text) - len(text.lstrip(LINE_TRIM))
            out.append(_not_read(layer, index, raw, span_of(index, lead, lead + len(raw)), why))
            if stop:
                break
            continue
        verdict = _JUDGED.get((raw, judged_as))
        if verdict is None:
            verdict = _judge(raw, table, version, sentinel_mode)
            if len(raw) <= _CACHED_LINE_CHARS:
                if len(_JUDGED) >= _MAX_JUDGED:
                    _JUDGED.clear()
                _JUDGED[raw, judged_as] = verdict
        outcome, name, args, offsets = verdict
        if outcome is None:
            continue  # only blanks Redis skips (form feeds, vertical tabs)
        lead = len(text) - len(text.lstrip(LINE_TRIM))
        span = span_of(index, lead, lead + len(raw))
        arg_spans: tuple[Span, ...]
        if offsets is None:
            name_span, arg_spans = span, ()
        else:
            start, end = offsets[0]
            name_span = span_of(index, lead + start, lead + end)
            arg_spans = tuple([span_of(index, lead + start, lead + end) for start, end in offsets[1:]])
        out.append(_conf_line(layer, index, raw, name, args, outcome, span, name_span, arg_spans))
    return out
