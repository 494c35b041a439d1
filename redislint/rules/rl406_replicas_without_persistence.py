"""Replication with a master that has no persistent volume: a restarted empty master wipes its replicas.

## What it does
Flags a replication master (primary) with replicas but no persistent volume, and sentinel nodes
without persistent volumes.

## Why is this bad?
A master that restarts without its data comes back empty but still a master. The replicas
reconnect, run a full resync, and replace their copy with its empty dataset: the data is gone
everywhere at once (bitnami/charts#11083). With sentinel, a node that restarts faster than
`down-after-milliseconds` is never failed over, so the same happens.

## Example
```yaml
architecture: replication
master:
  persistence:
    enabled: false
```

## Use instead
```yaml
architecture: replication
master:
  persistence:
    enabled: true
```

## Fix
Set `persistence.enabled: true` on the master (in sentinel mode, `replica.persistence`) so a
restarted master reloads its data before the replicas sync from it.
"""

from typing import Iterator

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._sizing import fact_span, keys_for, values_span


# Where sentinel's down-after-milliseconds is set, and its default, per chart.
_DOWN_AFTER = {"redis-ha": ("sentinel.config.down-after-milliseconds", 10000),
               "bitnami/redis": ("sentinel.downAfterMilliseconds", 60000),
               "bitnami/valkey": ("sentinel.downAfterMilliseconds", 60000)}


def check(target, profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or facts.persistent.value or not facts.pvc_created.value:
        return  # no PVC because none is created is RL403: the pod never starts
    keys = keys_for(target)
    span = fact_span(facts.persistence_enabled) or fact_span(facts.workload_kind) or values_span(
        target, keys.enabled, keys.volume_block, keys.role_block)
    fix = f"Set {keys.enabled}: true"
    if target.mode == "replication" and target.role in ("master", "primary"):
        replicas = facts.replicas_of_master.value or 0
        if replicas < 1:
            return
        yield Hit(f"The {target.role} has {replicas} replica{'s' if replicas != 1 else ''} but no persistent "
                  f"volume: when its pod restarts it comes back empty, and the replicas resync from it and drop "
                  "their copy too (bitnami/charts#11083)", span, fix, subject=keys.enabled,
                  causes=("no-persistent-volume",))
    elif (target.mode == "sentinel" or target.chart == "redis-ha") and facts.pods.value > 1:
        path, default = _DOWN_AFTER.get(target.chart, ("", 0))
        after = target.values.value(path, default) if target.values is not None and path else default
        within = f"within down-after-milliseconds ({after} ms) " if after else ""
        yield Hit(f"Sentinel nodes ({facts.pods.value} pods) have no persistent volume: a master node that "
                  f"restarts {within}stays master, comes back empty, and every replica resyncs to its empty "
                  "dataset", span, fix, subject=keys.enabled, causes=("no-persistent-volume",))


RULE = define("RL406", "replicas-without-persistence", "storage", Severity.ERROR, __doc__, check,
              tags=("storage", "replication", "data-loss"))
