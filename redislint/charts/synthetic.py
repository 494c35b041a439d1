"""Config text the chart writes itself (dir lines, rename-command, its default commonConfiguration)."""

from __future__ import annotations

from typing import NamedTuple

from redislint.model import Span

# A span with an empty path means "no place in the user's files": a chart or Redis default.
NOWHERE = Span("", 0, 0, 0, 0)


class SyntheticText(NamedTuple):
    """Text that is not in any input file; every line points at `where` (a values key, or nowhere)."""

    text: str
    where: Span = NOWHERE
    folded: bool = False
    origins: None = None

    def span(self, line_index: int, start: int = 0, end: int | None = None) -> Span:
        """Every line maps to the key that caused it (e.g. `master.persistence.path`)."""
        return self.where


class KeyValueText(NamedTuple):
    """A `name value` line rendered from a YAML mapping entry (redis-ha's `redis.config`).

    The directive name alone points at the YAML key, so "rename this old alias" lands on the key;
    anything that reaches into the value (an argument, the whole line) points at the YAML value,
    which is what a person edits to change the setting.
    """

    text: str
    key_len: int  # characters of `text` that come from the key
    key_span: Span
    value_span: Span
    folded: bool = False
    origins: None = None

    def span(self, line_index: int, start: int = 0, end: int | None = None) -> Span:
        """The key for a range inside the name, the value otherwise."""
        if start < self.key_len and end is not None and end <= self.key_len:
            return self.key_span
        return self.value_span
