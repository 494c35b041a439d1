"""The append-only file is off although the profile requires it.

## What it does
Reports when the effective `appendonly` is `no` under a profile that requires AOF persistence.
It names the layer the value came from, including the Redis default that applies when
`commonConfiguration` is overridden without repeating `appendonly yes`, and the data-loss window
the snapshots leave instead (RL205 does not report that window again).

## Why is this bad?
Without the AOF, only RDB snapshots survive a restart, and they are minutes old: every write since
the last snapshot is lost. A common way to lose the AOF with the Bitnami chart: writing your own
`commonConfiguration` (to add `maxmemory`, say) *replaces* the chart's default text, which was the
only place that said `appendonly yes`, so Redis falls back to its default `appendonly no`.

## Example
```yaml profile=cache
architecture: standalone
commonConfiguration: |
  maxmemory 1gb
  maxmemory-policy allkeys-lru
```

## Use instead
```yaml profile=cache
architecture: standalone
commonConfiguration: |
  appendonly yes
  appendfsync everysec
  save 900 1
  maxmemory 1gb
  maxmemory-policy allkeys-lru
```

## Fix
Set `appendonly yes` and `appendfsync everysec` (runbook "Enable Both RDB and AOF") in the layer
Redis reads last for this role. On a Redis that already keeps data in dump.rdb, do not only edit
the config: with `appendonly yes` the restarted Redis loads the AOF, which does not exist yet, so it
starts empty, ignores dump.rdb and overwrites it at its next snapshot (redis/redis#12484). First
run `CONFIG SET appendonly yes` on every running server, wait until `INFO persistence` shows
`aof_rewrite_in_progress:0` (Redis has then written the data set into the AOF), and only then
change the config (`check --base` reports that change itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import aof_on_fix, format_seconds, window_for
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import (
    checksum_off,
    common_fix,
    directive_place,
    is_user_span,
    origin_of,
    save_points,
    templated_keys,
)

if TYPE_CHECKING:
    from redislint.model import Span
    from redislint.profiles import Profile
    from redislint.target import Target


def _common_replaced(target: Target) -> str | None:
    """The values key of a user-written commonConfiguration (which replaces the chart default), if any."""
    if target.values is None:
        return None
    for key in ("commonConfiguration", "configmap"):
        if target.values.get(key) is not None:
            return key
    return None


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if not profile.aof_required or "appendonly" in templated_keys(target):
        return
    value = (target.value("appendonly") or "no").lower()
    if value == "yes":
        return
    written = target.written("appendonly")
    message = f"AOF is off: appendonly is {value} ({origin_of(target, 'appendonly')})"
    common = _common_replaced(target)
    if written is None and common is not None:
        message += (f"; writing {common} replaces the chart's default text, the only place that set "
                    "`appendonly yes`")
    # The data-loss window this leaves is said here, once (RL205 defers to this finding).
    window = window_for(target) if "save" not in templated_keys(target) else None
    limit = profile.max_data_loss_seconds
    if window is not None and limit is not None:
        message += (f"; {window.reason}: the data-loss window is {window.text}, vs at most "
                    f"{format_seconds(limit)} allowed by profile {profile.name}")
    else:
        message += f"; profile {profile.name} requires the AOF, without it every write since the last snapshot is lost"
    facts = target.facts
    followers = (facts.replicas_of_master.value or 0) if facts.known else 0
    if window is not None and window.mechanism == "none" and followers and target.role in ("master", "primary"):
        # The consequence RL406 would report is said here, once (it defers to this finding).
        message += (f"; a restarted master comes back empty, and its {followers} replica"
                    f"{'s' if followers != 1 else ''} resync from it and drop their copy too")
    latent = checksum_off(target) and not save_points(target)  # nothing written yet: RL208 defers to this
    if latent:
        message += (f"; rdbchecksum no ({origin_of(target, 'rdbchecksum')}) would write the AOF's RDB base "
                    "(aof-use-rdb-preamble) without a CRC64")
    fsync = _relaxed_allowed(profile)
    user_line = written is not None and written.line is not None and is_user_span(written.line.span)
    span, shared = directive_place(target, "appendonly")
    if user_line:
        fix = f"Set `appendonly yes` here, with `appendfsync {fsync}`"
    elif shared:
        fix = common_fix(target, profile, ["appendonly yes", f"appendfsync {fsync}"])
    else:
        fix = f"Add `appendonly yes` and `appendfsync {fsync}`"
        span = _span(target)
    if latent:
        fix += ", and remove `rdbchecksum no`"
    yield Hit(message, span, aof_on_fix(target, fix), subject="appendonly", causes=("aof-off",))


def _span(target: Target) -> Span:
    """The `appendonly` line; when nobody wrote one in a config file of its own (no values block to add it
    to), the persistence lines it belongs next to (the last `save` line) rather than the file's first line."""
    span = target.directive_span("appendonly")
    if target.written("appendonly") is None and target.values is None:
        save = target.written("save")
        if save is not None and save.line is not None and is_user_span(save.line.span) \
                and save.line.span.path == span.path:
            return save.line.span
    return span


def _relaxed_allowed(profile: Profile) -> str:
    """The most relaxed appendfsync the profile allows (`everysec` unless it demands `always`)."""
    return next((v for v in ("everysec", "always", "no") if profile.allows_appendfsync(v)), "everysec")


RULE = define("RL203", "aof-disabled", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "aof"))
