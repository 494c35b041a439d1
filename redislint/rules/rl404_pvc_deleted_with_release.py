"""PVC retention policy `whenDeleted: Delete`: uninstalling the release deletes the data.

## What it does
Flags a role whose StatefulSet has `persistentVolumeClaimRetentionPolicy` enabled with
`whenDeleted: Delete` (in sentinel mode the chart reads `sentinel.persistentVolumeClaimRetentionPolicy`
for the node StatefulSet).

## Why is this bad?
With `Delete`, Kubernetes removes the PVCs when the StatefulSet is deleted: a `helm uninstall`, a
Flux HelmRelease pruned by a Kustomization, or a re-install to change an immutable field takes
`dump.rdb` and the AOF with it. The chart default, `Retain`, keeps the volumes for the next
install.

## Example
```yaml profile=cache
architecture: standalone
master:
  persistentVolumeClaimRetentionPolicy:
    enabled: true
    whenDeleted: Delete
```

## Use instead
```yaml profile=cache
architecture: standalone
master:
  persistentVolumeClaimRetentionPolicy:
    enabled: true
    whenDeleted: Retain
```

## Fix
Set `whenDeleted: Retain` (the chart default), and delete PVCs by hand when the data really is
unwanted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._sizing import fact_span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or not facts.persistent.value or not facts.pvc_deleted_with_release.value:
        return
    span = fact_span(facts.pvc_deleted_with_release)
    if span is None:
        return
    owner = "sentinel" if target.mode == "sentinel" else target.values_prefix
    key = f"{owner}.persistentVolumeClaimRetentionPolicy"
    yield Hit(f"{key}.whenDeleted is Delete: deleting the StatefulSet (helm uninstall, a pruned HelmRelease) "
              f"also deletes the PVC and the dump.rdb and AOF on it", span,
              "Set whenDeleted: Retain (the chart default)", subject=f"{key}.whenDeleted")


RULE = define("RL404", "pvc-deleted-with-release", "storage", Severity.WARNING, __doc__, check,
              tags=("storage", "kubernetes", "data-loss"))
