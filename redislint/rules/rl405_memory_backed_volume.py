"""`persistence.medium: Memory`: the data directory is a tmpfs in RAM, counted against the memory limit.

## What it does
Flags a role whose data directory is an emptyDir with `medium: Memory` (persistence disabled,
or a DaemonSet) while RDB snapshots or the AOF are on: with both off nothing is written there.

## Why is this bad?
A memory-backed emptyDir is a tmpfs: every byte of `dump.rdb`, the temporary RDB of a BGSAVE and
the AOF counts against the container's memory limit, on top of the dataset and the fork's
copy-on-write pages. A save can OOM-kill the pod it was meant to protect, and the files vanish
on every restart anyway.

## Example
```yaml
architecture: standalone
master:
  persistence:
    enabled: false
    medium: Memory
```

## Use instead
```yaml
architecture: standalone
master:
  persistence:
    enabled: true
    size: 16Gi
```

## Fix
Remove `medium: Memory` and put the data on a persistent volume (`persistence.enabled: true`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import save_points, templated_keys
from redislint.rules._sizing import fact_span, keys_for, values_span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or facts.persistent.value or str(facts.medium.value) != "Memory":
        return
    if {"save", "appendonly"} & templated_keys(target):
        return
    if not save_points(target) and (target.value("appendonly") or "no").lower() != "yes":
        return  # nothing persisted: the tmpfs stays (nearly) empty
    if facts.pvc_created.value is False:
        return  # a Deployment without a PVC (RL403): the data volume is a claim, not the emptyDir
    keys = keys_for(target)
    limit = facts.memory_limit.value
    against = f"the memory limit {format_bytes(limit)}" if limit else "the pod's memory"
    if keys.medium and keys.enabled:  # the chart makes the emptyDir from its values
        fix = f"Remove {keys.medium} and set {keys.enabled}: true"
    else:
        fix = f"Mount a PersistentVolumeClaim at {facts.data_path.value} instead of the memory-backed emptyDir"
    yield Hit(f"{keys.medium} is Memory: {facts.data_path.value} is a tmpfs, so dump.rdb, the temporary RDB of each "
              f"BGSAVE and the AOF count against {against} on top of the dataset, and vanish on every restart",
              fact_span(facts.medium) or values_span(target, keys.medium, keys.volume_block, keys.role_block), fix,
              subject=keys.medium, causes=("persistence-on",))


RULE = define("RL405", "memory-backed-volume", "storage", Severity.ERROR, __doc__, check,
              tags=("storage", "memory", "kubernetes"))
