"""Helpers for the redis.conf tests: an EmbeddedText stand-in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from redislint.model import Span


@dataclass(frozen=True)
class FakeEmbedded:
    """A whole file's text: line i starts at file line i+1, column 1."""

    text: str
    path: str = "redis.conf"

    def span(self, line_index: int, start: int = 0, end: int | None = None) -> Span:
        line = _lines(self.text)[line_index]
        stop = len(line) if end is None else end
        return Span(self.path, line_index + 1, start + 1, line_index + 1, stop + 1)


@lru_cache(maxsize=64)
def _lines(text: str) -> list[str]:
    return text.split("\n")
