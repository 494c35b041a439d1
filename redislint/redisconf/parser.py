"""Parse redis.conf text into ConfLines exactly as Redis's loader splits and reads it."""

from __future__ import annotations

from typing import Callable, Protocol

from ..model import Span
from .directives import DirectiveTable
from .lines import ConfLine, Outcome, analyse_line
from .tokenizer import LINE_TRIM, Token
from .versions import RedisVersion


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
        tokens, outcome = analyse_line(raw, table, version, sentinel_mode)
        if outcome is None:
            continue  # only blanks Redis skips (form feeds, vertical tabs)

        def token_span(tok: Token, _i: int = index, _lead: int = lead) -> Span:
            return embedded.span(_i, _lead + tok.start, _lead + tok.end)

        span = embedded.span(index, lead, lead + len(raw))
        out.append(make_line(layer, index, raw, tokens, outcome, span, token_span))
    return out
