"""`redislint fix`: safe, line-level rewrites for findings whose fix is mechanical.

Only edits whose effect is certain are made, and only at the exact span a finding points at:
RL013 moves a trailing `# comment` to its own line above the directive (same indentation, so it
stays inside its `|` block); RL017 renames an old alias to its primary name. Everything else in
the file — comments, quoting, layout, line endings — is left byte for byte as it was.
"""

from __future__ import annotations

import difflib
from typing import Iterable, NamedTuple

from redislint.model import Finding
from redislint.redisconf import UnbalancedQuotes, split_args

FIXABLE = ("RL013", "RL017")


class FileFix(NamedTuple):
    """The new text of one file and how many findings it fixes."""

    path: str
    old: str
    new: str
    fixed: int

    def diff(self) -> str:
        """A unified diff, as `git diff` shows it."""
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
                                            f"a/{self.path}", f"b/{self.path}"))


def _split_keepends(text: str) -> list[str]:
    return text.split("\n")


def _comment_cut(line: str) -> int | None:
    """Offset of the first unquoted `#` word after the directive name, if the line holds one.

    RL013 only arises where the whole physical line is config text (a `|` block line or a
    redis.conf line): YAML itself strips ` # ...` from plain one-line scalars.
    """
    try:
        tokens = split_args(line.rstrip("\r"))
    except UnbalancedQuotes:
        return None
    for i, token in enumerate(tokens):
        if i > 0 and not token.quoted and token.text.startswith("#"):
            return token.start
    return None


def _move_comment(lines: list[str], f: Finding) -> bool:
    index = f.span.line - 1
    if f.span.line != f.span.end_line or not 0 <= index < len(lines):
        return False
    line = lines[index]
    cut = _comment_cut(line)
    if cut is None:
        return False
    ending = "\r" if line.endswith("\r") else ""
    body = line[:len(line) - len(ending)]
    indent = body[:len(body) - len(body.lstrip(" \t"))]
    comment = body[cut:].rstrip()
    code = body[:cut].rstrip()
    lines[index:index + 1] = [indent + comment + ending, code + ending]
    return True


def _rename_alias(lines: list[str], f: Finding) -> bool:
    index = f.span.line - 1
    primary = f.subject.rsplit(":", 1)[-1]
    if f.span.line != f.span.end_line or not 0 <= index < len(lines) or not primary:
        return False
    line = lines[index]
    start, end = f.span.column - 1, f.span.end_column - 1
    old = line[start:end]
    if not old or old.lower() == primary or " " in old:
        return False
    lines[index] = line[:start] + primary + line[end:]
    return True


def fix_text(path: str, text: str, findings: Iterable[Finding]) -> FileFix:
    """Apply every mechanical fix for `findings` in `path`, bottom-up so earlier spans stay valid."""
    lines = _split_keepends(text)
    fixed = 0
    seen: set[tuple[int, str]] = set()
    ordered = sorted((f for f in findings if f.span.path == path and f.rule in FIXABLE),
                     key=lambda f: (f.span.line, f.span.column), reverse=True)
    for f in ordered:
        if (f.span.line, f.rule) in seen:
            continue  # the same line reported for master and replica
        seen.add((f.span.line, f.rule))
        done = _move_comment(lines, f) if f.rule == "RL013" else _rename_alias(lines, f)
        fixed += done
    return FileFix(path, text, "\n".join(lines), fixed)
