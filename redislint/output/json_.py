"""The `json` format: a stable, versioned contract for scripts.

    {"version": 1, "findings": [...], "summary": {...}, "notifications": [...]}

Each finding: `rule`, `name`, `severity`, `message`, `fix`, `path`, `line`, `column`, `end_line`,
`end_column`, `target`, `role`, `profile`, `subject`, `related` (list of `{path, line, column,
end_line, end_column, message}`), `fingerprint` (see `fingerprint.py`) and `suppressed` (true only
with `--show-suppressed`). Paths are relative to the root with `/` separators (absolute outside it);
lines and columns are 1-based Unicode code points, `end_column` exclusive.

Summary: `files_read`, `targets_checked`, `findings` (active findings per severity), `profiles`,
`suppressed` (count). Notifications: `path`, `line`, `column`, `level`, `message` (files that could not
be analysed).

The shape never depends on options; a change to it bumps `version`. Output is deterministic: sorted
findings, sorted keys, two-space indent, trailing newline. Secret values are masked. Strings keep the
true text; characters a terminal would act on are `\\u`-escaped (`safe.dumps`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from redislint.model import Report
from redislint.output import OutputOptions, safe
from redislint.output._common import PathMapper, entries, masked, ordered_notifications

if TYPE_CHECKING:
    from redislint.rules._api import Rule

SCHEMA_VERSION = 1


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as the versioned JSON document."""
    mapper = PathMapper(options.root)
    findings = []
    for entry in entries(report, options, mapper):
        f, s = entry.finding, entry.finding.span
        findings.append({
            "rule": f.rule,
            "name": f.name,
            "severity": f.severity.value,
            "message": masked(f.message),
            "fix": masked(f.fix),
            "path": entry.path,
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
            "target": f.target,
            "role": f.role,
            "profile": f.profile,
            "subject": f.subject,
            "related": [
                {
                    "path": mapper.display(r.span.path),
                    "line": r.span.line,
                    "column": r.span.column,
                    "end_line": r.span.end_line,
                    "end_column": r.span.end_column,
                    "message": masked(r.message),
                }
                for r in f.related
            ],
            "fingerprint": entry.fingerprint,
            "suppressed": entry.suppressed,
        })
    notifications = [
        {
            "path": mapper.display(n.path, follow_links=False) if n.path else "",
            "line": n.line,
            "column": n.column,
            "level": n.level,
            "message": masked(n.message),
        }
        for n in ordered_notifications(report, mapper)
    ]
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "findings": findings,
        "summary": {
            "files_read": report.files_read,
            "targets_checked": report.targets_checked,
            "findings": report.counts(),
            "profiles": sorted(set(report.profiles)),
            "suppressed": len(report.suppressed),
        },
        "notifications": notifications,
    }
    return safe.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
