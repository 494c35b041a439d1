"""Persistence switched off on a Redis that had data on a persistent volume.

## What it does
With `check --base REF`, reports a target that, at REF, wrote RDB snapshots or an AOF to a
persistent volume, when the change:
- takes the volume away (`persistence.enabled: false`, an emptyDir, `medium: Memory`, a
  DaemonSet): the pods restart empty;
- moves `dir` off the volume: the data on it is no longer read, and nothing new reaches it;
- turns the AOF off where it held the only copy (`save ""` at REF): Redis then reads only
  dump.rdb, which was never written, and restarts empty;
- removes every save point and the AOF: the data is loaded one last time, and nothing written
  after the rollout survives the next restart.
Replicas are not reported (they copy the master's data set when they restart).

## Why is this bad?
Each of these is a one-line change that reads like a tuning decision, and each loses the data
set: at once (the volume or the AOF goes), or at the next restart. Removing the claim template
of an existing StatefulSet is refused by Kubernetes too ("updates to statefulset spec for fields
other than ... are forbidden"), so the upgrade fails until someone deletes the StatefulSet, and
the new pods then start empty. Under a profile that requires persistence this is an error;
elsewhere a warning, because the change may mean it (the data has become disposable), and the
old claim still holds the data until it is deleted.

## Example
At the base revision (`--base REF`):
```yaml profile=cache
architecture: standalone
master:
  persistence:
    enabled: true
```
The change:
```yaml
architecture: standalone
master:
  persistence:
    enabled: false
```

## Use instead
Keep the volume; if the data really is disposable now, say so with the `ephemeral` profile and
turn persistence off explicitly:
```yaml
architecture: standalone
master:
  persistence:
    enabled: true
```

## Fix
Keep the persistence the data needs. To stop persisting on purpose, first copy what must be kept
(`BGSAVE`, then the files on the volume); to turn the AOF off where it held the only copy, run
`BGSAVE` on every pod and wait for `rdb_bgsave_in_progress:0` before merging, with save points
in the new config so the restart loads that snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.change.pairs import role_kind
from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity, Span
from redislint.rules._api import Hit, define
from redislint.rules._helpers import is_user_span
from redislint.rules._sizing import fact_span, keys_for, values_span
from redislint.rules._transitions import (
    PERSISTENT_VOLUMES,
    aof_on,
    base_label,
    persisted,
    rdb_on,
    templated,
    where,
)

if TYPE_CHECKING:
    from redislint.change.transition import Side, Transition
    from redislint.profiles import Profile
    from redislint.target import Target


def _volume_gone(change: Transition) -> Hit | None:
    base, head = change.base, change.head
    after = head.target
    if head.place.volume in PERSISTENT_VOLUMES or head.place.volume == "unknown":
        return None
    facts, keys = after.facts, keys_for(after)
    origin = str(facts.persistent.origin)
    v = vocabulary_of(after)
    disabled = facts.persistence_enabled.value is not True
    if v is not None and v.persistence_enabled is not None and (disabled or keys.kind):  # its values say why
        cause = f"{keys.enabled} is false" if disabled else f"{keys.kind} is {facts.workload_kind.value}"
        span = fact_span(facts.persistence_enabled) if disabled else fact_span(facts.workload_kind)
        span = span or values_span(after, keys.volume_block, keys.role_block)
    else:
        cause = f"the data directory is now on {origin}"
        span = fact_span(facts.persistent) or after.config_anchor
    volume = "a tmpfs (medium Memory)" if facts.medium.value == "Memory" else (
        "an emptyDir" if head.place.volume == "emptyDir" else "the container's own filesystem")
    message = (f"{cause}: {base_label(change)} the data was on {where(base.place)}; now {facts.data_path.value} is "
               f"{volume}, so the pods restart with an empty data set and nothing written afterwards outlives a pod")
    before_place = base.place
    if (before_place.volume == "claim-template" and before_place.workload == head.place.workload
            and str(before_place.workload or "").startswith("StatefulSet")):
        message += ("; Kubernetes also refuses to remove volumeClaimTemplates from the existing StatefulSet, so the "
                    "upgrade fails until the StatefulSet is deleted")
    fix = f"Keep {keys.enabled} on" if keys.volume_block else "Keep the PersistentVolumeClaim mounted at the data directory"
    return Hit(message, span, fix + "; if the data is disposable now, copy what must be kept first and judge the "
               "release under the ephemeral profile", subject="persistence")


def _dir_moved_off(change: Transition) -> Hit | None:
    base, head = change.base, change.head
    if base.place.in_volume is None or head.place.in_volume is not None or head.place.volume == "unknown":
        return None
    after = head.target
    message = (f"dir moves from {base.place.dir} ({base_label(change)}) to {head.place.dir}, outside the volume mounted "
               f"at {head.place.mount}: the data on the volume is no longer loaded, so the pods restart empty, and what "
               "they write afterwards is lost with the pod")
    return Hit(message, after.directive_span("dir"), f"Keep dir on the volume (the chart writes `dir {head.place.mount}`)",
               subject="dir")


def _config_off(change: Transition) -> Hit | None:
    before, after = change.base.target, change.head.target
    if aof_on(after) and rdb_on(after):
        return None
    if aof_on(before) and not rdb_on(before) and not aof_on(after):
        message = (f"appendonly changes from yes to no, and {base_label(change)} no snapshots were written (save \"\"): "
                   "the AOF holds the only copy of the data, and on restart Redis reads only dump.rdb, which does not "
                   "exist (or is old), so the pod comes back with an empty data set")
        if not rdb_on(after):
            message += "; with no save points either, nothing is persisted from then on"
        fix = ("Before merging, run BGSAVE on every pod and wait for `rdb_bgsave_in_progress:0` in INFO persistence, "
               "with save points in the new config so the restart loads that snapshot; or keep appendonly yes")
        return Hit(message, _span(after, "appendonly"), fix, subject="appendonly")
    if rdb_on(after) or aof_on(after):
        return None
    message = (f"{'save' if rdb_on(before) else 'appendonly'} was writing the data to the volume {base_label(change)}; "
               "now no save point is left and appendonly is no: the data on the volume is loaded once more at the "
               "rollout, and nothing written afterwards survives the next restart")
    return Hit(message, _span(after, "save" if rdb_on(before) else "appendonly"),
               "Keep a save point or appendonly yes; if the data is disposable now, judge the release under the "
               "ephemeral profile", subject="persistence-config")


def _span(target: Target, key: str) -> Span:
    span = target.directive_span(key)
    return span if is_user_span(span) else target.config_anchor


def check(change: Transition, profile: Profile) -> Iterator[Hit]:
    base: Side = change.base
    if role_kind(change.head.target.role) == "replica" or not persisted(base):
        return
    if templated(change, "appendonly", "save", "dir"):
        return
    hit = _volume_gone(change) or _dir_moved_off(change) or _config_off(change)
    if hit is not None:
        yield hit


RULE = define("RL213", "persistence-switched-off", "persistence", Severity.ERROR, __doc__, check,
              tags=("persistence", "change", "data-loss"), scope="transition")
