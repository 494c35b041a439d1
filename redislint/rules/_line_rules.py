"""Shared check for rules that report one kind of problem on config lines Redis would reject."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from redislint.rules._api import Hit
from redislint.rules._helpers import iter_lines

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def line_problem_check(kinds: tuple[str, ...], message: Callable[["Target", object], str],
                       fix: Callable[["Target", object], str]) -> Callable[["Target", "Profile"], Iterator[Hit]]:
    """A check that yields a hit for every line whose problem kind is one of `kinds`."""

    def check(target: "Target", profile: "Profile") -> Iterator[Hit]:
        for line in iter_lines(target.source):
            if line.problem is not None and line.problem.kind in kinds:
                yield Hit(message(target, line), line.span, fix(target, line), subject=f"{line.layer}:{line.key}")

    return check


def where(line: object) -> str:
    """"in master.configuration" for messages."""
    return f"in {getattr(line, 'layer', '')}"
