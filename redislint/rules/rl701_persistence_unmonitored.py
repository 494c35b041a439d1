"""No metrics exporter: failing saves and AOF writes go unnoticed.

## What it does
Under a profile that requires monitoring, reports when no redis_exporter runs next to Redis: the
Bitnami chart's `metrics.enabled` is false (the chart default), redis-ha's `exporter.enabled` is
false, or a hand-written pod has no exporter container.

## Why is this bad?
Persistence fails quietly: a BGSAVE that cannot fork, a full volume, an AOF write error. Redis
keeps serving from memory, and the first sign is the restart that comes back without the data.
The runbook's alert (`RedisPersistenceFailure`) and its `rdb_last_bgsave_status` /
`aof_last_write_status` checks need these numbers in Prometheus, and without the exporter there
are none.

## Example
```yaml profile=critical
architecture: replication
metrics:
  enabled: false
```

## Use instead
```yaml profile=critical
architecture: replication
metrics:
  enabled: true
  prometheusRule:
    enabled: true
    rules:
      - alert: RedisBGSaveFailed
        expr: redis_rdb_last_bgsave_status == 0
        for: 5m
```

## Fix
Set `metrics.enabled: true` (and `metrics.serviceMonitor.enabled: true` with the Prometheus
Operator), then alert on `redis_rdb_last_bgsave_status` and `redis_aof_last_write_status`
(runbook "Set Up Monitoring").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import is_user_span

if TYPE_CHECKING:
    from redislint.model import Span
    from redislint.profiles import Profile
    from redislint.sources.nodes import Node
    from redislint.target import Target


def values_anchor(target: Target, *paths: str) -> Span:
    """Where a values key belongs: the first of `paths` written, else the `values:` key itself."""
    if target.values is not None:
        found = target.values.anchor(*paths)
        if found is not None:
            return found
        anchor = target.values_anchor
        if anchor is not None and anchor.line == anchor.end_line:
            return anchor
        for layer in reversed(target.values.layers):
            node: Node = layer.root
            for key in layer.prefix:
                child = node.get(key) if hasattr(node, "get") else None
                if child is None:
                    break
                node = child
            return node.span
    return target.anchor


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not profile.monitoring_required or not facts.known or facts.metrics_enabled.value is True:
        return
    fact = facts.metrics_enabled
    tail = ("so a failing BGSAVE (rdb_last_bgsave_status) goes unnoticed until a restart finds an old snapshot, and "
            "a failing AOF rewrite (aof_last_bgrewrite_status: fork: Cannot allocate memory) until the growing AOF "
            f"fills the disk; profile {profile.name} requires monitoring")
    alerts = ("alert on redis_rdb_last_bgsave_status, redis_aof_last_bgrewrite_status and "
              "redis_aof_last_write_status")
    if target.values is not None:
        key = fact.values_path or "metrics.enabled"
        default = "" if is_user_span(fact.span) else " (chart default)"
        message = f"{key} is false{default}: no redis_exporter runs, {tail}"
        span = fact.span if is_user_span(fact.span) else values_anchor(target, key.split(".")[0])
        fix = f"Set `{key}: true` and {alerts}"
    else:
        key = "redis_exporter"
        message = f"The pod runs no redis_exporter sidecar, {tail}"
        span = target.config_anchor
        fix = f"Add a redis_exporter sidecar (oliver006/redis_exporter) to the pod and {alerts}"
    yield Hit(message, span, fix, subject=key)


RULE = define("RL701", "persistence-unmonitored", "monitoring", Severity.ERROR, __doc__, check,
              tags=("monitoring", "persistence"))
