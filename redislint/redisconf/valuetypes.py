"""The result and error types shared by the value checkers (values.py, special.py)."""

from __future__ import annotations

from typing import NamedTuple


class ConfigValueError(ValueError):
    """A value Redis refuses; `reason` is the server's own message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Normalized(NamedTuple):
    """A line's value in CONFIG GET form, plus a note when Redis reads it surprisingly."""

    value: str
    quirk: str = ""  # "save-ignored" / "save-truncated" (6.2): accepted, not what it says
