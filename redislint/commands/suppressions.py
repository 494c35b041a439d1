"""`check --add-suppressions`: write the comments, check again, keep only what did exactly that.

Files are replaced through `filewrite` (atomic, never through a link out of the repository, never
inside `.git`), each only if it did not change since it was read. Then the paths are checked again:
a file whose comments brought a new validity finding, left one of its findings unsuppressed, or
drew RL901–RL903 is put back as it was and named. Everything left alone is said on stderr with
the reason; the report printed afterwards is the check of the files as they now are.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redislint.add_suppressions import Added
    from redislint.engine import CheckOptions
    from redislint.model import Finding, Report


def _say(message: str) -> None:
    from redislint.output.safe import clean_name, defuse

    sys.stderr.write(defuse(clean_name(message)) + "\n")


def folded_lines(path: str, text: str) -> frozenset[int]:
    """Lines inside a YAML scalar other than a literal block that runs over several lines (folded,
    quoted, plain): a `#` there is part of the value."""
    from redislint.sources import MapNode, ScalarNode, SeqNode, load_yaml

    out: set[int] = set()
    stack: list[Any] = [doc.root for doc in load_yaml(path, text).documents if doc.root is not None]
    while stack:
        node = stack.pop()
        if isinstance(node, MapNode):
            for key, value in node.entries:
                stack += [key, value]
        elif isinstance(node, SeqNode):
            stack += list(node.items)
        elif isinstance(node, ScalarNode) and node.style != "|" and node.span.end_line > node.span.line:
            out.update(range(node.span.line + 1, node.span.end_line + 1))
    return frozenset(out)


def _key(f: Finding) -> tuple[str, str, str, str, str]:
    return (f.rule, f.span.path, f.target, f.role, f.subject)


def plan(report: Report, targets: Sequence[Any], options: CheckOptions) -> list[Added]:
    """The comments to add in every reported file that has findings."""
    from redislint.add_suppressions import add_to_text
    from redislint.judging import ProfileCache, profile_for_path

    profile_of = profile_for_path(targets, options, ProfileCache())
    conf = {path for path in report.texts if not path.endswith((".yaml", ".yml"))}
    out = []
    for path in sorted({f.span.path for f in report.findings}):
        if path not in report.texts or path in report.context:
            continue
        text = report.texts[path]
        folded = frozenset() if path in conf else folded_lines(path, text)
        reason = bool(getattr(profile_of(path), "suppression_reason_required", False))
        out.append(add_to_text(path, text, report.findings, folded, reason))
    return out


def _anchored_to_file(added: Added, before: Report, after: Report) -> tuple[tuple[str, ...], set[int]]:
    """Codes whose findings the comments were meant to cover but that now sit on an added comment
    line, and those lines."""
    lines = added.new.split("\n")
    meant = {_key(f) for f in before.findings if f.span.path == added.path and f.span.line in added.covered
             and f.rule in added.covered[f.span.line]}
    codes, at = set(), set()
    for f in after.findings:
        if f.span.path == added.path and _key(f) in meant and 1 <= f.span.line <= len(lines):
            line = lines[f.span.line - 1].strip()
            if line.startswith("# redislint: disable=") and line not in added.old:
                codes.add(f.rule)
                at.add(f.span.line)
    return tuple(sorted(codes)), at


def _without(text: str, at: set[int], codes: tuple[str, ...]) -> str:
    """`text` with `codes` taken out of the added comments on lines `at` (a comment left with none goes)."""
    from redislint.suppress import COMMENT_RE

    lines = text.split("\n")
    for number in sorted(at, reverse=True):
        line = lines[number - 1]
        m = COMMENT_RE.search(line)
        if m is None:
            continue
        rest = [c for c in m.group("codes").split(",") if c.strip() not in codes]
        if rest:
            lines[number - 1] = line[:m.start("codes")] + ",".join(rest) + line[m.end("codes"):]
        else:
            del lines[number - 1]
    return "\n".join(lines)


def file_comment(text: str, codes: tuple[str, ...], reason: bool) -> str:
    """A last line `# redislint: disable-file=CODES` (after the file's last line break)."""
    from redislint.add_suppressions import file_wide

    brk = "\r\n" if "\r\n" in text else "\n"
    return ("" if text.endswith("\n") or not text else brk) + file_wide(codes, reason) + brk


def _bad(added: Added, before: Report, after: Report) -> str:
    """Why the comments in `added.path` did not do exactly what they should, or ""."""
    path = added.path
    old = Counter(_key(f) for f in before.findings if f.span.path == path)
    now = [f for f in after.findings if f.span.path == path]
    new = Counter(_key(f) for f in now) - old
    if new:
        return "checked again, it shows findings it did not have (" + ", ".join(sorted({k[0] for k in new})) + ")"
    meant = {_key(f) for f in before.findings if f.span.path == path and f.span.line in added.covered
             and f.rule in added.covered[f.span.line]}
    still = sorted({k[0] for k in meant & {_key(f) for f in now}})
    if still:
        return "checked again, the comments did not suppress " + ", ".join(still)
    return ""


def add_suppressions(paths: list[str], report: Report, targets: Sequence[Any],
                     options: CheckOptions) -> tuple[Report, Sequence[Any]]:
    """Write suppression comments for `report`'s findings; the report and targets of the files as they now are."""
    from redislint.add_suppressions import REASON_PLACEHOLDER
    from redislint.commands.fix import _write
    from redislint.engine import check_paths
    from redislint.filewrite import WriteRefused, repository_root, write_destination

    root = repository_root()
    written: list[tuple[Added, str]] = []
    left = 0
    for added in plan(report, targets, options):
        for item in added.left:
            _say(f"{item.path}:{item.line}: not suppressed ({', '.join(item.rules)}): {item.reason}")
            left += 1
        if added.new == added.old:
            continue
        if added.path.startswith("<") or added.path == "-":
            _say(f"{added.path}: not suppressed: standard input cannot be rewritten")
            continue
        try:
            real = write_destination(added.path, root)
        except WriteRefused as exc:
            _say(f"{added.path}: not written: {exc}")
            continue
        problem = _write(added.path, real, added, not added.path.endswith((".yaml", ".yml")))  # type: ignore[arg-type]
        if problem:
            _say(f"redislint: error: {problem}")
            continue
        written.append((added, real))
    if not written:
        _say(f"added no suppression comments{f'; {left} line(s) left as they were (see above)' if left else ''}")
        return report, targets
    after, after_targets = check_paths(paths, options)
    # A finding anchored to the file itself (a setting missing from a redis.conf points at line 1)
    # stays on line 1, which is now the comment added for the directive there: a file-wide
    # suppression is its scope. One more write, then the verdict.
    again = []
    for i, (added, real) in enumerate(written):
        whole, at = _anchored_to_file(added, report, after)
        if whole:
            wider = added._replace(new=_without(added.new, at, whole) + file_comment(added.new, whole, added.reason))
            problem = _write(added.path, real, added._replace(old=added.new, new=wider.new),  # type: ignore[arg-type]
                             not added.path.endswith((".yaml", ".yml")))
            if not problem:
                written[i] = (wider, real)
                again.append(added.path)
    if again:
        after, after_targets = check_paths(paths, options)
    kept = []
    for added, real in written:
        reason = _bad(added, report, after)
        if not reason:
            kept.append(added)
            continue
        back = added._replace(old=added.new, new=added.old)
        problem = _write(added.path, real, back, not added.path.endswith((".yaml", ".yml")))  # type: ignore[arg-type]
        _say(f"{added.path}: put back as it was: {reason}" + (f" ({problem})" if problem else ""))
    if len(kept) < len(written):
        after, after_targets = check_paths(paths, options)
    todo = any(REASON_PLACEHOLDER in a.new for a in kept)
    _say(f"added suppression comments on {sum(len(a.covered) for a in kept)} line(s) in {len(kept)} file(s)"
         + (f"; {left} line(s) left as they were (see above)" if left else "")
         + ("; replace each TODO with the reason" if todo else ""))
    return after, after_targets
