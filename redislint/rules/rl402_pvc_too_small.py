"""PVC too small for the peak disk use of RDB and AOF: the disk fills during a save or rewrite.

## What it does
Estimates the peak size of the data directory from the effective config and compares the PVC
(`persistence.size`) with it and with the profile's `pvc_size_factor` × the data size. The data
size is `maxmemory`, else the container memory limit (the most the dataset can reach).

The model (redis-config.md §5.5), with D the data size and p `auto-aof-rewrite-percentage`:
`dump.rdb` ≈ D, plus `temp-<pid>.rdb` ≈ D while BGSAVE runs; the AOF grows from its base ≈ D to
D × (1 + p/100) (at least `auto-aof-rewrite-min-size`) before a rewrite, which then writes a
new base ≈ D beside it. Redis runs one fork at a time, so the peak is the larger phase: 2D with
RDB only, 3D with AOF only, 4D with both at p = 100.

## Why is this bad?
The runbook's first failure, "Disk Full": BGSAVE fails ("Background saving error") and with
`stop-writes-on-bgsave-error` every write gets `-MISCONF`; an AOF that cannot be written stops
writes too. The AOF is the usual culprit: it doubles before each rewrite, and the rewrite needs
room for the new copy (bitnami/charts#8578: an 18G AOF on the master).

## Example
```yaml
architecture: standalone
commonConfiguration: |
  appendonly yes
  save 900 1
master:
  configuration: |
    maxmemory 1gb
  persistence:
    size: 2Gi
```

## Use instead
```yaml
architecture: standalone
commonConfiguration: |
  appendonly yes
  save 900 1
master:
  configuration: |
    maxmemory 1gb
  persistence:
    size: 16Gi
```

## Fix
Raise `persistence.size` to at least the size in the message (runbook: `size: 16Gi`); an
existing PVC must also be expanded (`kubectl edit pvc`, if the storage class allows it).
"""

from typing import Iterator

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import fact_related
from redislint.rules._sizing import (disk_model, fact_span, factor_text, k8s_size_up, keys_for, limit_origin,
                                     maxmemory, maxmemory_related, maxmemory_text, values_span)


def check(target, profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or not facts.persistent.value or facts.existing_claim.value:
        return  # an existing claim's size is not in the values
    size = facts.storage_size.value
    m = maxmemory(target)
    if size is None or m is None:
        return
    if m > 0:
        data, data_text = m, f"{maxmemory_text(target)} dataset (maxmemory)"
        related = maxmemory_related(target, f"data size: maxmemory {maxmemory_text(target)}")
    elif facts.memory_limit.value:
        data = facts.memory_limit.value
        data_text = f"dataset of up to {format_bytes(data)} (no maxmemory: the memory limit, {limit_origin(target)})"
        related = fact_related(facts.memory_limit, f"data size: memory limit {format_bytes(data)}")
    else:
        return  # nothing bounds the data; RL301/RL302 report that
    model = disk_model(target, data)
    if model is None:
        return
    k = profile.pvc_size_factor
    by_profile = int(data * k)
    need = max(by_profile, model.peak)
    if size >= need:
        return
    parts = " + ".join(f"{what} {format_bytes(n)}" + (f" ({why})" if why else "") for what, n, why in model.parts)
    unbounded = "; the AOF is never rewritten, so no size is enough (RL209)" if model.unbounded_aof else ""
    keys = keys_for(target)
    yield Hit(f"PVC {format_bytes(size)} is too small for a {data_text}: needs ≥ {format_bytes(need)}; "
              f"{model.phase} the data directory peaks at {parts} = {format_bytes(model.peak)}, and the "
              f"{profile.name} profile asks for {factor_text(k)} × {format_bytes(data)} = {format_bytes(by_profile)}"
              f"{unbounded}", fact_span(facts.storage_size) or values_span(target, keys.size, keys.volume_block, keys.role_block),
              f"Raise {keys.size} to at least {k8s_size_up(need)} (an existing PVC must also be expanded: "
              "kubectl edit pvc, if the storage class allows it)", related, subject=keys.size, causes=("persistence-on",))


RULE = define("RL402", "pvc-too-small", "storage", Severity.WARNING, __doc__, check,
              tags=("storage", "disk", "aof", "rdb"))
