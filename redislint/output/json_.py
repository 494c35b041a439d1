"""The `json` format: a stable, versioned contract for scripts.

    {"version": 2, "findings": [...], "summary": {...}, "notifications": [...]}

Each finding: `rule`, `name`, `severity`, `message`, `fix`, `path`, `line`, `column`, `end_line`,
`end_column`, `target`, `role`, `profile`, `subject`, `related` (list of `{path, line, column,
end_line, end_column, message}`), `fingerprint` (see `fingerprint.py`), `suppressed` (true only
with `--show-suppressed`) and `assumptions` (ids of the notifications of kind `assumption` the
finding rests on, e.g. `["A1"]`). Paths are relative to the root with `/` separators (absolute
outside it); lines and columns are 1-based Unicode code points, `end_column` exclusive.

Summary: `files_read`, `targets_checked`, `findings` (active findings per severity), `profiles`,
`suppressed` (count), `files_skipped` (files read that hold no Redis target nor anything one reads,
by reason). Notifications: `kind`, `path`, `line`, `column`, `level`, `message`, `id`,
`assumption`, `target`, `roles`, `evidence`. Kind `file`: a file that could not be analysed (`id`,
`assumption` and `target` empty). Kind `assumption` (level `note`): what the conclusions about one
deployment rest on — `id` (`A1` …), `assumption` (`chart-version`, `redis-version`, `values-layer`,
`parent-defaults`, `chart`), `target` and `roles`, the `evidence` an inference used, and where it
applies (`line` 0 when it concerns the whole target). Every target's assumptions are listed, also
those of targets without findings.

The shape never depends on options; a change to it bumps `version` (2: `assumptions`, and the
notification fields after `message`). Output is deterministic: sorted findings, sorted keys,
two-space indent, trailing newline. Secret values are masked. Strings keep the true text;
characters a terminal would act on are `\\u`-escaped (`safe.dumps`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redislint.model import Report
from redislint.output import OutputOptions, safe
from redislint.output._common import PathMapper, entries, masked, ordered_notifications, sentence
from redislint.output.assumed import Assumed, where

if TYPE_CHECKING:
    from redislint.rules._api import Rule

SCHEMA_VERSION = 2


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as the versioned JSON document."""
    mapper = PathMapper(options.root)
    assumed = Assumed(report)
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
            "assumptions": assumed.ids_of(f),
        })
    notifications = [
        {
            "kind": "file",
            "path": mapper.display(n.path, follow_links=False) if n.path else "",
            "line": n.line,
            "column": n.column,
            "level": n.level,
            "message": masked(n.message),
            "id": "",
            "assumption": "",
            "target": "",
            "roles": [],
            "evidence": [],
        }
        for n in ordered_notifications(report, mapper)
    ]
    for note in assumed.notes:
        path, line, column = where(note, mapper)
        notifications.append({
            "kind": "assumption",
            "path": path,
            "line": line,
            "column": column,
            "level": "note",
            "message": sentence(masked(note.message)),
            "id": assumed.ids[note.key],
            "assumption": note.kind,
            "target": note.target,
            "roles": list(note.roles),
            "evidence": [masked(e) for e in note.evidence],
        })
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "findings": findings,
        "summary": {
            "files_read": report.files_read,
            "targets_checked": report.targets_checked,
            "findings": report.counts(),
            "profiles": sorted(set(report.profiles)),
            "suppressed": len(report.suppressed),
            "files_skipped": dict(sorted(report.skipped.items())),
        },
        "notifications": notifications,
    }
    return safe.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
