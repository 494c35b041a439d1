"""Fewer replicas follow the master than the profile requires.

## What it does
For chart releases, counts the replicas that follow the master (`replica.replicaCount` in
replication mode; `replica.replicaCount - 1` in sentinel mode, where one of the nodes is the
master; none in standalone mode; `replicas - 1` for redis-ha) and compares it with the profile's
`min_replicas`. Hand-written workloads and bare redis.conf files are not judged: their replicas,
if any, are not visible.

## Why is this bad?
Persistence protects against a restart, not against losing the volume, the node or the zone the
master runs on. Without enough replicas a single failure loses the data of record, and there is
nothing for Sentinel to promote. (Without Sentinel, Bitnami's `replication` replicas are copies,
not automatic standbys: someone has to promote one by hand.) Two replicas keep one copy while the other restarts during a
rolling update (runbook "For Critical Data": `replicaCount: 2`).

## Example
```yaml profile=critical
architecture: replication
sentinel:
  enabled: true
replica:
  replicaCount: 2
```

## Use instead
```yaml profile=critical
architecture: replication
sentinel:
  enabled: true
replica:
  replicaCount: 3
```

## Fix
Run `architecture: replication` with enough replicas: `replica.replicaCount` equal to the
profile's minimum, plus one in sentinel mode (the master is one of the nodes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import failover_source, fails_over
from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import has_role_blocks, is_user_span
from redislint.rules._sizing import replica_memory_limit, replicas_too

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def _replica_count_key(target: Target) -> str:
    """Where the kind sets its replica count (replica.replicaCount; cluster.slaveCount for bitnami/redis
    before 14.0.0; replicas for redis-ha)."""
    v = vocabulary_of(target)
    return v.replica_count if v is not None and v.replica_count else "replica.replicaCount"


def _new_replicas(target: Target) -> str:
    """What else the replicas a fix adds need: the master's memory (a smaller preset, the chart's default nano
    from 19.0.0, OOM-kills them on every full sync: RL309), and a volume where `replica.persistence.enabled:
    false`, inert while the release is standalone, would put them on an emptyDir."""
    if not has_role_blocks(target) or target.values is None:
        return ""
    parts = []
    limit = target.facts.memory_limit.value
    if replicas_too(target, limit, master_resized=False):
        size = f"the master's {format_bytes(limit)} limit" if limit else "the master's memory"
        replica_limit, source = replica_memory_limit(target)
        now = (f"resourcesPreset {source.split(':', 1)[1]}" if source.startswith("preset:")
               else f"{format_bytes(replica_limit or 0)} limit")
        parts.append(f"replica.resources with {size} (the replicas hold the same data set: with the {now} they would "
                     "get, they are OOM-killed on every full sync)")
    off = target.values.get("replica.persistence.enabled")
    if off is not None and off.value is False:
        parts.append(f"`replica.persistence.enabled: true` (line {off.span.line} puts them on an emptyDir)")
    return (", and " + " and ".join(parts)) if parts else ""


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    required = profile.min_replicas
    if required <= 0 or not facts.known or not failover_source(target):
        return
    fact = facts.replicas_of_master
    if fact.value is None or fact.value >= required:
        return
    count = fact.value
    key = _replica_count_key(target)
    noun = "replica follows" if count == 1 else "replicas follow"
    default = "" if is_user_span(fact.span) else ", the chart default"
    one_is_master = fails_over(target)
    switch = None
    if target.values is None and target.chart:
        why = fact.origin  # an operator's resource: its own field, not a chart value (its kind gives the fix)
    elif one_is_master:
        why = f"{key} is {count + 1}{default}, and one of the pods is the master"
    elif target.mode == "standalone":
        # The switch that adds replicas, when the kind's is not `architecture` (valkey-io replica.enabled,
        # groundhog2k haMode.enabled): the standalone fact was read from it.
        switch = fact.values_path if fact.values_path not in (None, "architecture") else None
        why = f"{switch} is false" if switch else "architecture is standalone"
    else:
        why = f"{key} is {count}{default}"
    message = (f"{count} {noun} the master ({why}) vs at least {required} required by profile {profile.name}: "
               "losing the master's volume or node loses the data")
    if target.mode == "replication" and not fails_over(target):
        # Without Sentinel nothing promotes a replica: say what the replicas are, not a failover.
        message += ("; without Sentinel the replicas are copies, not automatic standbys: when the master fails, "
                    "nothing promotes one")
    if one_is_master:
        fix = f"Set `{key}: {required + 1}` (one of the pods is the master)"
    elif target.mode == "standalone" and switch:
        fix = f"Set `{switch}: true` with enough pods in `{key}` that {required} replicas follow the master"
    elif target.mode == "standalone":
        fix = f"Set `architecture: replication` with `{key}: {required}`{_new_replicas(target)}"
    else:
        fix = f"Set `{key}: {required}`{_new_replicas(target)}"
    if has_role_blocks(target) and not fails_over(target):
        fix += ("; without `sentinel.enabled: true` the replicas are copies, not standbys: nothing promotes one when "
                "the master fails")
    span = fact.span if is_user_span(fact.span) else target.config_anchor
    yield Hit(message, span, fix, subject="replicas")


RULE = define("RL501", "too-few-replicas", "replication", Severity.ERROR, __doc__, check,
              tags=("replication", "availability"))
