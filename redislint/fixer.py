"""`redislint fix`: the text edits for findings whose fix is mechanical, and only where they are certain.

RL015 turns a redis.conf block written as a folded scalar (`key: >`, with any chomping or
indentation indicator) into a literal one (`key: |`, the same indicators): one character, so the
lines YAML joined become the lines the author wrote; a plain or quoted value over several lines is
left to the author. RL013 moves a trailing `# comment` to its own line above the directive (same indentation, so it
stays inside its `|` block), cutting the line exactly where the parser found the words before the
`#` to be a line Redis accepts (so `#<sha256>` in an ACL line is kept). RL017 renames an old alias
to its primary name, inside any quotes and after an argv `--`, and only when every Redis that reads
the line is known to accept the new name. Everything else in the file — comments, quoting, layout,
line endings (LF, CRLF, or a lone CR in YAML) — is left byte for byte as it was. What cannot be
done safely is a `Skip` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from redislint.assumptions import redis_version_assumed
from redislint.model import Finding, Span
from redislint.redisconf import ConfLine, DirectiveTable, RedisVersion
from redislint.redisconf.lines import trailing_comment_start
from redislint.redisconf.tokenizer import LINE_TRIM
from redislint.redisconf.versions import COLUMNS
from redislint.rules._helpers import iter_lines

if TYPE_CHECKING:
    from redislint.target import Target

FIXABLE = ("RL013", "RL015", "RL017")

# What may follow a folded block's key on its line: `:`, node properties (tag, anchor), the `>`
# indicator with its optional indentation and chomping indicators, and a comment.
_FOLDED_HEADER = re.compile(r"[ \t]*:[ \t]+(?:[!&][^ \t]*[ \t]+)*(?P<gt>>)(?:[1-9][+-]?|[+-][1-9]?)?[ \t]*(?:#.*)?$")

# A Redis version `fix` may rely on for a target, or None when it was assumed.
KnownVersion = Callable[["Target"], "RedisVersion | None"]


class Skip(NamedTuple):
    """A finding (or a whole file, line 0) that `fix` leaves alone, and why."""

    path: str
    line: int
    rule: str
    reason: str


class FileFix(NamedTuple):
    """The new text of one file, how many findings it fixes, and what it left alone."""

    path: str
    old: str
    new: str
    fixed: int
    skipped: tuple[Skip, ...] = ()
    moved: tuple[int, ...] = ()  # the lines (of `old`) whose comment got a line of its own above them

    def old_line(self, line: int) -> int:
        """The line of `old` that line `line` of `new` comes from (each moved comment added one line)."""
        for added, moved in enumerate(sorted(self.moved)):
            if moved + added >= line:  # the comment line itself (moved + added) comes from `moved`
                return line - added
        return line - len(self.moved)

    def then(self, later: FileFix) -> FileFix:
        """This fix followed by `later` (made on this fix's new text); skips in lines of the original."""
        skipped = self.skipped + tuple(s._replace(line=self.old_line(s.line)) if s.line else s for s in later.skipped)
        moved = self.moved + tuple(self.old_line(m) for m in later.moved)
        return FileFix(self.path, self.old, later.new, self.fixed + later.fixed, skipped, moved)


class Use(NamedTuple):
    """A config line as one target reads it (one line may be read by several targets)."""

    line: ConfLine
    target: Target


class LineIndex(NamedTuple):
    """Every user-written config line of the targets, by the span of the line and of its name."""

    by_span: dict[Span, list[Use]]
    by_name: dict[Span, list[Use]]

    @classmethod
    def of(cls, targets: Iterable[Target]) -> LineIndex:
        by_span: dict[Span, list[Use]] = {}
        by_name: dict[Span, list[Use]] = {}
        for target in targets:
            for line in iter_lines(target.source):
                if line.span is not None and line.span.path:
                    by_span.setdefault(line.span, []).append(Use(line, target))
                    by_name.setdefault(line.name_span, []).append(Use(line, target))
        return cls(by_span, by_name)


def known_version(explicit: bool) -> KnownVersion:
    """The rule for which target versions `fix` trusts: `--redis-version` (or the config file's), a
    version taken from the image tag, or one that needed no assumption (a chart pinned to a known
    release); None whenever the version was assumed (no pin, a range, an unknown release)."""

    def version(target: Target) -> RedisVersion | None:
        if explicit:
            return target.redis_version
        return None if redis_version_assumed(target) else target.redis_version

    return version


@lru_cache(maxsize=256)
def introduced(name: str, flavor: str) -> tuple[int, int] | None:
    """The oldest version (of the directive table's columns) that accepts `name`, or None."""
    for major, minor in COLUMNS[flavor]:
        if DirectiveTable.for_version(RedisVersion(flavor, major, minor)).lookup(name) is not None:  # type: ignore[arg-type]
            return major, minor
    return None


class _Text:
    """Offsets in a text from 1-based (line, column) positions, lines split on `\\n` as spans count them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        at = text.find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def offsets(self, span: Span) -> tuple[int, int] | None:
        if not (1 <= span.line <= span.end_line <= len(self.starts)):
            return None
        start = self.starts[span.line - 1] + span.column - 1
        end = self.starts[span.end_line - 1] + span.end_column - 1
        return (start, end) if 0 <= start <= end <= len(self.text) else None


class _Edit(NamedTuple):
    start: int
    end: int
    text: str


def _line_break(text: str, conf: bool) -> str:
    """The line break the file uses (for a line added at the end of a file with no final break)."""
    if "\r\n" in text:
        return "\r\n"
    if not conf and "\r" in text and "\n" not in text:
        return "\r"
    return "\n"


def _rename(doc: _Text, span: Span, uses: Sequence[Use], known: KnownVersion) -> _Edit | str:
    """The edit renaming the alias at `span` to its primary name, or why it is not made."""
    aliases = [u for u in uses if u.line.alias_used]
    if not aliases:
        return "no config line with an old alias at this position"
    name, key = aliases[0].line.name, aliases[0].line.key
    where = doc.offsets(span)
    if where is None or span.line != span.end_line:
        return "the name is not on one line of the file"
    start, end = where
    written = doc.text[start:end]
    if len(written) >= 2 and written[0] in "\"'" and written[-1] == written[0]:
        start, end = start + 1, end - 1  # a quoted name (YAML or redis.conf quotes) keeps its quotes
    inner = doc.text[start:end]
    if inner.startswith("--") and inner[2:] == name:
        start += 2  # an argv option keeps its `--`
    elif inner != name:
        return ("the name is written with escapes or inside a quoted or folded value, where it cannot be "
                "renamed in place; rename it by hand")
    for use in uses:
        line, target = use
        if not line.alias_used or line.key != key:
            return (f"'{name}' is not an alias of '{key}' for {target.label} ({target.redis_version.label}); "
                    "renaming it would change what that Redis reads")
        version = known(target)
        if version is None:
            how = "pass --redis-version, or pin the chart version" if target.chart else "pass --redis-version"
            return (f"the Redis version of {target.label} is not known for sure, and older versions lack "
                    f"'{key}' ({how})")
        since = introduced(key, version.flavor)
        if since is None or (version.major, version.minor) < since:
            oldest = " (the oldest version redislint knows)" if since == COLUMNS[version.flavor][0] else ""
            since_text = f"{since[0]}.{since[1]}{oldest}" if since else "no known version"
            return (f"'{key}' is known to be accepted from {version.flavor.capitalize()} {since_text} on, "
                    f"and {target.label} runs {version.label}")
    return _Edit(start, end, key)


def _unfold(doc: _Text, f: Finding) -> _Edit | str:
    """The edit that makes a folded (`>`) config block a literal (`|`) one, or why it is not made."""
    where = doc.offsets(f.span)
    if where is None or f.span.line != f.span.end_line:
        return "the key is not on one line of the file"
    end = where[1]
    line_end = doc.text.find("\n", end)
    rest = doc.text[end:len(doc.text) if line_end < 0 else line_end].rstrip("\r")
    m = _FOLDED_HEADER.match(rest)
    if m is None:
        return ("the value is not a folded block (`>`) on its key's line (a plain or quoted value over several "
                "lines); write it as a literal block (`|`) by hand")
    return _Edit(end + m.start("gt"), end + m.end("gt"), "|")


def _move_comment(doc: _Text, f: Finding, uses: Sequence[Use], conf: bool) -> _Edit | str:
    """The edit that puts a trailing comment on its own line above its directive, or why it is not made."""
    lines = [u for u in uses if u.line.problem is not None and u.line.problem.kind == "trailing-comment"]
    if not lines:
        return "no config line with a trailing comment at this position"
    raw = lines[0].line.raw
    where = doc.offsets(f.span)
    if where is None or doc.text[where[0]:where[1]] != raw:
        return ("the line sits inside a quoted or folded value (or is an argument list), where a comment "
                "cannot be put on a line of its own; move it by hand")
    if "\r" in raw:
        return ("the line holds a carriage return that Redis does not treat as a line break; "
                "fix the line endings first")
    cuts = {trailing_comment_start(raw, u.target.redis_version, u.line.key == "sentinel") for u in uses}
    if len(cuts) != 1 or None in cuts:
        return "the Redis versions that read this line disagree on where its comment starts"
    cut = cuts.pop()
    assert cut is not None
    start, end = where
    text = doc.text
    breaks = "\n" if conf else "\n\r"  # YAML also breaks lines at a lone CR; Redis does not
    line_start = max(text.rfind(c, 0, start) for c in breaks) + 1
    found = [i for i in (text.find(c, end) for c in breaks) if i >= 0]
    line_end = min(found) if found else len(text)
    if conf and line_end > end and text[line_end - 1] == "\r":
        line_end -= 1
    if text.startswith("\r\n", line_end):
        brk = "\r\n"
    elif line_end < len(text):
        brk = text[line_end]
    else:
        brk = _line_break(text, conf)
    indent = text[line_start:start]
    if indent.strip(" \t") or text[end:line_end].strip(LINE_TRIM):
        return "the line shares its line of the file with other text; move the comment by hand"
    comment, code = raw[cut:].rstrip(" \t"), raw[:cut].rstrip(" \t")
    return _Edit(line_start, line_end, f"{indent}{comment}{brk}{indent}{code}")


def fix_text(path: str, text: str, findings: Iterable[Finding], lines: LineIndex, known: KnownVersion, *,
             conf: bool) -> FileFix:
    """Every mechanical fix for `findings` in `path` whose result is certain; the others as skips.

    `conf`: the file is redis.conf text, which Redis splits at `\\n` only (a YAML file also breaks
    lines at a lone CR). Two fixes on one line overlap: `redislint fix` unfolds blocks first, then
    moves comments, then renames, each in the text that results.
    """
    mine: dict[tuple[str, Span], Finding] = {}
    for f in findings:
        if f.span.path == path and f.rule in FIXABLE:
            mine.setdefault((f.rule, f.span), f)  # the same line reported for several targets
    if not mine:
        return FileFix(path, text, text, 0)
    if conf and "\r" in text and "\n" not in text:
        return FileFix(path, text, text, 0, (Skip(path, 0, "", (
            "its lines end with a lone CR, which Redis does not treat as a line break: Redis reads the whole "
            "file as one line, so no line-level fix keeps its meaning; save it with LF line endings first")),))
    doc = _Text(text)
    skipped: list[Skip] = []
    edits: list[tuple[_Edit, int]] = []  # with the line of the directive
    for (rule, span), f in sorted(mine.items(), key=lambda kv: kv[0][1]):
        if rule == "RL017":
            # One finding names every old alias of a file: its span and the related spans.
            for other in (r.span for r in f.related if r.span.path == path):
                renamed = _rename(doc, other, lines.by_name.get(other, ()), known)
                if isinstance(renamed, str):
                    skipped.append(Skip(path, other.line, rule, renamed))
                else:
                    edits.append((renamed, 0))
            result = _rename(doc, span, lines.by_name.get(span, ()), known)
        elif rule == "RL015":
            result = _unfold(doc, f)
        else:
            result = _move_comment(doc, f, lines.by_span.get(span, ()), conf)
        if isinstance(result, str):
            skipped.append(Skip(path, span.line, rule, result))
        else:
            edits.append((result, span.line if rule == "RL013" else 0))
    edits.sort(key=lambda e: e[0].start)
    out: list[str] = []
    at = 0
    for edit, _ in edits:
        if edit.start < at:  # overlapping edits cannot both be right: keep the file as it was
            return FileFix(path, text, text, 0, (*skipped, Skip(path, 0, "", "two fixes overlap")))
        out.append(text[at:edit.start])
        out.append(edit.text)
        at = edit.end
    out.append(text[at:])
    moved = tuple(line for _, line in edits if line)
    return FileFix(path, text, "".join(out), len(edits), tuple(skipped), moved)
