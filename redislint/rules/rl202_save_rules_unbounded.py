"""No save point fires on a single change, so a low write rate is never snapshotted.

## What it does
Looks at the effective save points and reports when every one of them needs more than one change
(`save 300 10`, `save 60 10000`): none saves after a single write.

## Why is this bad?
A save point `<seconds> <changes>` fires only when *both* the time has passed and at least
`changes` writes happened since the last save. With `save 300 10` alone, nine writes followed by
silence stay in memory forever: the newest snapshot can be arbitrarily old, and a restart loses
everything written since. That is the quiet hours of every low-traffic store. Redis's own default
(`3600 1 300 100 60 10000`) and the runbook (`save 900 1`) always start with an `N 1` point.

## Example
```conf profile=cache
appendonly yes
save 300 10
save 60 10000
```

## Use instead
```conf profile=cache
appendonly yes
save 900 1
save 300 10
save 60 10000
```

## Fix
Add a save point with a changes threshold of 1, such as `save 900 1` (runbook "Enable Proper
Persistence"), to the same layer as the other `save` lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import fires_on_one_change
from redislint.model import Related, Severity
from redislint.redisconf.values import parse_save
from redislint.rules._api import Hit, define
from redislint.rules._helpers import is_user_span, origin_of, save_points, templated_keys

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if "save" in templated_keys(target):
        return
    points = save_points(target)
    if not points or any(fires_on_one_change(p) for p in points):
        return
    fewest = min(points, key=lambda p: (p[1], p[0]))
    shown = " ".join(f"{s} {c}" for s, c in points)
    setting = target.setting("save")
    current = set(points)
    contributing = [a for a in setting.history[:-1] if a.line is not None and is_user_span(a.line.span)
                    and a.line.value and set(parse_save(a.line.value)) <= current]
    related = tuple(Related(a.line.span, "this save point also needs more than one change") for a in contributing)
    message = (f"No save point fires on a single change: save is '{shown}' ({origin_of(target, 'save')}), and the "
               f"lowest threshold is {fewest[1]} changes in {fewest[0]} s, so fewer than {fewest[1]} writes are never "
               "snapshotted and the RDB can be arbitrarily old")
    yield Hit(message, target.directive_span("save"),
              "Add a save point that fires on one change, such as `save 900 1`", related, subject="save",
              causes=("save-points",))


RULE = define("RL202", "save-rules-unbounded", "persistence", Severity.WARNING, __doc__, check,
              tags=("persistence", "rdb"))
