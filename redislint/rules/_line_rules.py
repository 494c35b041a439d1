"""Shared check for rules that report one kind of problem on config lines Redis would reject."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from redislint.rules._api import Hit
from redislint.rules._helpers import iter_lines
from redislint.secrets import redact_source

MAX_QUOTE = 160  # characters of an input line a message quotes (a 1 MB line is cut)
# Characters a reader cannot see or that would act on a terminal: control characters, no-break and
# other look-alike spaces, byte order marks. Quoted as escapes, so `appendonly\u00a0yes` shows why
# Redis reads one word where the file seems to have two.
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f"
                     "\u3000\ufeff]")

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.redisconf.lines import ConfLine, LineProblem
    from redislint.target import Target


LineText = Callable[["Target", "ConfLine", "LineProblem"], str]  # a message or fix for a line and its problem


def line_problem_check(kinds: tuple[str, ...], message: LineText,
                       fix: LineText) -> Callable[[Target, Profile], Iterator[Hit]]:
    """A check that yields a hit for every line whose problem kind is one of `kinds`."""

    def check(target: Target, profile: Profile) -> Iterator[Hit]:
        for line in iter_lines(target.source):
            problem = line.problem
            if problem is not None and problem.kind in kinds:
                yield Hit(message(target, line, problem), line.span, fix(target, line, problem),
                          subject=f"{line.layer}:{line.key}")

    return check


def where(line: object) -> str:
    """"in master.configuration" for messages."""
    return f"in {getattr(line, 'layer', '')}"


def quote(text: str) -> str:
    """Text from an input file as a message quotes it: secrets masked, hidden characters escaped, cut.

    Masking before the text is embedded keeps the rest of the message readable: formatters mask
    messages again, and a secret that ran to the end of a quoted line (`# old password: x' has a
    trailing comment ...`) swallowed the sentence after it. Masked text stays masked (`****` is
    never taken for a secret).
    """
    text = redact_source(text.strip(" \t\r\n"))
    text = _HIDDEN.sub(_escape, text)
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE - 1] + "…"


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def detail_of(line: object) -> str:
    """` (detail)` when the line's problem carries one of ours (the BOM, a no-break space, CR line breaks)."""
    problem = getattr(line, "problem", None)
    detail = getattr(problem, "detail", "") if problem is not None else ""
    return f" ({detail})" if detail else ""
