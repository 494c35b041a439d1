"""The data-loss window (RPO) of the configuration is larger than the profile allows.

## What it does
Computes how many seconds of acknowledged writes a crash or restart can lose, from the effective
config, and compares it with the profile's `max_data_loss_seconds`:

- AOF on: `appendfsync always` → 0 s, `everysec` → 1 s (about 2 s in the worst case, when a slow
  disk makes Redis postpone the fsync), `no` → about 30 s (Linux writes dirty pages back after
  30 s). With `no-appendfsync-on-rewrite yes`, each BGSAVE or AOF rewrite adds a period of about
  30 s (RL207 reports that).
- RDB only: the shortest save interval whose changes threshold is 1 or less (the only save points
  that fire after a single write); with none, the window is unbounded.
- Neither: unbounded.

A window that exists because the AOF is off (RL203), because of an appendfsync the profile does
not allow (RL204), or because no save point is left (RL201) is reported by that rule, with the
window in its message; this rule then stays silent (one root cause, one finding).

When the profile sets `min_replicas_to_write`, it also checks the failover side, where something
fails over: Sentinel (Bitnami `sentinel.enabled`, redis-ha). Replication is asynchronous, so with
`min-replicas-to-write 0` (the default) a promoted replica can lack any number of acknowledged
writes. Without Sentinel, Bitnami's `replication` replicas are copies, not automatic standbys:
nothing promotes one, so there is no automatic failover to lose writes in. It never advises
`min-replicas-to-write N` to a master with N replicas or fewer: with fewer, Redis refuses every
write (`NOREPLICAS`); with exactly N, every write while one of them restarts. That half is always
a warning, never an error: whether a failover loses writes also depends on clients (`WAIT`) and on
Sentinel's timing, which no configuration file shows.

## Why is this bad?
The window is the promise a profile makes about the data: "at most 1 s of cache writes", "no
acknowledged write of record". A configuration whose window is larger breaks that promise
silently, and the difference only shows after a crash.

## Example
```conf profile=session
appendonly no
save 7200 1
maxmemory 1gb
maxmemory-policy allkeys-lru
```

## Use instead
```conf profile=session
appendonly no
save 3600 1
maxmemory 1gb
maxmemory-policy allkeys-lru
```

## Fix
Shrink the window to the profile's maximum: turn the AOF on (`appendonly yes`) with
`appendfsync everysec`, or `always` for a 0 s window (runbook "For Critical Data"); for a
snapshot-only profile add a save point that fires on one change within the window
(`save 3600 1`). On a Sentinel-managed master with more replicas than that, add
`min-replicas-to-write 1`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import (
    aof_on_fix,
    failover_source,
    failover_window_for,
    fails_over,
    format_seconds,
    window_for,
)
from redislint.kinds.registry import vocabulary_of
from redislint.model import Related, Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import (
    at_most,
    config_place,
    from_chart_default_common,
    is_user_span,
    origin_of,
    setting_related,
    templated_keys,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def _disk_fix(target: Target, limit: float) -> str:
    if limit <= 0:
        return aof_on_fix(target, "Set `appendonly yes` with `appendfsync always`")
    if limit >= 60:
        return (f"Add a save point that fires on one change, such as `save {int(limit)} 1`, or "
                + aof_on_fix(target, "set `appendonly yes` with `appendfsync everysec`"))
    return aof_on_fix(target, "Set `appendonly yes` with `appendfsync everysec`")


# The rule that owns each mechanism's window, when the profile makes that rule report it.
_CAUSES = {"aof": ("appendfsync",), "rdb": ("aof-off", "save-points"), "none": ("aof-off", "rdb-off")}


def _disk(target: Target, profile: Profile) -> Iterator[Hit]:
    window = window_for(target)
    limit = profile.max_data_loss_seconds  # None: the profile does not judge the window
    if window is None or limit is None:
        return
    deciding = {"appendonly", "appendfsync"} if window.mechanism == "aof" else {"appendonly", "save"}
    if templated_keys(target) & deciding or not window.exceeds(limit):
        return
    message = (f"Data-loss window is {window.text} vs at most {format_seconds(limit)} allowed by profile "
               f"{profile.name}: {window.reason}")
    related: tuple[Related, ...] = ()
    if window.mechanism == "aof":
        span = target.directive_span("appendfsync")
        written = target.written("appendfsync")
        place = "" if written is not None and written.line is not None and is_user_span(written.line.span) \
            else config_place(target, "in")
        fix = f"Set `appendfsync {'always' if limit < 1 else 'everysec'}`{place}"
    elif window.mechanism == "rdb":
        span = target.directive_span("save")
        related = setting_related(target, "appendonly", "the AOF is off, so the snapshots decide the window")
        fix = _disk_fix(target, limit)
    else:
        written = target.written("appendonly")
        if written is not None and written.line is not None and is_user_span(written.line.span):
            span = written.line.span
            related = setting_related(target, "save", "no save points either")
        else:
            span = target.directive_span("save")
        fix = _disk_fix(target, limit)
    causes = _CAUSES[window.mechanism]
    if window.mechanism == "aof" and from_chart_default_common(target, "appendfsync"):
        causes += ("chart-default-common",)  # RL201's one commonConfiguration text sets appendfsync too
    yield Hit(message, span, fix, related, subject="data-loss-window", causes=causes)


def _failover(target: Target, profile: Profile) -> Iterator[Hit]:
    required = profile.min_replicas_to_write
    if required <= 0 or not failover_source(target) or not fails_over(target):
        return
    followers = target.facts.replicas_of_master.value
    if not followers or followers < required:
        return  # NOREPLICAS on every write: never advised (RL501 asks for the replicas first)
    if templated_keys(target) & {"min-replicas-to-write", "min-replicas-max-lag"}:
        return
    window = failover_window_for(target)
    try:
        count = int(target.value("min-replicas-to-write") or 0)
    except ValueError:
        return
    if count >= required and not window.unbounded:
        return
    key = "min-replicas-to-write" if count < required else "min-replicas-max-lag"
    message = (f"Data-loss window on failover is {window.text}: {window.reason} ({key}: "
               f"{origin_of(target, key)}); Sentinel promotes a replica when the master fails, and profile "
               f"{profile.name} requires min-replicas-to-write {required} or more")
    # A map config names the key (`redis.config.min-replicas-to-write`); a config text takes a line.
    v = vocabulary_of(target)
    entry = v.min_replicas if v is not None else None
    setting = f"`{entry}: {required}`" if entry else f"`min-replicas-to-write {required}`"
    place = "" if entry else config_place(target)
    if followers == required:
        message += (f"; with {followers} replica{'s' if followers != 1 else ''} following the master, that would "
                    "also refuse every write while one of them restarts")
        fix = f"Run at least {required + 1} replicas following the master, then add {setting}{place}"
    else:
        fix = (f"Add {setting} with `min-replicas-max-lag 10`{place}: the master then refuses writes "
               f"while fewer than {required} replica{'s' if required != 1 else ''} acknowledged within 10 s, which bounds "
               "what a failover loses to about 10 s (it does not wait for each write to reach a replica)")
    yield Hit(message, target.directive_span(key), fix, subject=key, severity=at_most(profile, "RL205", Severity.WARNING))


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    yield from _disk(target, profile)
    yield from _failover(target, profile)


RULE = define("RL205", "data-loss-window-exceeded", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "durability", "rpo"))
