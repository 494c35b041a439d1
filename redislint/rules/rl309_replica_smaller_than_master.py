"""A replica whose memory limit cannot hold its master's data set: OOM-kill, full resync, OOM-kill, in a loop.

## What it does
Compares a replica's memory limit (Bitnami `replication`: the `replica.*` pods) with the data set it
copies: the master's `maxmemory` plus a quarter for what a full sync adds (twice the data with
`repl-diskless-load swapdb`). Error when the limit is below that; a warning when the master has no
`maxmemory` and more memory than the replica. The replica's own `maxmemory` plays no part: replicas
ignore it (`replica-ignore-maxmemory yes`, the default since Redis 5). Sentinel nodes share one
`replica.*` size, so none is smaller than the one promoted.

## Why is this bad?
A replica holds a full copy of the master's data set and never evicts (Redis docs, "Maxmemory on
replicas", redis/redis-doc#1457: give replicas enough memory never to run out before the master
reaches its maxmemory). Past the replica's limit it is OOM-killed while loading the full sync,
restarts, asks for another (a fork and an RDB transfer on the master) and is killed again, while
the master looks healthy: a Bitnami replica left on the `nano` preset under a larger master
(selhorys/dataspoke-baseline#104); resync loops under memory pressure (redis/redis#4816).

## Example
```yaml profile=cache
architecture: replication
master:
  configuration: |
    maxmemory 900mb
    maxmemory-policy allkeys-lru
  resources:
    limits:
      memory: 2Gi
replica:
  replicaCount: 1
```

## Use instead
```yaml profile=cache
architecture: replication
master:
  configuration: |
    maxmemory 900mb
    maxmemory-policy allkeys-lru
  resources:
    limits:
      memory: 2Gi
replica:
  replicaCount: 1
  resources:
    requests:
      memory: 1Gi
    limits:
      memory: 2Gi
```

## Fix
Give the replicas the master's memory: `replica.resources.limits.memory` at least the fork headroom
factor × the master's `maxmemory` when the replica persists, `requests.memory` at least `maxmemory`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most, fact_related, save_points
from redislint.rules._sizing import (
    factor_text,
    k8s_size_up,
    keys_for,
    limit_origin,
    maxmemory,
    maxmemory_related,
    maxmemory_text,
    memory_limit_span,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# What a full sync adds on top of the data set it loads: the replication buffers and the allocator
# fragmentation a fresh load leaves (used_memory_rss above used_memory). A quarter is a floor, not
# a measurement; the fork headroom of a replica that persists is RL303's and the fix's.
LOAD_OVERHEAD = 1.25


def _persists(target: Target) -> bool:
    return (target.value("appendonly") or "no").lower() == "yes" or bool(save_points(target))


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    master = target.upstream
    facts = target.facts
    if master is None or target.role != "replica" or not facts.known or not master.facts.known:
        return
    if target.values is not None and any(target.values.value(f"{target.values_prefix}.{key}.enabled") is True
                                         for key in ("externalMaster", "externalPrimary")):
        return  # the replicas copy a master outside the release, whose data set the values do not bound
    limit = facts.memory_limit.value
    m = maxmemory(master)
    if limit is None or m is None:
        return  # no limit: nothing OOM-kills the replica at a known size (RL302 says what that costs)
    keys = keys_for(target)
    origin = limit_origin(target)
    preset = facts.memory_limit_source
    test_size = (f"; resourcesPreset {preset.split(':', 1)[1]} is a test size" if preset.startswith("preset:") else "")
    related = fact_related(facts.memory_limit, f"the replica's memory limit {format_bytes(limit)}")
    if m > 0:
        swapdb = (target.value("repl-diskless-load") or "").lower() == "swapdb"
        need = int(m * LOAD_OVERHEAD * (2 if swapdb else 1))
        if limit >= need:
            return  # it holds the data; whether its own forks fit is RL303's
        k = profile.fork_headroom_factor
        want = max(need, int(m * k)) if _persists(target) else need
        load = ("twice, with repl-diskless-load swapdb keeping the old copy while it loads the new one, "
                if swapdb else "")
        yield Hit(f"The replica's memory limit {format_bytes(limit)} ({origin}) cannot hold the data set it copies: "
                  f"the {master.role}'s maxmemory is {maxmemory_text(master)}, and a full sync loads all of it "
                  f"({load}plus about a quarter for buffers and fragmentation): needs ≥ {format_bytes(need)}; once "
                  f"the {master.role} holds more than about {format_bytes(int(limit / LOAD_OVERHEAD))}, the replica is "
                  "OOM-killed while it loads, restarts, asks for another full sync (a fork and an RDB transfer on the "
                  f"{master.role}) and is killed again; its own maxmemory is ignored (replica-ignore-maxmemory)"
                  f"{test_size}", memory_limit_span(target),
                  f"Raise {keys.limit} to at least {k8s_size_up(want)}"
                  + (f" ({factor_text(k)} × the {master.role}'s maxmemory: its own AOF rewrites and snapshots fork)"
                     if want > need else "")
                  + f" and {keys.request} to at least {k8s_size_up(m)}",
                  related + maxmemory_related(master, f"the {master.role}'s maxmemory: the data set the replica copies"),
                  subject=keys.limit, causes=("replica-smaller",))
        return
    master_limit = master.facts.memory_limit.value
    if master_limit is None or limit >= master_limit:
        return  # an unbounded master is RL301/RL303's; a replica as large as its master holds what it holds
    master_keys = keys_for(master)
    yield Hit(f"The replica's memory limit {format_bytes(limit)} ({origin}) is below the {master.role}'s "
              f"{format_bytes(master_limit)} ({limit_origin(master)}), and the {master.role} has no maxmemory: its "
              "data set can grow past what the replica holds, and from then on the replica is OOM-killed on every "
              f"full sync and resyncs in a loop; its own maxmemory is ignored (replica-ignore-maxmemory){test_size}",
              memory_limit_span(target),
              f"Give {keys.resources} the {master.role}'s memory ({keys.limit} {format_bytes(master_limit)}, as "
              f"{master_keys.limit}), and cap the {master.role}'s data set with maxmemory",
              related, subject=keys.limit, severity=at_most(profile, "RL309", Severity.WARNING),
              causes=("replica-smaller",))


RULE = define("RL309", "replica-smaller-than-master", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "replication", "oom"))
