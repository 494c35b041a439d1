"""A Deployment rolls out a new Redis pod before the old one stops, on a volume only one of them may write.

## What it does
Reports a Redis Deployment (Bitnami `master.kind: Deployment`, or a hand-written Deployment) whose data
directory is a PersistentVolumeClaim and whose update strategy is `RollingUpdate` (the default). With
one replica the default `maxSurge` of 25% rounds up to one pod, so the new pod starts while the old
one still holds the claim. `Recreate`, a `maxSurge` of 0, StatefulSets and Deployments without a claim
are not reported.

## Why is this bad?
A ReadWriteOnce volume attaches to one node. When the new pod lands on another node it waits on
"Multi-Attach error for volume … Volume is already used by pod(s)", while the old pod is only deleted
once the new one is ready: the rollout hangs (https://github.com/valkey-io/valkey-helm/issues/28,
https://github.com/alphagov/govuk-helm-charts/pull/2871, https://github.com/kubernetes/kubernetes/issues/115997).
When it lands on the same node, ReadWriteOnce lets both mount it, and two redis-servers write one
`appendonlydir` and `dump.rdb` at once. Bitnami made `Recreate` possible for `kind: Deployment` for
this reason ("to avoid chart updating troubles with RWO-volumes (Multi-Attach error)",
https://github.com/bitnami/charts/pull/13822), but the default is still RollingUpdate.

## Example
```yaml profile=critical
architecture: standalone
master:
  kind: Deployment
  persistence:
    size: 8Gi
```

## Use instead
```yaml profile=critical
architecture: standalone
master:
  kind: Deployment
  updateStrategy:
    type: Recreate
  persistence:
    size: 8Gi
```

## Fix
Set the update strategy to `Recreate` (Bitnami `master.updateStrategy.type`, a Deployment's
`spec.strategy.type`), or run Redis as a StatefulSet, which replaces a pod only after the old one is
gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def _surges(value: object) -> bool:
    """Whether a maxSurge lets a new pod start before an old one stops (None: the default 25%)."""
    if value is None:
        return True
    text = str(value).strip().rstrip("%")
    return not text.isdigit() or int(text) > 0


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or facts.workload_kind.value != "Deployment" or not facts.persistent.value:
        return
    if not facts.update_strategy.origin:
        return  # a deployment kind whose builder does not read its update strategy: not judged
    if facts.pods.value == 0 or str(facts.update_strategy.value) != "RollingUpdate" \
            or not _surges(facts.max_surge.value):
        return
    modes = tuple(facts.access_modes.value or ())
    bitnami = target.chart.startswith("bitnami/")
    origin = facts.update_strategy.origin
    strategy_key = (f"{target.values_prefix}.updateStrategy.type" if bitnami else
                    "deploymentStrategy" if "deploymentStrategy" in origin else "spec.strategy.type")
    span = facts.update_strategy.span if facts.update_strategy.span is not None and facts.update_strategy.span.path \
        else facts.workload_kind.span or target.anchor
    claim = f"claim {facts.existing_claim.value}" if facts.existing_claim.value else "its PersistentVolumeClaim"
    if "ReadWriteMany" in modes:
        what = ("the claim is ReadWriteMany, so nothing stops the new pod: for the length of the rollout two "
                "redis-servers write the same AOF and dump.rdb, from any node")
    elif modes == ("ReadWriteOncePod",):
        what = "the claim is ReadWriteOncePod, so the new pod cannot mount it until the old one is gone: the rollout hangs"
    else:
        what = ("on another node the new pod waits on a Multi-Attach error while the old one waits to be replaced: the "
                "rollout hangs; on the same node both mount the ReadWriteOnce volume and two redis-servers write one "
                "AOF and dump.rdb")
    yield Hit(f"This Redis Deployment keeps its data on {claim} and rolls out with RollingUpdate (maxSurge "
              f"{facts.max_surge.value if facts.max_surge.value is not None else '25%'}): the new pod starts before "
              f"the old one stops; {what}",
              span, f"Set {strategy_key}: Recreate (or run Redis as a StatefulSet)", subject=strategy_key)


RULE = define("RL411", "rolling-update-with-single-writer-volume", "storage", Severity.WARNING, __doc__, check,
              tags=("storage", "kubernetes", "rollout"))
