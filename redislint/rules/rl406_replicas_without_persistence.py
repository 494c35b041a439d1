"""Replication with a master that restarts empty: a restarted empty master wipes its replicas.

## What it does
Flags a replication master (primary) with replicas, and sentinel nodes, that come back empty after
a restart: no persistent volume, or neither RDB snapshots nor the AOF to reload from. Where the
profile requires a persistent volume (RL401) or the AOF (RL203), that rule reports the same
decision and names this consequence; this rule then stays silent.

## Why is this bad?
A master that restarts without its data comes back empty but still a master. The replicas
reconnect, run a full resync, and replace their copy with its empty dataset: the data is gone
everywhere at once (bitnami/charts#11083, where AOF, RDB and the volumes were all off). With
sentinel, a node that restarts faster than `down-after-milliseconds` is never failed over, so the
same happens.

## Example
```yaml
architecture: replication
commonConfiguration: |
  appendonly no
  save ""
master:
  persistence:
    enabled: false
```

## Use instead
```yaml
architecture: replication
commonConfiguration: |
  appendonly yes
  save ""
master:
  persistence:
    enabled: true
```

## Fix
Set `persistence.enabled: true` on the master (in sentinel mode, `replica.persistence`) and keep
RDB or the AOF on, so a restarted master reloads its data before the replicas sync from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import fails_over
from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most, save_points, templated_keys
from redislint.rules._sizing import fact_span, keys_for, values_span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

# Where sentinel's down-after-milliseconds is set, and its default, per chart.


def _empty_after_restart(target: Target) -> tuple[str, str, tuple[str, ...]] | None:
    """(why the role comes back empty, the fix, root causes), or None when it reloads its data."""
    facts = target.facts
    keys = keys_for(target)
    if not facts.persistent.value:
        causes: tuple[str, ...] = ("no-persistent-volume",)
        return (f"has no persistent volume ({keys.enabled} is false)" if keys.enabled.endswith(".enabled")
                else "has no persistent volume", f"Set {keys.enabled}: true", causes)
    if {"save", "appendonly"} & templated_keys(target):
        return None
    if save_points(target) or (target.value("appendonly") or "no").lower() == "yes":
        return None
    causes = ("aof-off", "rdb-off")
    return ("persists nothing (appendonly no, no save points)",
            "Turn on the AOF (`appendonly yes`) or RDB snapshots, on the persistent volume", causes)


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or not facts.pvc_created.value:
        return  # no PVC because none is created is RL403: the pod never starts
    found = _empty_after_restart(target)
    if found is None:
        return
    why, fix, causes = found
    keys = keys_for(target)
    if "no-persistent-volume" in causes:
        span = fact_span(facts.persistence_enabled) or fact_span(facts.workload_kind) or values_span(
            target, keys.enabled, keys.volume_block, keys.role_block)
    else:
        span = target.directive_span("appendonly")  # the line to change: nothing is persisted
    if target.mode == "replication" and target.role in ("master", "primary"):
        replicas = facts.replicas_of_master.value or 0
        if replicas < 1:
            return
        yield Hit(f"The {target.role} has {replicas} replica{'s' if replicas != 1 else ''} but {why}: when its pod "
                  "restarts it comes back empty, and the replicas resync from it and drop their copy too "
                  "(bitnami/charts#11083)", span, fix, subject=keys.enabled, causes=causes)
    elif fails_over(target) and facts.pods.value > 1:
        v = vocabulary_of(target)
        path, default = (v.down_after or "", v.down_after_default or 0) if v is not None else ("", 0)
        after = target.values.value(path, default) if target.values is not None and path else default
        within = f"within down-after-milliseconds ({after} ms) " if after else ""
        # Sentinel usually promotes a replica first (a pod takes longer to come back than down-after-milliseconds,
        # and the chart's preStop fails a terminating master over): likely to hurt, not certain, where the
        # profile does not require the volume anyway (RL401 is then the error).
        severity = None if profile.persistent_volume_required else at_most(profile, "RL406", Severity.WARNING)
        yield Hit(f"Sentinel nodes ({facts.pods.value} pods) {why}: a master node that restarts {within}stays "
                  "master, comes back empty, and every replica resyncs to its empty dataset", span, fix,
                  subject=keys.enabled, severity=severity, causes=causes)


RULE = define("RL406", "replicas-without-persistence", "storage", Severity.ERROR, __doc__, check,
              tags=("storage", "replication", "data-loss"))
