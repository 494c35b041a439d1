"""Values read as Facts: a value with the values key that set it, or the chart default it falls back to."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from redislint.charts.values_view import ValuesView
from redislint.facts import Fact
from redislint.quantity import parse_quantity
from redislint.target import Unresolved

_CACHED_QUANTITY_CHARS = 64  # longer strings are parsed every time (and never kept)


class FactReader:
    """Reads values with defaults, turning each into a Fact and collecting what cannot be parsed."""

    def __init__(self, view: ValuesView) -> None:
        self.view = view
        self.unresolved: list[Unresolved] = []

    def fact(self, path: str, default: Any, origin_default: str = "chart default") -> Fact[Any]:
        found = self.view.get(path)
        if found is None:
            deleted = self.view.is_null(path)
            if deleted is not None:  # `key: null` deletes the chart default in Helm
                return Fact(None, deleted.key_span, f"{path}: null removes the chart default", path)
            return Fact(default, None, f"{origin_default} ({path})", path)
        return Fact(found.value, found.span, path, path)

    def quantity(self, path: str, default: str | None) -> Fact[int | None]:
        found = self.view.get(path)
        raw, span, origin = (default, None, f"chart default ({path})") if found is None else (found.value, found.span, path)
        if raw in (None, ""):
            return Fact(None, span, origin, path)
        try:
            return Fact(_quantity(raw), span, origin, path)
        except ValueError as exc:
            if span is not None:
                self.unresolved.append(Unresolved(f"{path} is {raw!r}, which is not a Kubernetes quantity ({exc}); "
                                                  "size and memory checks for this role were skipped", span, path))
            return Fact(None, span, origin, path)


def _quantity(raw: Any) -> int:
    """parse_quantity, remembered for short strings ("8Gi", the default size of every role)."""
    if raw.__class__ is str and len(raw) <= _CACHED_QUANTITY_CHARS:
        bytes_, error = _parsed_quantity(raw)
        if error is not None:
            raise ValueError(error)
        return bytes_
    return parse_quantity(raw)


@lru_cache(maxsize=1024)
def _parsed_quantity(text: str) -> tuple[int, str | None]:
    """Bytes, or the message of the ValueError (kept as text: a raised exception holds a traceback)."""
    try:
        return parse_quantity(text), None
    except ValueError as exc:
        return 0, str(exc)


def int_fact(view: ValuesView, path: str, default: int, transform: Callable[[int], int] = lambda n: n) -> Fact[int]:
    """An integer count from values (replicaCount), tolerating strings such as "3"."""
    found = view.get(path)
    if found is None:
        return Fact(transform(default), None, f"chart default ({path}: {default})", path)
    try:
        return Fact(transform(int(found.value)), found.span, path, path)
    except (TypeError, ValueError):
        return Fact(transform(default), found.span, f"{path} is not a number", path)
