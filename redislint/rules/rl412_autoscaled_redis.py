"""A HorizontalPodAutoscaler scales Redis pods: every scale-up is a full sync, a scale-down can take the master.

## What it does
Reports a Redis role whose pods an autoscaler sizes (Bitnami `replica.autoscaling.enabled`, Bitnami
valkey `replica.autoscaling.hpa.enabled`) with `minReplicas` below `maxReplicas`. In Sentinel mode
the autoscaled StatefulSet (`-node`) also runs the current master. An autoscaler whose bounds are
equal, and autoscalers whose triggers read Redis but scale something else (KEDA scaling workers on a
list's length), are not reported.

## Why is this bad?
A Redis replica is not a stateless worker. Each new pod asks the master for a full sync: a fork and
an RDB transfer on the master, the replication buffer on top, and `LOADING` replies from the new pod
while it loads (https://github.com/DandyDeveloper/charts/issues/80). A StatefulSet scales down from the
highest ordinal, which Sentinel does not know about: in Sentinel mode that pod can be the master, and
fewer replicas than `min-replicas-to-write` make the master refuse writes. Maintainers advise against
it: the spotahome operator does not support an HPA on a RedisFailover
(https://github.com/spotahome/redis-operator/issues/566), and Bitnami doubted an autoscaled
redis-cluster would survive nodes coming and going, where a scaled-down pod left its claim and its
data behind (https://github.com/bitnami/charts/issues/27897); scaling a replicated KeyDB up and down
lost data (https://github.com/Enapter/charts/issues/60).

## Example
```yaml profile=critical
architecture: replication
sentinel:
  enabled: true
replica:
  autoscaling:
    enabled: true
    minReplicas: 3
    maxReplicas: 6
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
Size the replicas for the peak read load and set `replicaCount`; scale reads with more replicas in a
reviewed change, at a quiet time. If an autoscaler must stay, give it equal `minReplicas` and
`maxReplicas` at or above `min-replicas-to-write` + 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    scaled = facts.autoscaling
    if not facts.known or scaled.value is None:
        return
    low, high = scaled.value
    if low >= high:
        return
    holds_master = target.role == "node" or target.mode == "sentinel"
    master = target.upstream if target.upstream is not None else target
    try:
        to_write = int(master.value("min-replicas-to-write") or 0)
    except ValueError:
        to_write = 0
    refuse = ""
    followers = low - 1 if holds_master else low
    if to_write and followers < to_write:
        refuse = (f"; at {low} pods the master has {followers} replicas, fewer than min-replicas-to-write {to_write}, "
                  "and refuses writes")
    down = ("a scale-down removes the highest ordinal, which after any failover can be the master"
            if holds_master else "a scale-down removes replicas Sentinel and clients still count on")
    yield Hit(f"An autoscaler sizes these Redis pods between {low} and {high} ({scaled.origin}): every scale-up is a "
              "full sync (a fork and an RDB transfer on the master, LOADING replies from the new pod), and "
              f"{down}{refuse}",
              scaled.span or target.anchor,
              f"Turn {scaled.origin}.enabled off and set the replica count for the peak load",
              subject=scaled.origin)


RULE = define("RL412", "autoscaled-redis", "replication", Severity.WARNING, __doc__, check,
              tags=("replication", "kubernetes", "autoscaling"))
