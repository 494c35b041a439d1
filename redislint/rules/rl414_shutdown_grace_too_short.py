"""The kubelet's SIGKILL comes before Redis has written its final snapshot on shutdown.

## What it does
On SIGTERM Redis waits up to `shutdown-timeout` (10 s, Redis 7.0+) for lagging replicas, fsyncs the
AOF, and, when save points are set, runs a blocking SAVE of the whole data set before it exits. This
rule estimates that SAVE from the data set's bound (`maxmemory`, the master's for a replica that
copies it, else the memory limit) at the profile's `save_rate_mb_per_second`, adds the replica wait,
and compares the sum with the pod's `terminationGracePeriodSeconds` (the chart's default per version:
Bitnami 30, redis-ha 60 from 4.12.5, Kubernetes 30). No save points (AOF only, the Bitnami default),
`shutdown-on-sigterm nosave`, the AOF on (it is fsynced before the SAVE and is what Redis loads at
start), or no persistent volume: nothing to report. When only the memory limit bounds the data, the
finding is one level lower.

## Why is this bad?
When the grace period ends first, the SAVE is killed half way: without an AOF every write since the
previous snapshot is lost, on every rollout, node drain and eviction. Users of large instances asked
for a configurable grace period for exactly this, "writing RDB snapshot to disks may require more
time (even 5 minutes)" (https://github.com/DandyDeveloper/charts/pull/113,
https://github.com/DandyDeveloper/charts/issues/62); with Sentinel, Bitnami's preStop failover used up
20 of the 30 default seconds (https://github.com/bitnami/charts/pull/13021); spotahome made it
configurable after pods were killed mid-shutdown (https://github.com/spotahome/redis-operator/issues/270).
Redis 7.0 added the replica wait after acknowledged writes were lost on a graceful shutdown under
Kubernetes (https://github.com/redis/redis/issues/9693).

## Example
```yaml profile=critical
architecture: standalone
commonConfiguration: |
  appendonly no
  save 300 10
  maxmemory 8gb
master:
  resources:
    limits:
      memory: 16Gi
```

## Use instead
```yaml profile=critical
architecture: standalone
commonConfiguration: |
  appendonly no
  save 300 10
  maxmemory 8gb
master:
  terminationGracePeriodSeconds: 600
  resources:
    limits:
      memory: 16Gi
```

## Fix
Raise `terminationGracePeriodSeconds` (Bitnami `master.`/`replica.`/`sentinel.terminationGracePeriodSeconds`,
redis-ha `redis.terminationGracePeriodSeconds`, a pod's `spec.terminationGracePeriodSeconds`) above the
estimate, or turn the AOF on so that the final snapshot is not the only copy. If your disks are faster
than the profile assumes, set `save_rate_mb_per_second` in a profile that extends it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import save_points, templated_keys
from redislint.rules._lifecycle import data_bound, one_level_lower, rate_text, seconds

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# Room on top of the estimate, for the fsync, the exit and a slower disk than assumed.
MARGIN = 1.5


def grace_key(target: Target) -> str:
    """The key that sets this role's terminationGracePeriodSeconds."""
    if target.chart == "redis-ha":
        return "redis.terminationGracePeriodSeconds"
    if target.chart.startswith("bitnami/"):
        return ("sentinel" if target.role == "node" else target.values_prefix) + ".terminationGracePeriodSeconds"
    return "spec.template.spec.terminationGracePeriodSeconds"


def _replica_wait(target: Target) -> int:
    """Seconds Redis 7.0+ waits on SIGTERM for lagging replicas (shutdown-timeout), when it has any."""
    if (target.redis_version.major, target.redis_version.minor) < (7, 0):
        return 0
    followers = target.facts.replicas_of_master.value or 0
    if not followers:
        return 0
    try:
        return int(target.value("shutdown-timeout") or 10)
    except ValueError:
        return 10


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or not facts.persistent.value or not facts.grace_period.origin:
        return  # no volume to save to, or a deployment kind whose builder does not read its grace period
    if {"save", "appendonly", "maxmemory", "shutdown-on-sigterm"} & templated_keys(target):
        return
    if "nosave" in (target.value("shutdown-on-sigterm") or "default").lower() or not save_points(target):
        return
    if (target.value("appendonly") or "no").lower() == "yes":
        return  # the AOF is fsynced before the SAVE and is what Redis loads at start: a cut SAVE loses nothing
    bound = data_bound(target)
    if bound is None:
        return
    rate = profile.save_rate_mb_per_second
    save_s = seconds(bound.size, rate)
    wait = _replica_wait(target)
    need = save_s + wait
    grace = int(facts.grace_period.value)
    if need <= grace:
        return
    lose = "every write since the previous snapshot is lost, at every rollout, drain and eviction"
    waits = f", after waiting up to {wait} s (shutdown-timeout) for lagging replicas" if wait else ""
    key = grace_key(target)
    want = max(grace + 1, int(need * MARGIN))
    span = facts.grace_period.span if facts.grace_period.span is not None and facts.grace_period.span.path else None
    if span is None and target.values is not None:
        span = target.values.anchor(key.rsplit(".", 1)[0]) if target.chart else None
    yield Hit(f"On SIGTERM Redis saves the whole data set before it exits (save points are set){waits}: "
              f"{'up to ' if not bound.chosen else ''}{bound.what} at {rate_text(rate)} (the profile's save rate) "
              f"takes about {save_s} s, but the pod gets {grace} s ({facts.grace_period.origin}) before the kubelet "
              f"kills it: {lose}",
              span or target.config_anchor,
              f"Set {key} to at least {want}, or turn the AOF on so the final snapshot is not the only copy",
              subject=key, severity=None if bound.chosen else one_level_lower(profile, "RL414"))


RULE = define("RL414", "shutdown-grace-too-short", "durability", Severity.WARNING, __doc__, check,
              tags=("durability", "kubernetes", "shutdown"))
