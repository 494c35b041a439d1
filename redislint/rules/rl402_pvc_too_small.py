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

With neither `maxmemory` nor a memory limit the dataset has no bound, and only what is known is
judged: the AOF grows to at least `auto-aof-rewrite-min-size` (64mb by default) before its first
rewrite, which writes a new base beside it. A volume too small for that, with a dataset as large
as min-size, is reported (at most as a warning) with the largest dataset it holds.

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
Raise `persistence.size` to at least the size in the message (runbook: `size: 16Gi`). On a
release already installed, a StatefulSet's volumeClaimTemplates cannot change in place (RL409):
patch each PersistentVolumeClaim to the new size (the storage class must allow expansion), then
`kubectl delete statefulset <name> --cascade=orphan` and merge, so the upgrade recreates it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most, fact_related, memory_value
from redislint.rules._sizing import (
    disk_model,
    fact_span,
    factor_text,
    k8s_size_up,
    keys_for,
    limit_origin,
    maxmemory,
    maxmemory_related,
    maxmemory_text,
    values_span,
)
from redislint.rules.rl409_volume_claim_changed import GROW

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
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
        yield from _unbounded(target, profile, size)  # nothing bounds the data: judge what is known
        return
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
    if model.rdb_unknown:  # a `save` that is templated or refused: the AOF alone already does not fit
        unbounded += ("; the save line cannot be read (templated, or refused by Redis), so RDB snapshots are left "
                      "out and the real peak can be higher")
    keys = keys_for(target)
    # The profile's factor is named only where it asks for more than the disk model itself.
    asks = (f", and the {profile.name} profile asks for {factor_text(k)} × {format_bytes(data)} = "
            f"{format_bytes(by_profile)}" if by_profile > model.peak else "")
    yield Hit(f"PVC {format_bytes(size)} is too small for a {data_text}: needs ≥ {format_bytes(need)}; "
              f"{model.phase} the data directory peaks at {parts} = {format_bytes(model.peak)}{asks}"
              f"{unbounded}", fact_span(facts.storage_size) or values_span(target, keys.size, keys.volume_block, keys.role_block),
              f"Raise {keys.size} to at least {k8s_size_up(need)}{_installed(target)}", related, subject=keys.size,
              causes=("persistence-on",))


def _installed(target: Target) -> str:
    """How a release already installed grows: a StatefulSet's volumeClaimTemplates cannot change in place
    (RL409), so the claims are expanded first and the StatefulSet is recreated around them."""
    if target.facts.workload_kind.value != "StatefulSet":
        return " (an existing claim must also be expanded: `kubectl patch pvc`, where the storage class allows it)"
    return "; on a release already installed, its volumeClaimTemplates cannot change in place (RL409): " + \
        GROW.format(sts="<name>")[:1].lower() + GROW.format(sts="<name>")[1:]


def _largest_dataset(target: Target, size: int) -> int:
    """The largest dataset whose peak disk use (the disk model) fits in `size` bytes."""
    lo, hi = 0, size
    while lo < hi:
        mid = (lo + hi + 1) // 2
        model = disk_model(target, mid)
        if model is not None and model.peak <= size:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _unbounded(target: Target, profile: Profile, size: int) -> Iterator[Hit]:
    """No maxmemory and no memory limit: the dataset has no bound, but the AOF's first rewrite does.

    The AOF grows to at least auto-aof-rewrite-min-size before Redis rewrites it, and the rewrite
    writes a new base beside it. A volume that cannot hold that for a dataset of min-size is too
    small for any dataset worth an AOF; a larger one is judged only once something bounds the data.
    """
    if (target.value("appendonly") or "no").lower() != "yes":
        return
    min_size = memory_value(target, "auto-aof-rewrite-min-size")
    if not min_size:
        return
    model = disk_model(target, min_size)
    if model is None or model.unbounded_aof or size >= model.peak:
        return
    fits = _largest_dataset(target, size)
    parts = " + ".join(f"{what} {format_bytes(n)}" for what, n, _ in model.parts)
    keys = keys_for(target)
    at = format_bytes(min_size)
    yield Hit(f"PVC {format_bytes(size)} with nothing that bounds the dataset (maxmemory 0, no memory limit): the AOF "
              f"grows to auto-aof-rewrite-min-size {at} before its first rewrite, and the rewrite writes a new base "
              f"beside it, so this volume holds a dataset of at most about {format_bytes(fits)} through a rewrite; a "
              f"{at} dataset already peaks at {parts} = {format_bytes(model.peak)}",
              fact_span(target.facts.storage_size) or values_span(target, keys.size, keys.volume_block, keys.role_block),
              f"Raise {keys.size} to at least {k8s_size_up(model.peak)}, sized for the data you expect, and bound the "
              f"dataset with maxmemory{_installed(target)}", subject=keys.size, severity=at_most(profile, "RL402", Severity.WARNING),
              causes=("persistence-on",))


RULE = define("RL402", "pvc-too-small", "storage", Severity.WARNING, __doc__, check,
              tags=("storage", "disk", "aof", "rdb"))
