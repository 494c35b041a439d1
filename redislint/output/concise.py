"""The `concise` format: one line per finding, `path:line:col: SEVERITY CODE message`.

    charts/redis/values.yaml:14:7: error RL203 AOF is disabled for the master: appendonly is "no".

The shape of Ruff's `--output-format concise` and yamllint's `parsable`, which editors, `grep`
and CI problem matchers already read. Suppressed findings are shown only with `show_suppressed`
(marked `(suppressed)` at the end). A message's line breaks become spaces; the line is made safe
like the text output (secrets masked, `safe.clean`, and `safe.defuse_line`: no line is a GitHub
workflow command). Notifications are not lines of this format: files that could not be analysed
are reported on standard error by the CLI, and the summary line is left out, so every line of the
output is a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from redislint.model import Report
from redislint.output import OutputOptions, safe
from redislint.output._common import PathMapper, clean, clean_name, entries

if TYPE_CHECKING:
    from redislint.rules._api import Rule


def render(report: Report, rules: Sequence[Rule], options: OutputOptions) -> str:
    """Render `report` as one line per finding."""
    mapper = PathMapper(options.root)
    out: list[str] = []
    for entry in entries(report, options, mapper, fingerprints=False):
        f, s = entry.finding, entry.finding.span
        message = " ".join(clean(f.message).split())
        line = (f"{clean_name(entry.path)}:{s.line}:{s.column}: {f.severity.value} {clean_name(f.rule)} "
                f"{message}{' (suppressed)' if entry.suppressed else ''}")
        out.append(safe.defuse_line(line))
    return "".join(line + "\n" for line in out)
