"""The `github` format: GitHub Actions workflow-command annotations.

    ::error file=charts/redis/values.yaml,line=12,col=5,endColumn=18,title=RL203 aof-disabled::message

- Escaping is exactly actions/toolkit's `escapeData` / `escapeProperty`: `%` -> `%25`, CR -> `%0D`,
  LF -> `%0A` everywhere, and in property values also `:` -> `%3A`, `,` -> `%2C`. Multi-line messages
  (message, `Fix:`, related locations) therefore stay one command. Every field is first made safe
  (`safe.clean`: no ESC, C1 or bidi characters; secrets masked), and the plain log lines (overflow,
  summary) are escaped the same way and defused (`safe.defuse`): the only lines that start with `::`
  are the commands this module writes, and no line holds a legacy `##[` command.
- `col`/`endColumn` are sent only when the span is on one line (the toolkit drops them otherwise),
  counted in UTF-16 code units like the SARIF output; a zero-width span sends only `col`.
- Paths are relative to the root; a file outside it, or whose name holds a character the runner has no
  escape for (ESC, a bidi override), gets no `file=` (GitHub could not place it) and its path, made
  safe, is put in front of the message.
- Caps: GitHub Actions keeps 10 error and 10 warning annotations per step and 50 per job and drops
  the rest silently (GitHub's check-run annotation docs; actions/toolkit#734; yamllint#573); notices
  are observed to be capped the same way. So the most severe come first, at most
  `github_max_annotations` per severity are emitted, and when some are left out their findings are
  printed as plain log lines followed by one `::notice` saying how many were not annotated and
  pointing to the SARIF upload or the text output. One notice slot is kept free for that line.
- Suppressed findings are never annotated. Files that could not be read are annotated by their level
  before the findings of the same severity. A plain summary line ends the output.
- Assumptions (chart or Redis version assumed, a values layer not seen …): a finding that rests on
  some says them in its own annotation ("Assumed: …"), where the reviewer reads it. The list of every
  target's assumptions is printed as plain log lines before the summary, not as annotations: they
  would take notice slots from findings, and a pull request shows annotations only on changed lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from redislint.model import Report
from redislint.output import OutputOptions, safe
from redislint.output._common import (
    PathMapper,
    SourceLines,
    clean,
    clean_name,
    entries,
    ordered_notifications,
    plural,
    summary_line,
)
from redislint.output.assumed import Assumed, for_message, text_of, who
from redislint.output.assumed import where as assumption_place

if TYPE_CHECKING:
    from redislint.rules._api import Rule

_COMMANDS = ("error", "warning", "notice")
_LEVEL_TO_COMMAND = {"error": "error", "warning": "warning", "note": "notice", "none": "notice"}


def escape_data(value: str) -> str:
    """actions/toolkit `escapeData`: the message part of a workflow command."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """actions/toolkit `escapeProperty`: a `key=value` parameter of a workflow command."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Sequence[tuple[str, str | int | None]], message: str) -> str:
    """`::name k=v,k=v::message`, empty properties left out, as the toolkit writes it.

    Each field is escaped first (so a path's line break is the `%0A` GitHub decodes back, and the
    annotation lands on that file), then made safe (`safe.clean`: the other unsafe characters have no
    escape the runner decodes); a legacy `##[` anywhere is defused (`safe.defuse_legacy`).
    """
    props = ",".join(f"{k}={clean_name(escape_property(str(v)))}" for k, v in properties if v not in (None, ""))
    return safe.defuse_legacy(f"::{name}{' ' + props if props else ''}::{safe.clean(escape_data(message))}")


class _Annotation(NamedTuple):
    command: str  # error, warning, notice
    line_text: str  # the workflow command
    plain: str  # the same content as a plain log line, for when it is over the cap


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as workflow commands, capped per severity, with an overflow notice."""
    mapper = PathMapper(options.root)
    lines = SourceLines(report.texts)
    assumed = Assumed(report)
    buckets: dict[str, list[_Annotation]] = {c: [] for c in _COMMANDS}

    for n in ordered_notifications(report, mapper):
        cmd = _LEVEL_TO_COMMAND.get(n.level, "error")
        message = clean(n.message)
        props: list[tuple[str, str | int | None]] = []
        where = ""
        if n.path:
            rel = _placeable(mapper.relative(n.path, follow_links=False))
            where = mapper.display(n.path, follow_links=False) + (f":{n.line}" if n.line >= 1 else "")
            if rel is not None:
                props.append(("file", rel))
                if n.line >= 1:
                    props.append(("line", n.line))
            else:
                message = f"{where}: {message}"
        props.append(("title", "redislint: file not analysed"))
        buckets[cmd].append(_Annotation(cmd, command(cmd, props, message),
                                        _plain(f"{where or '-'}: {n.level}: {clean(n.message)}")))

    for entry in entries(report, options._replace(show_suppressed=False), mapper):
        f, s = entry.finding, entry.finding.span
        cmd = _LEVEL_TO_COMMAND[f.severity.value]
        title = clean_name(f"{f.rule} {f.name}")
        body = [clean(f.message).strip()]
        if f.fix.strip():
            body.append("Fix: " + clean(f.fix).strip())
        for r in f.related:
            body.append(f"Related: {mapper.display(r.span.path)}:{r.span.line}:{r.span.column}: "
                        f"{clean(r.message).strip()}")
        said = for_message(assumed.of(f))
        if said:
            body.append(said)
        rel = _placeable(mapper.relative(s.path))
        props = []
        if rel is not None:
            line, end_line = max(s.line, 1), max(s.end_line, s.line, 1)
            props += [("file", rel), ("line", line), ("endLine", end_line)]
            if end_line == line:
                col = lines.utf16_column(s.path, line, max(s.column, 1))
                props.append(("col", col))
                if s.end_column > s.column:
                    props.append(("endColumn", lines.utf16_column(s.path, line, s.end_column)))
        else:
            body[0] = f"{entry.path}:{s.line}:{s.column}: {body[0]}"
        props.append(("title", title))
        plain = _plain(f"{entry.path}:{s.line}:{s.column}: {f.severity.value} {title}: " + " | ".join(body))
        buckets[cmd].append(_Annotation(cmd, command(cmd, props, "\n".join(body)), plain))

    cap = max(options.github_max_annotations, 0)
    over = any(len(buckets[c]) > cap for c in ("error", "warning"))
    notice_cap = cap - 1 if (over or len(buckets["notice"]) > cap) and cap > 0 else cap
    caps = {"error": cap, "warning": cap, "notice": notice_cap}

    out: list[str] = []
    hidden: list[_Annotation] = []
    for c in _COMMANDS:
        out += [a.line_text for a in buckets[c][:caps[c]]]
        hidden += buckets[c][caps[c]:]
    if hidden:
        counts = {c: sum(1 for a in hidden if a.command == c) for c in _COMMANDS}
        what = ", ".join(plural(n, {"notice": "note"}.get(c, c)) for c, n in counts.items() if n)
        out.append(_plain(f"redislint: {len(hidden)} more not annotated ({what}); GitHub shows at most "
                          f"{cap} error, {cap} warning and {cap} notice annotations per step:"))
        out += [a.plain for a in hidden]
        out.append(command("notice", [("title", "redislint: more findings than annotations")],
                           f"{plural(len(hidden), 'finding')} ({what}) not shown as annotations because "
                           f"GitHub Actions keeps at most {cap} annotations per severity in a step. "
                           "They are listed in this step's log; upload --format sarif to code scanning, "
                           "or run --format text, to see every finding."))
    for note in assumed.notes:
        path, line, _ = assumption_place(note, mapper)
        out.append(_plain(f"redislint: {path}{f':{line}' if line else ''}: assumed for {who(note)}: "
                          f"{text_of(note)}"))
    out.append(_plain("redislint: " + summary_line(report)))
    return "\n".join(out) + "\n"


def _placeable(rel: str | None) -> str | None:
    """`rel`, or None when GitHub could not be given the file's name: a character other than CR and LF
    that the runner has no escape for (ESC, a bidi override) would be replaced, naming another file."""
    if rel is None:
        return None
    escaped = escape_property(rel)
    return rel if clean_name(escaped) == escaped else None


def _plain(text: str) -> str:
    """A plain log line: escaped like a command's message (one line), and never a command itself."""
    return safe.defuse_line(safe.clean(escape_data(text)))
