"""A directive set in one place and silently overridden by a later layer.

## What it does
Follows the order in which Redis reads the chart's files (`redis.conf` from `commonConfiguration`,
the role's `configuration`, then `extraFlags`; sentinel nodes read `redis.conf` last) and flags every
line a person wrote whose value does not survive to the running server. `save` lines that are erased
by a later `save ""` count too.

## Why is this bad?
The file says one thing and Redis does another. The classic case: in sentinel mode the chart's
default `save ""` in `commonConfiguration` is read after `replica.configuration`, so the snapshot
rules written there never run — and nobody notices until a restart loses data.

## Example
```yaml
architecture: standalone
commonConfiguration: |
  appendonly yes
  save ""
master:
  configuration: |
    appendonly no
```

## Use instead
```yaml
architecture: standalone
commonConfiguration: |
  save ""
master:
  configuration: |
    appendonly no
```

## Fix
Keep each directive in one place, in the layer that wins (`redislint effective FILE` shows the
chain), or remove the line that has no effect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Related, Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import client_class_limits, is_user_span
from redislint.rules._line_rules import quote

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.redisconf.evaluate import Assignment
    from redislint.target import Target


def _pairs(values: list[str]) -> set[tuple[str, str]]:
    return {(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)}


def _survives(key: str, assignment: Assignment, final: str) -> bool:
    line = assignment.line
    if key == "save" and line is not None:  # the caller passes written lines only
        own = _pairs(list(line.args) if len(line.args) != 1 else line.args[0].split())
        return not own or own <= _pairs(final.split())
    if key == "client-output-buffer-limit" and line is not None:
        # Each line sets one client class; it survives while the final value keeps that class's limits.
        cls = line.args[0] if line.args else ""
        return client_class_limits(assignment.value, cls) == client_class_limits(final, cls)
    return assignment.value == final


def _overriders(key: str, history: tuple) -> list:
    """For each step, the later step that overrides it (None: the winner), in one backward pass.

    save lines add up, so the culprit is the next line that cleared or replaced the list; any other
    directive is overridden by the next line that sets another value. (Searching forward from every
    step was quadratic: 20,000 alternating lines took half a minute.)
    """
    n = len(history)
    out: list = [None] * n
    if key == "save":
        nxt = None
        for i in range(n - 1, -1, -1):
            out[i] = nxt
            if getattr(history[i], "effect", "") in ("clear", "include-reset", "set"):
                nxt = history[i]
        return out
    next_diff: list[int | None] = [None] * n  # first written step after i whose value differs from step i's
    near: int | None = None  # the nearest written step after i
    for i in range(n - 1, -1, -1):
        if near is not None:
            next_diff[i] = near if history[near].value != history[i].value else next_diff[near]
        if history[i].line is not None:
            near = i
    return [history[j] if j is not None else None for j in next_diff]


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    for key, setting in target.evaluation.settings.items():
        history = setting.history
        if len(history) < 2:
            continue
        winner = history[-1]
        overriders = _overriders(key, history)
        for i, a in enumerate(history[:-1]):
            if a.line is None or not is_user_span(a.line.span) or _survives(key, a, setting.value):
                continue
            later = overriders[i] or winner
            by = (f"'{quote(later.line.raw)}' in {later.layer}" if later.line is not None and later.line.raw
                  else later.layer)
            if later.layer == a.layer:
                how = f"is overridden by {by} later in the same block"
            else:
                how = f"is overridden by {by}, which Redis reads later"
            related = ((Related(later.line.span, f"this {key} wins"),)
                       if later.line is not None and is_user_span(later.line.span) else ())
            yield Hit(f"'{quote(a.line.raw)}' in {a.layer} has no effect: it {how}; Redis runs with "
                      f"{key} {setting.value!r}", a.line.span,
                      f"Set {key} only in {winner.layer}, or remove this line", related, subject=f"{a.layer}:{key}")


RULE = define("RL018", "overridden-directive", "validity", Severity.WARNING, __doc__, check,
              tags=("provenance", "maintainability"))
