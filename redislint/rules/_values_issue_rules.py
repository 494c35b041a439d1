"""Shared check for rules whose findings the chart model already computed (RL015, RL101, RL102)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from redislint.rules._api import Hit

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def values_issue_check(code: str) -> Callable[["Target", "Profile"], Iterator[Hit]]:
    """A check yielding the target's precomputed values issues with this code."""

    def check(target: "Target", profile: "Profile") -> Iterator[Hit]:
        for issue in target.values_issues:
            if issue.code == code:
                yield Hit(issue.message, issue.span, issue.fix, subject=issue.subject)

    return check
