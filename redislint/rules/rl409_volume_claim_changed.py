"""A change to a StatefulSet's volume claim template (or a claim's size, class or access modes) that Kubernetes refuses.

## What it does
With `check --base REF`, compares the claim that holds a target's data at REF with the one the
change asks for, when it is the same claim (same StatefulSet, same PersistentVolumeClaim):
- a StatefulSet's `volumeClaimTemplates`: any change of size, storage class or access modes, and
  claim templates added to a StatefulSet that had none (persistence switched on);
- a claim the chart creates for a Deployment: a smaller size, another storage class, other access
  modes.

## Why is this bad?
Kubernetes never changes these in place. A StatefulSet's `volumeClaimTemplates` are immutable:
`helm upgrade` fails with `StatefulSet.apps "…" is invalid: spec: Forbidden: updates to
statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy',
'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`, and Flux or Argo CD
retries the failing release forever, so every later change of the release is blocked too. A bound
claim can grow (on a storage class with `allowVolumeExpansion`) but never shrink, and its class
and access modes cannot change at all. Even a larger `persistence.size` on a StatefulSet does not
grow anything: the existing claims keep their size.

## Example
At the base revision (`--base REF`):
```yaml profile=cache
architecture: standalone
master:
  persistence:
    size: 16Gi
```
The change:
```yaml
architecture: standalone
master:
  persistence:
    size: 8Gi
```

## Use instead
Keep the claim template as it is, and resize the claims themselves (see Fix):
```yaml
architecture: standalone
master:
  persistence:
    size: 16Gi
```

## Fix
To grow: on a storage class with `allowVolumeExpansion: true`, patch each PersistentVolumeClaim
(`kubectl patch pvc <claim> -p '{"spec":{"resources":{"requests":{"storage":"32Gi"}}}}'`), then
`kubectl delete statefulset <name> --cascade=orphan` (the pods keep running) and merge the new size,
so the upgrade recreates the StatefulSet with it. To shrink, or to change the class or access
modes: create a new claim (a new release or `existingClaim`) and migrate the data to it
(`BGSAVE`, copy dump.rdb or the AOF directory, start on the new claim).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity, Span
from redislint.rules._api import Hit, define
from redislint.rules._helpers import human_bytes, is_user_span
from redislint.rules._sizing import keys_for, values_span
from redislint.rules._transitions import base_label

if TYPE_CHECKING:
    from redislint.change.places import ClaimTemplate
    from redislint.change.transition import Transition
    from redislint.profiles import Profile

FORBIDDEN = ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
             "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")
GROW = ("To grow on a storage class with allowVolumeExpansion: patch each PersistentVolumeClaim to the new size, then "
        "`kubectl delete statefulset {sts} --cascade=orphan` (the pods keep running) and merge, so the upgrade "
        "recreates the StatefulSet")
MIGRATE = ("Keep the claim as it is; for another size, class or access modes create a new claim (a new release, or "
           "existingClaim) and migrate the data to it (BGSAVE, copy dump.rdb or the AOF directory)")


def _class(value: str | None) -> str:
    return "the cluster's default class" if value is None else (f"storageClassName {value!r}" if value else '""')


def _differences(old: ClaimTemplate, new: ClaimTemplate) -> list[tuple[str, Span | None, str]]:
    """(what changed, where it is written now, kind) for each field Kubernetes keeps."""
    out = []
    if old.size is not None and new.size is not None and old.size != new.size:
        kind = "shrink" if new.size < old.size else "grow"
        out.append((f"the size from {human_bytes(old.size)} to {human_bytes(new.size)}", new.size_span, kind))
    if old.storage_class != new.storage_class:
        out.append((f"the storage class from {_class(old.storage_class)} to {_class(new.storage_class)}",
                    new.class_span, "class"))
    if old.access_modes != new.access_modes:
        out.append((f"the access modes from {', '.join(old.access_modes)} to {', '.join(new.access_modes)}",
                    new.modes_span, "modes"))
    return out


def check(change: Transition, profile: Profile) -> Iterator[Hit]:
    before, after = change.base.place, change.head.place
    head = change.head.target
    if before.workload is None or before.workload != after.workload or before.namespace != after.namespace:
        return  # another workload (RL410 says where the data went), or its name is not known
    keys = keys_for(head)
    anchor = values_span(head, keys.volume_block, keys.role_block) if keys.volume_block else head.config_anchor
    sts = before.workload.partition(" ")[2]
    statefulset = before.workload.startswith("StatefulSet")
    if statefulset and after.volume == "claim-template" and before.volume in ("emptyDir", "none"):
        yield Hit(f"{keys.enabled if keys.volume_block else 'persistence'} now adds volumeClaimTemplates to the "
                  f"existing {before.workload} ({base_label(change)} its data was on {before.volume}): Kubernetes "
                  f"refuses it (\"{FORBIDDEN}\"), so the upgrade fails and Flux or Argo CD retries it forever",
                  _written(head.facts.persistence_enabled.span, anchor),
                  f"Delete the StatefulSet first (`kubectl delete statefulset {sts} --cascade=orphan`), then merge; "
                  "the pods restart on the new claims, empty (the data was on an emptyDir)", subject="volumeClaimTemplates")
        return
    if before.volume != "claim-template" or after.volume != "claim-template" or before.claim != after.claim:
        return
    if before.template is None or after.template is None:
        return
    changes = _differences(before.template, after.template)
    if not statefulset:
        changes = [c for c in changes if c[2] != "grow"]  # a bound claim grows in place where its class allows
    if not changes:
        return
    what = "; ".join(c[0] for c in changes)
    span = next((c[1] for c in changes if c[1] is not None and is_user_span(c[1])), anchor)
    if statefulset:
        message = (f"the volumeClaimTemplates of {before.workload} change from what they were {base_label(change)}: {what}. "
                   f"Kubernetes refuses any change to them (\"{FORBIDDEN}\"), so the upgrade fails and Flux or Argo CD "
                   "retries it forever; the existing claims would keep their size and class anyway")
        fix = GROW.format(sts=sts) if {c[2] for c in changes} == {"grow"} else MIGRATE
    else:
        message = (f"the PersistentVolumeClaim {before.claim} changes from what it was {base_label(change)}: {what}. A bound claim "
                   "can only grow, and its class and access modes are immutable, so Kubernetes refuses the update and "
                   "the upgrade fails")
        fix = MIGRATE
    yield Hit(message, span, fix, subject="volumeClaimTemplates")


def _written(span: Span | None, fallback: Span) -> Span:
    return span if span is not None and is_user_span(span) else fallback


RULE = define("RL409", "volume-claim-changed", "storage", Severity.ERROR, __doc__, check,
              tags=("storage", "kubernetes", "change"), scope="transition")
