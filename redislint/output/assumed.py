"""What every formatter needs to show the report's assumptions: ids, labels, and a finding's own.

Each assumption of the report (`Report.assumptions`, one per deployment, roles merged) gets an id
`A1`, `A2` … in report order; a finding lists the ids of the assumptions it rests on. Only the text
of an assumption is shown (secrets masked): the same sentence in every format.
"""

from __future__ import annotations

from redislint.model import AssumptionNote, Finding, Report
from redislint.output._common import clean, sentence
from redislint.output.paths import PathMapper


class Assumed:
    """The report's assumptions with their ids, looked up by key."""

    def __init__(self, report: Report) -> None:
        self.notes: list[AssumptionNote] = list(report.assumptions)
        self.ids: dict[str, str] = {n.key: f"A{i}" for i, n in enumerate(self.notes, start=1)}
        self._by_key = {n.key: n for n in self.notes}

    def of(self, finding: Finding) -> list[AssumptionNote]:
        """The assumptions `finding` rests on, in report order."""
        return [self._by_key[k] for k in finding.assumptions if k in self._by_key]

    def ids_of(self, finding: Finding) -> list[str]:
        """Their ids (`A3`)."""
        return [self.ids[n.key] for n in self.of(finding)]


def who(note: AssumptionNote) -> str:
    """"redis/redis (master, replica)"."""
    return note.target + (f" ({', '.join(note.roles)})" if note.roles else "")


def text_of(note: AssumptionNote) -> str:
    """The assumption as one sentence, with the evidence an inference used."""
    text = sentence(clean(note.message))
    if note.evidence:
        text += " Evidence: " + "; ".join(clean(e) for e in note.evidence) + "."
    return text


def where(note: AssumptionNote, mapper: PathMapper) -> tuple[str, int, int]:
    """(display path, line, column) of the place an assumption concerns; the target's file (line 0)
    when it concerns the whole target."""
    span = note.span
    if span is not None and span.path:
        return mapper.display(span.path), span.line, span.column
    return mapper.display(note.path), 0, 0


def for_message(notes: list[AssumptionNote]) -> str:
    """"Assumed: …" for a finding's own assumptions, except those its message names already
    (uncertain ones: see `redislint.assumptions.judged`); "" when there are none."""
    shown = [sentence(clean(n.message)) for n in notes if not n.uncertain]
    return ("Assumed: " + " ".join(shown)) if shown else ""
