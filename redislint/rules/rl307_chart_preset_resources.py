"""The Redis container's memory comes from a Bitnami `resourcesPreset`, which Bitnami says is not for production.

## What it does
Flags a chart role whose requests and limits come from `resourcesPreset` rather than explicit
`resources`: the chart default `nano` (192Mi limit, 128Mi request) from bitnami/redis 19.0.0 and
every bitnami/valkey release, or a preset named in the values. When the preset's limit is too
small for the fork (RL303) or for maxmemory (RL304), that rule reports it with the numbers and
this one stays silent.

## Why is this bad?
Presets are sized for "basic testing" (bitnami/common `_resources.tpl`), not for your dataset.
With `nano`, 192Mi holds at most a 96Mi dataset with fork headroom, and Redis has no
`maxmemory` under the chart: users hit OOMKilled crash loops while loading the AOF. Upgrading
the chart past 19.0.0 switches an unsized role from "no limit" to 192Mi without any values
change.

## Example
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 64mb
    maxmemory-policy allkeys-lru
```

## Use instead
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 64mb
    maxmemory-policy allkeys-lru
  resources:
    requests:
      memory: 128Mi
    limits:
      memory: 256Mi
```

## Fix
Set explicit `resources.requests.memory` and `resources.limits.memory` for the role, sized to the
data (runbook: requests 1Gi, limits 2Gi).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._sizing import fact_span, factor_text, values_span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    facts = target.facts
    if not facts.known or not facts.memory_limit_source.startswith("preset:"):
        return
    name = facts.memory_limit_source.split(":", 1)[1]
    p = target.values_prefix
    limit, request = facts.memory_limit.value, facts.memory_request.value
    preset = facts.resources_preset
    why = "set in the values" if fact_span(preset) else f"the {preset.origin}"
    k = profile.fork_headroom_factor
    room = f", which leaves room for a dataset of at most {format_bytes(int(limit / k))} with fork headroom" \
        if limit else ""
    yield Hit(f"The {target.role} container's memory comes from resourcesPreset {name} ({why}): limit "
              f"{format_bytes(limit) if limit else 'none'}, request {format_bytes(request) if request else 'none'}"
              f"{room}; Bitnami's presets are for testing, not production",
              fact_span(preset) or values_span(target, f"{p}.resources", p),
              f"Set {p}.resources.requests.memory and limits.memory for your data (runbook: requests 1Gi, "
              f"limits 2Gi, {factor_text(k)}× the dataset)", subject=f"{p}.resourcesPreset",
              causes=("fork-headroom", "maxmemory-over-limit") + (("replica-smaller",) if target.upstream else ())
              + _misplaced(target))


def _misplaced(target: Target) -> tuple[str, ...]:
    """The cause when the preset applies because the person's `resources` block sits where the chart never
    reads it (RL101 reports that line, and says the preset applies)."""
    misplaced = any(i.code == "RL101" and i.subject.split(".")[-1] == "resources" for i in target.values_issues)
    causes = ("misplaced-resources",)  # shared with RL101, which owns it
    return causes if misplaced else ()


RULE = define("RL307", "chart-preset-resources", "memory", Severity.WARNING, __doc__, check,
              tags=("memory", "kubernetes", "chart-defaults"))
