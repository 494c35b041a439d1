"""The `gitlab` format: a GitLab Code Quality report (`artifacts:reports:codequality`).

A JSON array of issues with the fields GitLab reads: `description`, `check_name`, `fingerprint`,
`severity`, `location.path`, `location.lines.begin` (plus `lines.end`, and the Code Climate `type`
and `categories` that GitLab ignores). `positions` is not sent: GitLab reads only the begin line.
GitLab compares fingerprints with the target branch to tell new from resolved issues and collapses
identical fingerprints into one entry, so the fingerprint is `fingerprint.py`'s: distinct per
finding and unchanged when lines move.

Severity: GitLab's documented values are `info`, `minor`, `major`, `critical`, `blocker`. We map
note -> `info`, warning -> `minor`, error -> `major`: the mapping of Microsoft's sarif-tools
`codeclimate` converter (so converting our SARIF gives the same report) and of other linters' GitLab
outputs; `critical` and `blocker` stay free for a future "Redis will not start" class.

Paths are relative to the root (absolute outside it). Suppressed findings and notifications are not
representable and are left out (the exit code still reports unreadable files). What a finding rests
on (chart or Redis version assumed, a values layer not seen …) ends its description ("Assumed: …"):
the description is all GitLab shows. No BOM; sorted; trailing newline. Secret values are masked; the
description is neutralised like the text output (`safe.clean`), and the path keeps the true text,
JSON-escaped where unsafe (`safe.dumps`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from redislint.model import Report, Severity
from redislint.output import OutputOptions, safe
from redislint.output._common import PathMapper, clean, clean_name, entries, sentence
from redislint.output.assumed import Assumed, for_message

if TYPE_CHECKING:
    from redislint.rules._api import Rule

SEVERITY = {Severity.NOTE: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as a GitLab Code Quality JSON array."""
    mapper = PathMapper(options.root)
    assumed = Assumed(report)
    issues: list[dict[str, Any]] = []
    for entry in entries(report, options._replace(show_suppressed=False), mapper):
        f, s = entry.finding, entry.finding.span
        description = f"{clean_name(f.rule)} {clean_name(f.name)}: {sentence(clean(f.message))}"
        if f.fix.strip():
            description += " Fix: " + sentence(clean(f.fix))
        said = for_message(assumed.of(f))
        if said:
            description += " " + said
        issues.append({
            # `type` and `categories` are required by the Code Climate spec GitLab's format comes from;
            # GitLab ignores them (as Microsoft's sarif-tools converter does, we send a fixed category).
            "type": "issue",
            "categories": ["Bug Risk"],
            "description": description,
            "check_name": f.rule,
            "fingerprint": entry.fingerprint,
            "severity": SEVERITY[f.severity],
            "location": {
                "path": entry.path,
                "lines": {"begin": max(s.line, 1), "end": max(s.end_line, s.line, 1)},
            },
        })
    return safe.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
