"""maxmemory at or above the container memory limit: the pod is OOM-killed before eviction starts.

## What it does
Flags a role whose `maxmemory` is greater than or equal to the container memory limit (from
`resources.limits.memory` or the chart's `resourcesPreset`).

## Why is this bad?
Redis starts evicting (or refusing writes) only when its allocator reaches `maxmemory`. The
kernel kills the container when the cgroup reaches the limit, and the process needs more than
`maxmemory` anyway: allocator fragmentation, client and replica output buffers, the AOF buffer
and the fork's copy-on-write pages are not counted. With the cap at or above the limit, the
eviction policy never gets a chance: the pod is OOM-killed, restarts, replays its AOF, and
does it again.

## Example
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 2gb
  resources:
    limits:
      memory: 1Gi
```

## Use instead
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 1gb
  resources:
    limits:
      memory: 2Gi
```

## Fix
Lower `maxmemory` to the memory limit divided by the fork headroom factor, or raise the limit
(runbook: limits 2Gi for 1Gi of data).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import follows_only
from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import fact_related
from redislint.rules._sizing import (
    factor_text,
    k8s_size_up,
    keys_for,
    limit_origin,
    maxmemory,
    maxmemory_text,
    redis_size,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    limit = facts.memory_limit.value if facts.known else None
    m = maxmemory(target)
    if limit is None or not m or m < limit or follows_only(target):
        return  # a replica nothing promotes ignores its maxmemory: RL309 compares its limit with the master's
    k = profile.fork_headroom_factor
    keys = keys_for(target)
    relation = "equals" if m == limit else "exceeds"
    yield Hit(f"maxmemory {maxmemory_text(target)} ({format_bytes(m)}) {relation} the memory limit "
              f"{format_bytes(limit)} ({limit_origin(target)}): the container is OOM-killed before Redis starts "
              "evicting or refusing writes", target.directive_span("maxmemory"),
              f"Lower maxmemory to {redis_size(int(limit / k))} (limit / {factor_text(k)}), or raise "
              f"{keys.limit} to {k8s_size_up(int(m * k))}",
              fact_related(facts.memory_limit, f"memory limit {format_bytes(limit)}"), subject="maxmemory",
              causes=("maxmemory-over-limit",))


RULE = define("RL304", "maxmemory-exceeds-limit", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "oom"))
