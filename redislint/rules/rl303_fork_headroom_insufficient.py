"""Memory limit too small for a BGSAVE or AOF-rewrite fork: the save fails or the pod is OOM-killed.

## What it does
Compares the container memory limit with the profile's fork headroom factor k (`settings.
fork_headroom_factor`) times `maxmemory`. When `maxmemory` is 0 (no cap), the dataset is sized by
the memory request instead (Kubernetes copies the limit into the request when only the limit is
written), and the limit must be k times that. RL304 reports maxmemory at or above the limit.

## Why is this bad?
BGSAVE and BGREWRITEAOF fork a child that shares the parent's pages copy-on-write; every page
written while the child runs is copied, so a busy dataset can need up to twice its memory
(measured: 99% of `used_memory` copied on Redis 7.0). `maxmemory` does not count those pages, the
container limit does. Too little headroom gives `fork: Cannot allocate memory`, a failed save
(and `-MISCONF` write errors), or an OOM-killed pod in the middle of the save. Without
`maxmemory` the dataset can grow to the limit itself, and then no limit is big enough.

## Example
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 900mb
  resources:
    limits:
      memory: 1Gi
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
Raise the memory limit to k × maxmemory ("Redis needs 2x memory for fork": runbook, limits 2Gi
for 1Gi of data), or lower maxmemory to limit / k.
"""

from typing import Iterator

from redislint.model import Related, Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import fact_related
from redislint.rules._sizing import (factor_text, k8s_size_up, keys_for, limit_origin, maxmemory, maxmemory_text,
                                     memory_limit_span, memory_request, redis_size)


def check(target, profile) -> Iterator[Hit]:
    facts = target.facts
    limit = facts.memory_limit.value if facts.known else None
    m = maxmemory(target)
    if limit is None or m is None:
        return
    k = profile.fork_headroom_factor
    keys = keys_for(target)
    origin = limit_origin(target)
    if m > 0:
        need = int(m * k)
        if m >= limit or limit >= need:
            return  # maxmemory at or above the limit is RL304
        yield Hit(f"memory limit {format_bytes(limit)} ({origin}) leaves {format_bytes(limit - m)} for the fork "
                  f"of a {maxmemory_text(target)} dataset; needs ≥ {format_bytes(need)} ({factor_text(k)} × "
                  f"maxmemory, {profile.name} profile)", target.directive_span("maxmemory"),
                  f"Raise {keys.limit} to {k8s_size_up(need)}, or lower maxmemory to "
                  f"{redis_size(int(limit / k))}",
                  fact_related(facts.memory_limit, f"memory limit {format_bytes(limit)}"), subject="maxmemory")
        return
    request, request_span, note = memory_request(target)
    if request is None:
        return  # no basis to size the dataset; RL301 reports the missing maxmemory
    need = int(request * k)
    if limit >= need:
        return
    left = f"leaves {format_bytes(limit - request)}" if limit > request else "leaves nothing"
    related: tuple[Related, ...] = ()
    if request_span is not None and request_span != memory_limit_span(target):
        related = (Related(request_span, f"memory request {format_bytes(request)}"),)
    yield Hit(f"memory limit {format_bytes(limit)} ({origin}) {left} for the fork of a dataset the size of the "
              f"memory request {format_bytes(request)}{note}; needs ≥ {format_bytes(need)} ({factor_text(k)} × the "
              f"request, {profile.name} profile), and with maxmemory 0 the dataset can grow to the limit itself, "
              f"where a fork may need {format_bytes(int(limit * k))}", memory_limit_span(target),
              f"Set maxmemory {redis_size(int(limit / k))} (limit / {factor_text(k)}), or raise "
              f"{keys.limit} to {k8s_size_up(need)}", related,
              subject=keys.limit)


RULE = define("RL303", "fork-headroom-insufficient", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "fork", "bgsave", "oom"))
