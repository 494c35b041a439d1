"""Parse redis.conf text into ConfLines exactly as Redis's loader splits and reads it."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Protocol

from ..model import Span
from .directives import DirectiveTable
from .lines import ConfLine, Outcome, analyse_line
from .tokenizer import LINE_TRIM, Token
from .versions import RedisVersion

# The verdict on a line depends only on its text, the version's table and the mode, and the same
# lines ("appendonly yes", "save 900 1", the chart's own "port 6379") come back in nearly every
# release: tokenise and judge each distinct (short) line once. Tokens and outcomes are immutable.
_analyse_cached = lru_cache(maxsize=8192)(analyse_line)
_CACHED_LINE_CHARS = 256  # longer lines are judged every time (and never kept)


class Embedded(Protocol):
    """What parse_conf needs from `redislint.sources.EmbeddedText`."""

    text: str

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
    out: list[ConfLine] = []
    for index, text in enumerate(embedded.text.split("\n")):
        raw = text.strip(LINE_TRIM)
        if not raw or raw[0] == "#":
            continue
        lead = len(text) - len(text.lstrip(LINE_TRIM))
        analyse = _analyse_cached if len(raw) <= _CACHED_LINE_CHARS else analyse_line
        tokens, outcome = analyse(raw, table, version, sentinel_mode)
        if outcome is None:
            continue  # only blanks Redis skips (form feeds, vertical tabs)

        def token_span(tok: Token, _i: int = index, _lead: int = lead) -> Span:
            return embedded.span(_i, _lead + tok.start, _lead + tok.end)

        span = embedded.span(index, lead, lead + len(raw))
        out.append(make_line(layer, index, raw, tokens, outcome, span, token_span))
    return out
