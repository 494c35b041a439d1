"""No memory limit on the Redis container: node OOM risk, and fork headroom cannot be checked.

## What it does
Flags a chart role whose `redis` container gets no memory limit: no `resources.limits.memory`,
no `resourcesPreset` (bitnami/redis before 19.0.0 applies none by default), or
`resourcesPreset: none`.

## Why is this bad?
An unlimited container can take the node's memory; under node pressure the kubelet evicts pods
that use more than they requested first, and a Redis without a limit usually does. Whether a
BGSAVE or AOF-rewrite fork (up to 2× the dataset, copy-on-write) fits cannot be reasoned about
at all, which is how "Can't save in background: fork: Cannot allocate memory" reaches
production.

## Example
```yaml
architecture: standalone
master:
  resourcesPreset: none
```

## Use instead
```yaml
architecture: standalone
master:
  resources:
    requests:
      memory: 1Gi
    limits:
      memory: 2Gi
```

## Fix
Set `resources.limits.memory` to the fork headroom factor times the dataset and
`resources.requests.memory` to the dataset (runbook: limits 2Gi, requests 1Gi).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.kinds.registry import vocabulary_of
from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._sizing import (
    fact_span,
    factor_text,
    k8s_size_up,
    keys_for,
    limit_unresolved,
    maxmemory,
    memory_limit_span,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def _cause(target: Target) -> str:
    """Why there is no limit, in the chart's own terms."""
    facts, p, keys = target.facts, target.values_prefix, keys_for(target)
    v = vocabulary_of(target)
    if v is None or v.resources_preset is None:  # no preset in this chart: only resources set a limit
        return f"{keys.limit} is not set"
    if facts.memory_limit_source == "resources":
        return f"{keys.resources} is set without limits.memory, so no preset applies either"
    preset = facts.resources_preset
    version = f"{target.chart} {target.chart_version}" if target.chart_version else target.chart
    if fact_span(preset):
        if preset.value == "none":
            return f"{p}.resourcesPreset is none and {keys.resources} is not set"
        return f"{p}.resourcesPreset {preset.value} is not a Bitnami preset"
    if preset.value is None:
        return f"{version} has no resourcesPreset (added in bitnami/redis 18.14.0) and {keys.resources} is not set"
    return f"{version} defaults resourcesPreset to {preset.value} and {keys.resources} is not set"


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or facts.memory_limit.value is not None or limit_unresolved(target):
        return
    keys = keys_for(target)
    m = maxmemory(target)
    k = profile.fork_headroom_factor
    if m:
        fix = (f"Set {keys.limit} to at least {k8s_size_up(int(m * k))} ({factor_text(k)} × maxmemory "
               f"{format_bytes(m)}) and {keys.request} to {k8s_size_up(m)}")
    else:
        fix = (f"Set {keys.limit} to {factor_text(k)}× the dataset and {keys.request} to the dataset (runbook: "
               f"limits 2Gi, requests 1Gi), and set maxmemory below limit / {factor_text(k)}")
    yield Hit(f"The {target.role} container has no memory limit ({_cause(target)}): it can take the "
              "node's memory and is first in line for node-pressure eviction, and whether a BGSAVE or AOF "
              "rewrite fork fits cannot be checked", memory_limit_span(target), fix, subject=keys.limit)


RULE = define("RL302", "memory-limit-missing", "memory", Severity.WARNING, __doc__, check,
              tags=("memory", "kubernetes", "fork"))
