"""`check --add-suppressions`: the text edits that put a suppression comment above each finding.

Ruff's `--add-noqa` for redislint: adopt the linter on a repository today, fix the findings later.
For every line with findings, a comment alone on the line above it, at the line's indentation,

    # redislint: disable=RL203,RL402 -- TODO: say why this is acceptable

covers that line (`suppress.py`: a comment alone on its line covers the next line that is not a
comment). The reason placeholder is written only where the file's profile asks for reasons
(RL902). Every other byte of the file stays as it was: comments, quoting, order, line endings.

Where a comment goes, and where it cannot:

- Above a YAML line, and inside a literal block (`|`) of redis.conf text or of values (an Argo CD
  `helm.values: |`): a `#` line there is a comment to YAML, to Redis and to the values' YAML alike,
  and `suppress.py` reads it from the file's lines.
- A line inside a folded (`>`), quoted or plain scalar that runs over several lines is text of that
  scalar: a comment there would change the value. Those findings are left, with the reason.
- A finding on a comment line gets the comment at the end of that line (still a comment).
- A suppression comment already alone on the line above gets the new codes added to it.
- A finding anchored to the file itself (a setting missing from a redis.conf points at its first
  line) would stay on the comment added above that line: it gets `disable-file=` on a last line.
- Findings about suppressions (RL901–RL903) and YAML that does not parse (RL001) are not
  suppressed: the comment itself, or the file, needs fixing.

The command writes through `filewrite` (atomic, never outside the repository), checks the files
again, and puts back any file whose comments did not do exactly what they should (see
`commands/suppressions.py`). Running it again adds nothing: suppressed findings are not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from redislint.model import Finding
from redislint.suppress import COMMENT_RE

NOT_SUPPRESSED = {
    "RL001": "the YAML does not parse; fix the syntax error",
    "RL901": "a finding about a suppression: remove the code it names instead",
    "RL902": "a finding about a suppression: add the reason to that comment instead",
    "RL903": "a finding about a suppression: correct the code it names instead",
}
REASON_PLACEHOLDER = "TODO: say why this is acceptable"


class Left(NamedTuple):
    """A finding's line that got no comment, and why."""

    path: str
    line: int
    rules: tuple[str, ...]
    reason: str


class Added(NamedTuple):
    """The new text of one file, the lines (of the old text) given comments, and what was left."""

    path: str
    old: str
    new: str
    covered: dict[int, tuple[str, ...]]  # line of the old text -> codes now suppressed there
    left: tuple[Left, ...]
    reason: bool = False  # the comments carry the reason placeholder


def comment(codes: Iterable[str], reason: bool) -> str:
    """`# redislint: disable=CODES` (with the reason placeholder when the profile asks for reasons)."""
    text = "# redislint: disable=" + ",".join(sorted(set(codes)))
    return text + (f" -- {REASON_PLACEHOLDER}" if reason else "")


def _line_break(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def add_to_text(path: str, text: str, findings: Iterable[Finding], folded_lines: frozenset[int],
                reason: bool) -> Added:
    """Suppression comments for `findings` (those in `path`) in `text`.

    `folded_lines`: lines inside a folded, quoted or multi-line plain scalar, where a comment would
    become part of the value.
    """
    by_line: dict[int, set[str]] = {}
    left: list[Left] = []
    for f in findings:
        if f.span.path != path:
            continue
        if f.rule in NOT_SUPPRESSED:
            left.append(Left(path, f.span.line, (f.rule,), NOT_SUPPRESSED[f.rule]))
            continue
        by_line.setdefault(f.span.line, set()).add(f.rule)
    if "\r" in text and "\n" not in text:
        left += [Left(path, line, tuple(sorted(codes)), "the file's lines end with a lone CR; save it with LF line "
                      "endings first") for line, codes in by_line.items()]
        return Added(path, text, text, {}, tuple(left))
    lines = text.split("\n")
    brk = _line_break(text)
    inserts: dict[int, str] = {}  # 0-based index -> line to insert before it
    whole_file: set[str] = set()
    covered: dict[int, tuple[str, ...]] = {}
    for number, codes in sorted(by_line.items()):
        index = number - 1
        if not 0 <= index < len(lines) or not lines[index].strip():
            left.append(Left(path, number, tuple(sorted(codes)), "the finding is not on a line of text"))
            continue
        raw = lines[index]
        ending = "\r" if raw.endswith("\r") else ""
        body = raw[:len(raw) - len(ending)]
        if number in folded_lines:
            left.append(Left(path, number, tuple(sorted(codes)), "the line is inside a folded, quoted or multi-line "
                             "plain value, where a comment would become part of the value; write the value as a "
                             "literal block (|) first"))
            continue
        stripped = body.lstrip(" \t")
        if stripped.startswith("#") and "redislint:" in stripped:
            # A suppression comment is the first line of the file, where findings about the whole
            # file point: a second comment on that line would be read as its reason.
            whole_file |= codes
            covered[number] = tuple(sorted(codes))
            continue
        if stripped.startswith("#"):
            lines[index] = f"{body} {comment(codes, reason)}{ending}"
            covered[number] = tuple(sorted(codes))
            continue
        above = lines[index - 1].rstrip("\r") if index > 0 else ""
        existing = COMMENT_RE.search(above)
        if existing and existing.group("kind") == "disable" and not above[:existing.start()].strip():
            merged = sorted(set(c.strip() for c in existing.group("codes").split(",")) | codes)
            start, end = existing.span("codes")
            lines[index - 1] = above[:start] + ",".join(merged) + above[end:] + (
                "\r" if lines[index - 1].endswith("\r") else "")
            covered[number] = tuple(sorted(codes))
            continue
        indent = body[:len(body) - len(stripped)]
        inserts[index] = f"{indent}{comment(codes, reason)}"
        covered[number] = tuple(sorted(codes))
    if not inserts and covered == {}:
        return Added(path, text, text, {}, tuple(left))
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in inserts:
            out.append(inserts[i] + ("\r" if brk == "\r\n" else ""))
        out.append(line)
    new = "\n".join(out)
    if whole_file:
        new += ("" if new.endswith("\n") or not new else brk) + file_wide(whole_file, reason) + brk
    return Added(path, text, new, covered, tuple(left), reason)


def file_wide(codes: Iterable[str], reason: bool) -> str:
    """`# redislint: disable-file=CODES` (it covers the file wherever it stands)."""
    return comment(codes, reason).replace("disable=", "disable-file=", 1)
