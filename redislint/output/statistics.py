"""`--statistics`: how many findings each rule produced, by severity, instead of the findings.

    count  rule   severity  name
        2  RL303  warning   fork-headroom-insufficient
        1  RL013  error     trailing-comment

    3 findings: 1 error, 2 warnings, 0 notes.

Sorted by count, then severity, then code (Ruff's `--statistics` order). A rule whose findings have
several severities (targets under different profiles) has one row per severity. `render_json` is
the same as `{"version": 1, "statistics": [...], "counts": {...}}` for `--format json`.
Suppressed findings are not counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redislint.model import Report
from redislint.output import OutputOptions, safe
from redislint.output._common import plural

if TYPE_CHECKING:
    from redislint.rules._api import Rule


def rows(report: Report) -> list[tuple[int, str, str, str]]:
    """(count, code, severity, name), most frequent first."""
    counted = Counter((f.rule, f.severity, f.name) for f in report.findings)
    ordered = sorted(counted.items(), key=lambda kv: (-kv[1], -kv[0][1].rank, kv[0][0]))
    return [(n, code, severity.value, name) for (code, severity, name), n in ordered]


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """The statistics as a text table."""
    table = rows(report)
    counts = report.counts()
    total = sum(counts.values())
    lines = []
    if table:
        width = max(len("count"), *(len(str(n)) for n, *_ in table))
        code_w = max(len("rule"), *(len(c) for _, c, _, _ in table))
        lines.append(f"{'count':>{width}}  {'rule':<{code_w}}  severity  name")
        lines += [f"{n:>{width}}  {safe.clean_name(c):<{code_w}}  {s:<8}  {safe.clean_name(name)}"
                  for n, c, s, name in table]
        lines.append("")
    lines.append(f"{plural(total, 'finding')}: {plural(counts['error'], 'error')}, "
                 f"{plural(counts['warning'], 'warning')}, {plural(counts['note'], 'note')}.")
    return "".join(safe.defuse_line(line) + "\n" for line in lines)


def render_json(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """The statistics as JSON."""
    doc: dict[str, Any] = {
        "version": 1,
        "statistics": [{"count": n, "rule": c, "severity": s, "name": name} for n, c, s, name in rows(report)],
        "counts": report.counts(),
    }
    return safe.dumps(doc, indent=2, sort_keys=True) + "\n"
