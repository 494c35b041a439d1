"""Memory request below maxmemory: scheduled without room for the data, evicted first under pressure.

## What it does
Flags a role whose container memory request is smaller than `maxmemory`.

## Why is this bad?
The scheduler places a pod by its request. A request below the dataset lets the pod land on a
node that cannot hold the data it will grow to; when that node runs short, the kubelet evicts
pods using more than their request first, and Redis at `maxmemory` is exactly that pod. Every
eviction is a restart that reloads the AOF or RDB from disk.

## Example
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 1gb
  resources:
    requests:
      memory: 512Mi
    limits:
      memory: 2Gi
```

## Use instead
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 1gb
  resources:
    requests:
      memory: 1Gi
    limits:
      memory: 2Gi
```

## Fix
Raise `resources.requests.memory` to at least `maxmemory` (runbook: requests 1Gi for 1Gi of
data).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.model import Related, Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._sizing import (
    copied_text,
    data_source,
    k8s_size_up,
    keys_for,
    maxmemory,
    maxmemory_related,
    maxmemory_text,
    memory_limit_span,
    memory_request,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    source = data_source(target)  # a replica that only copies holds its master's data set
    if not target.facts.known or source is None:
        return
    m = maxmemory(source)
    request, span, note = memory_request(target)
    if not m or request is None or request >= m:
        return
    keys = keys_for(target)
    copied = source is not target
    related: tuple[Related, ...] = (Related(span, f"memory request {format_bytes(request)}"),) if span is not None else ()
    if copied:
        related += maxmemory_related(source, f"the {source.role}'s maxmemory: the data set this replica copies")
    yield Hit(f"Memory request {format_bytes(request)}{note} is below maxmemory {maxmemory_text(source)} "
              f"({format_bytes(m)}){copied_text(target, source)}: the pod can be scheduled on a node without room for "
              "its data, and under node pressure it is evicted first",
              (span or memory_limit_span(target)) if copied else target.directive_span("maxmemory"),
              f"Raise {keys.request} to at least {k8s_size_up(m)}", related, subject="maxmemory",
              causes=("maxmemory-over-limit", "fork-headroom") + (("replica-smaller",) if copied else ()))


RULE = define("RL308", "memory-request-below-maxmemory", "memory", Severity.NOTE, __doc__, check,
              tags=("memory", "kubernetes", "scheduling"))
