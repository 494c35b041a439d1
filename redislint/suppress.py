"""Suppressions: `# redislint: disable=…` comments, object annotations and config entries.

A comment at the end of a line covers that line; a comment alone on its line covers the next line
that is not a comment (so findings about an *absent* setting, which point at the block where it
belongs, are suppressed by a comment above that block). `disable-file=` covers the whole file.
Inside redis.conf text only the line-above form is valid: Redis reads a trailing `#` as arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import NamedTuple

from redislint.model import Finding, Span

COMMENT_RE = re.compile(
    r"#\s*redislint:\s*(?P<kind>disable-file|disable)\s*=\s*(?P<codes>[A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)"
    r"(?:\s*--\s*(?P<reason>.*?))?\s*$")
ANNOTATION = "redislint.io/ignore"


class Suppression(NamedTuple):
    """One suppression and what it covers."""

    codes: tuple[str, ...]  # as written (codes or slugs)
    reason: str
    span: Span  # the comment (or annotation, or config entry) itself
    scope: str  # line, file, annotation, config
    covers_line: int = 0  # for scope "line"
    target: str = ""  # for annotations and config entries
    path_glob: str = ""  # for config entries


def _next_code_line(lines: list[str], index: int) -> int:
    for j in range(index + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and not stripped.startswith("#"):
            return j + 1
    return index + 2


def parse_comments(path: str, text: str) -> list[Suppression]:
    """Every `# redislint:` comment in a file's text."""
    if "redislint:" not in text:
        return []
    out: list[Suppression] = []
    lines = text.split("\n")
    for i, raw in enumerate(lines):
        line = raw.rstrip("\r")
        pos = line.find("redislint:")
        if pos < 0:
            continue
        hash_pos = line.rfind("#", 0, pos)
        m = COMMENT_RE.match(line, hash_pos) if hash_pos >= 0 else None
        if m is None:
            continue
        codes = tuple(c.strip() for c in m.group("codes").split(",") if c.strip())
        span = Span(path, i + 1, hash_pos + 1, i + 1, len(line) + 1)
        reason = (m.group("reason") or "").strip()
        if m.group("kind") == "disable-file":
            out.append(Suppression(codes, reason, span, "file"))
        elif line[:hash_pos].strip():
            out.append(Suppression(codes, reason, span, "line", covers_line=i + 1))
        else:
            out.append(Suppression(codes, reason, span, "line", covers_line=_next_code_line(lines, i)))
    return out


def parse_annotation(value: str, span: Span, target: str) -> Suppression:
    """`redislint.io/ignore: "RL203,RL204 -- reason"` on an object."""
    codes_part, _, reason = value.partition("--")
    codes = tuple(c.strip() for c in codes_part.split(",") if c.strip())
    return Suppression(codes, reason.strip(), span, "annotation", target=target)


class SuppressionResult(NamedTuple):
    """Findings kept, findings suppressed, and the suppressions that matched nothing."""

    kept: list[Finding]
    suppressed: list[Finding]
    used: set[tuple[int, str]]  # (suppression index, code)


def _names(code_or_name: str, resolve) -> str | None:
    rule = resolve(code_or_name)
    return rule.code if rule is not None else None


def covers(s: Suppression, f: Finding, code: str) -> bool:
    """Does suppression `s` (for rule `code`) apply to finding `f`?"""
    if f.rule != code:
        return False
    if s.scope == "line":
        return s.span.path == f.span.path and s.covers_line == f.span.line
    if s.scope == "file":
        return s.span.path == f.span.path
    if s.scope == "annotation":
        return s.span.path == f.span.path and s.target == f.target
    if s.scope == "config":
        return (not s.path_glob or fnmatchcase(f.span.path, s.path_glob) or
                fnmatchcase(f.span.path, "*/" + s.path_glob)) and (not s.target or fnmatchcase(f.target, s.target))
    return False


def apply(findings: Iterable[Finding], suppressions: list[Suppression], resolve) -> SuppressionResult:
    """Split findings into kept and suppressed; `resolve` maps a code or slug to a rule (or None)."""
    result = SuppressionResult([], [], set())
    # Suppressions by the rule they name and the file they sit in (None for config entries, which
    # apply anywhere): a finding is compared only with those that can cover it, not with all of a
    # run's suppressions (8,000 findings x 40 suppressions in a 1000-file repository).
    candidates: dict[tuple[str, str | None], list[tuple[int, str, Suppression]]] = {}
    for i, s in enumerate(suppressions):
        where = None if s.scope == "config" else s.span.path
        for written in s.codes:
            code = _names(written, resolve)
            if code is not None:
                candidates.setdefault((code, where), []).append((i, written, s))
    for f in findings:
        hit = False
        for key in ((f.rule, f.span.path), (f.rule, None)):
            for i, written, s in candidates.get(key, ()):
                if covers(s, f, f.rule):
                    result.used.add((i, written))
                    hit = True
        (result.suppressed if hit else result.kept).append(f)
    return result
