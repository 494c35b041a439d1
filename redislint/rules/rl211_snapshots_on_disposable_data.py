"""Snapshots or the AOF are still on for data the profile calls disposable.

## What it does
Under a profile that forbids persistence (`ephemeral`: `rdb: forbidden`, `aof: forbidden`),
reports save points that are still active, including Redis's built-in default
`save 3600 1 300 100 60 10000` when no `save` line is written, and `appendonly yes`, including
the Bitnami chart's default `commonConfiguration`.

## Why is this bad?
Persistence off is the right setup for a disposable cache, and it has to be written down: Redis
snapshots by default. Every snapshot forks a child (up to twice the memory in the worst case,
copy-on-write) and writes `dump.rdb` for data nobody will load; the AOF writes every command to
disk and forks for each rewrite. Worse, the persistence nobody wanted can take the cache down:
when a BGSAVE fails (a full or read-only disk, `fork: Cannot allocate memory`, `Permission
denied` on `/data`), Redis refuses every write with `-MISCONF` while `stop-writes-on-bgsave-error`
is `yes` (the default), and an AOF write error does the same.

## Example
```conf profile=ephemeral
maxmemory 256mb
maxmemory-policy allkeys-lru
```

## Use instead
```conf profile=ephemeral
save ""
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru
```

## Fix
Write `save ""` (and `appendonly no`) in the layer Redis reads last for this role; with the
Bitnami chart, write your own `commonConfiguration` with both, since the chart default turns the
AOF on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Related, Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import (
    common_fix,
    config_place,
    directive_place,
    is_user_span,
    meant_save_lines,
    origin_of,
    save_points,
    shared_by_roles,
    templated_keys,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

_MISCONF_SAVE = ("when a BGSAVE fails (disk full, fork: Cannot allocate memory, Permission denied) Redis refuses "
                 "every write with MISCONF (stop-writes-on-bgsave-error yes{default})")


def _user_wrote(target: Target, key: str) -> bool:
    a = target.written(key)
    return a is not None and a.line is not None and is_user_span(a.line.span)


def _snapshots(target: Target, profile: Profile) -> Iterator[Hit]:
    points = save_points(target)
    if not points or profile.rdb != "forbidden":
        return
    if _aof_on(target, profile):
        return  # one finding for both (_both): one decision, persistence on for disposable data
    shown = " ".join(f"{s} {c}" for s, c in points)
    stop = (target.value("stop-writes-on-bgsave-error") or "yes").lower() != "no"
    stop_default = target.written("stop-writes-on-bgsave-error") is None
    consequence = (_MISCONF_SAVE.format(default=", the default" if stop_default else "") if stop
                   else "a failing BGSAVE only shows in the log")
    message = (f"Snapshots are on for data that needs none: save is '{shown}' ({origin_of(target, 'save')}), so "
               f"every snapshot forks and writes dump.rdb for nothing, and {consequence}; profile {profile.name} "
               "treats this data as disposable")
    span, _ = directive_place(target, "save")
    if _user_wrote(target, "save"):
        fix = "Replace the save line(s) with `save \"\"`"
    elif shared_by_roles(target, "save"):
        fix = common_fix(target, profile, ['save ""'])
    else:
        fix = f"Add `save \"\"`{config_place(target)}"
    yield Hit(message, span, fix, _save_lines(target, "the save points it keeps"), subject="save",
              causes=("persistence-on",))


def _aof_on(target: Target, profile: Profile) -> bool:
    return (target.value("appendonly") or "no").lower() == "yes" and profile.aof == "forbidden"


def _save_lines(target: Target, what: str) -> tuple[Related, ...]:
    """The lines that make up the save points (they add up), when a person wrote them."""
    setting = target.setting("save")
    if setting is None:
        return ()
    spans = {a.line.span for a in setting.history
             if a.line is not None and is_user_span(a.line.span) and a.effect in ("set", "append") and a.value}
    spans |= {line.span for line in meant_save_lines(target)}  # refused for a comment, counted as meant
    return tuple(Related(s, what) for s in sorted(spans, key=lambda s: (s.path, s.line, s.column)))


def _aof(target: Target, profile: Profile) -> Iterator[Hit]:
    if not _aof_on(target, profile):
        return
    fsync = (target.value("appendfsync") or "everysec").lower()
    points = save_points(target) if profile.rdb == "forbidden" else []
    # With appendfsync always Redis cannot recover from an AOF write error and exits; otherwise it refuses writes.
    aof_error = ("a failing AOF write stops Redis (appendfsync always: \"Can't recover from AOF write error\", it "
                 "exits)" if fsync == "always" else "a failing AOF write makes Redis refuse writes (MISCONF Errors "
                 "writing to the AOF file)")
    bgsave_error = ("a failing BGSAVE makes Redis refuse writes (MISCONF)"
                    if (target.value("stop-writes-on-bgsave-error") or "yes").lower() != "no"
                    else "a failing BGSAVE only shows in the log")
    if points:
        shown = " ".join(f"{s} {c}" for s, c in points)
        message = (f"Snapshots and the AOF are on for data that needs none: save is '{shown}' "
                   f"({origin_of(target, 'save')}) and appendonly is yes ({origin_of(target, 'appendonly')}), so "
                   f"every snapshot and every AOF rewrite forks, every write is appended to disk (appendfsync {fsync}), "
                   f"{bgsave_error}, and {aof_error}")
    else:
        message = (f"The AOF is on for data that needs none: appendonly is yes ({origin_of(target, 'appendonly')}), "
                   f"so every write is appended to disk (appendfsync {fsync}) and every rewrite forks, and {aof_error}")
    facts = target.facts
    if facts.known and facts.persistent.value is False and str(facts.medium.value) != "Memory":
        message += ("; in an emptyDir the AOF also takes the node's ephemeral storage (about 3 × the data set "
                    "before each rewrite), and the pod is evicted if rewrites keep failing")
    message += f"; profile {profile.name} treats this data as disposable"
    off = ["appendonly no"] + (['save ""'] if points else [])
    span, _ = directive_place(target, "appendonly")
    related = _save_lines(target, "these save points are on too") if points else ()
    if _user_wrote(target, "appendonly"):
        fix = "Set `appendonly no`" + (" and replace the save line(s) with `save \"\"`" if _user_wrote(target, "save")
                                       else f", and add `save \"\"`{config_place(target)}" if points else "")
    elif target.values is not None and target.mode == "sentinel":
        fix = ("Write commonConfiguration with `appendonly no` and `save \"\"` (sentinel nodes read it last, and it "
               "replaces the chart default, which turns the AOF on)")
    elif shared_by_roles(target, "appendonly"):
        fix = common_fix(target, profile, ['appendonly no', 'save ""'])
    else:
        fix = f"Add {' and '.join(f'`{line}`' for line in off)}{config_place(target)}"
    yield Hit(message, span, fix, related, subject="appendonly", causes=("persistence-on",))


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    skip = templated_keys(target)
    if "save" not in skip:
        yield from _snapshots(target, profile)
    if "appendonly" not in skip:
        yield from _aof(target, profile)


RULE = define("RL211", "snapshots-on-disposable-data", "persistence", Severity.WARNING, __doc__, check,
              tags=("persistence", "rdb", "aof", "ephemeral"))
