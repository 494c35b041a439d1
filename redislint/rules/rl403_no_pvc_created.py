"""`master.kind: Deployment` with replication: the chart creates no PVC and the master pod stays Pending.

## What it does
Flags a master (primary) that runs as a Deployment with persistence on, no `existingClaim`, and
`architecture: replication`.

## Why is this bad?
For a Deployment the chart mounts the claim `redis-data-<fullname>-master`, but
`templates/master/pvc.yaml` renders that claim only for `architecture: standalone`. In
replication mode nothing creates it, so the master pod waits for a claim that never exists and
stays Pending; the replicas have no master to sync from (bitnami/charts#33142).

## Example
```yaml
architecture: replication
master:
  kind: Deployment
```

## Use instead
```yaml
architecture: replication
master:
  kind: StatefulSet
```

## Fix
Use `kind: StatefulSet` (the default), or create the PVC yourself and set
`persistence.existingClaim` to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._sizing import fact_span, values_span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or facts.pvc_created.value:
        return
    p = target.values_prefix
    v = vocabulary_of(target)
    data = v.data_claim if v is not None and v.data_claim else "redis-data"
    claim = f"{data}-<fullname>-{'primary' if p == 'primary' else 'master'}"
    yield Hit(f"{p}.kind is {facts.workload_kind.value} with architecture {target.mode}: the chart renders its "
              f"PVC only for standalone, so the pod waits for claim {claim}, which nothing creates, and stays "
              "Pending (bitnami/charts#33142)",
              fact_span(facts.workload_kind) or values_span(target, f"{p}.kind", p),
              f"Use {p}.kind: StatefulSet, or create the PVC yourself and set {p}.persistence.existingClaim",
              subject=f"{p}.kind")


RULE = define("RL403", "no-pvc-created", "storage", Severity.ERROR, __doc__, check,
              tags=("storage", "kubernetes", "chart-bug"))
