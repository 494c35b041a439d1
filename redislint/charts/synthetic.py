"""Config text the chart writes itself (dir lines, rename-command, its default commonConfiguration)."""

from __future__ import annotations

from dataclasses import dataclass

from redislint.model import Span

# A span with an empty path means "no place in the user's files": a chart or Redis default.
NOWHERE = Span("", 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class SyntheticText:
    """Text that is not in any input file; every line points at `where` (a values key, or nowhere)."""

    text: str
    where: Span = NOWHERE
    folded: bool = False
    origins: None = None

    def span(self, line_index: int, start: int = 0, end: int | None = None) -> Span:
        """Every line maps to the key that caused it (e.g. `master.persistence.path`)."""
        return self.where
