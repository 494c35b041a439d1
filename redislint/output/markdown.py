"""The `markdown` format: counts per severity and rule, and the most severe findings as a table.

Written for GitHub's job summary (`--output markdown=$GITHUB_STEP_SUMMARY`, which the action
does), readable in any Markdown view. GitHub aborts a step summary over 1 MiB, so the table holds
at most `TOP_FINDINGS` findings (most severe first) and each message at most `MAX_MESSAGE`
characters; the full list is in the SARIF upload and the annotations.

Everything taken from files is rendered GitHub-flavoured Markdown, so it is neutralised before it
is written: secrets masked and unsafe characters replaced (`safe.clean`), line breaks folded,
every punctuation character that Markdown or HTML acts on inside a line backslash-escaped (no
link, image, emphasis, HTML tag, entity or table cell can be forged), and text that a renderer would turn into
a link by itself (`https://…`, `www.…`) put in a code span. Every line is defused
(`safe.defuse_line`) in case the file is printed to a CI log.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from redislint.model import Report, Severity
from redislint.output import OutputOptions, safe
from redislint.output._common import PathMapper, clean, entries, ordered_notifications, summary_line

if TYPE_CHECKING:
    from redislint.rules._api import Rule

TOP_FINDINGS = 50
MAX_MESSAGE = 1000  # 50 rows stay far below the 1 MiB limit
# What Markdown or HTML acts on inside a line: emphasis, code, links and images, HTML tags and
# entities, strikethrough, table cells (line-start syntax cannot occur: no cell starts a line).
_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|~!&#])")
_AUTOLINK_RE = re.compile(r"(?i)[a-z][a-z0-9+.-]*:/|www\.|@[a-z0-9-]+\.[a-z]")
_ICON = {"error": "🔴", "warning": "🟡", "note": "🔵"}


def text(value: str, limit: int = 0) -> str:
    """A table cell's text: safe, on one line, with nothing Markdown or HTML would act on."""
    value = " ".join(clean(value).split())
    if limit and len(value) > limit:
        value = value[:limit - 1] + "…"
    if _AUTOLINK_RE.search(value):
        return code(value)
    return _ESCAPE_RE.sub(r"\\\1", value)


def code(value: str) -> str:
    """`value` as a code span (no link or emphasis inside); a `|` is still escaped for the table."""
    value = " ".join(clean(value).split())
    fence = "`" * (max((len(m) for m in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value.replace('|', chr(92) + '|')}{pad}{fence}"


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as a Markdown summary."""
    mapper = PathMapper(options.root)
    shown = entries(report, options._replace(show_suppressed=False), mapper, fingerprints=False)
    counts = report.counts()
    out = ["## redislint", "", text(summary_line(report)), ""]
    if shown:
        out += ["| Severity | Findings |", "| --- | ---: |"]
        out += [f"| {_ICON[s.value]} {s.value} | {counts[s.value]} |" for s in Severity if counts[s.value]]
        out.append("")
        by_rule = Counter((e.finding.rule, e.finding.name, e.finding.severity) for e in shown)
        out += ["| Rule | Name | Severity | Findings |", "| --- | --- | --- | ---: |"]
        for (code_, name, severity), n in sorted(by_rule.items(), key=lambda kv: (-kv[0][2].rank, -kv[1], kv[0][0])):
            out.append(f"| {code(code_)} | {text(name)} | {severity.value} | {n} |")
        out.append("")
        top = sorted(shown, key=lambda e: (-e.finding.severity.rank, e.order))[:TOP_FINDINGS]
        title = (f"### Findings ({len(top)} most severe of {len(shown)})" if len(shown) > len(top)
                 else "### Findings")
        out += [title, "", "| Severity | Rule | Where | Message |", "| --- | --- | --- | --- |"]
        for e in top:
            f, s = e.finding, e.finding.span
            out.append(f"| {_ICON[f.severity.value]} {f.severity.value} | {code(f.rule)} | "
                       f"{code(f'{e.path}:{s.line}:{s.column}')} | {text(f.message, MAX_MESSAGE)} |")
        out.append("")
    errors = [n for n in ordered_notifications(report, mapper) if n.level == "error"]
    if errors:
        out += ["### Files not analysed", ""]
        for note in errors:
            where = mapper.display(note.path, follow_links=False) if note.path else "-"
            out.append(f"- {code(where + (f':{note.line}' if note.line >= 1 else ''))}: {text(note.message, MAX_MESSAGE)}")
        out.append("")
    return "".join(safe.defuse_line(line) + "\n" for line in out)
