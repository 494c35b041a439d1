"""No maxmemory: Redis grows until the container is OOM-killed, and no fork headroom can be planned.

## What it does
Flags a Redis whose effective `maxmemory` is `0` (the default: no limit) when the profile
requires or recommends a memory cap (`settings.maxmemory`).

## Why is this bad?
Without `maxmemory` the dataset grows until the kernel OOM-kills the pod at its memory limit
(or the node runs out of memory). The restart then replays the whole AOF, and the eviction
policy never runs. A BGSAVE or AOF-rewrite fork can need up to twice the used memory
(copy-on-write), so the cap has to leave room below the limit: the runbook's
"Fork Failure (Cannot Allocate Memory)" starts here. The Bitnami chart never sets `maxmemory`.

## Example
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory-policy allkeys-lfu
  resources:
    limits:
      memory: 2Gi
```

## Use instead
```yaml
architecture: standalone
master:
  configuration: |
    maxmemory 1gb
    maxmemory-policy allkeys-lfu
  resources:
    limits:
      memory: 2Gi
```

## Fix
Set `maxmemory` to at most the memory limit divided by the profile's fork headroom factor
(runbook: a 2Gi limit for 1gb of data).
"""

from typing import Iterator

from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import origin_of
from redislint.rules._sizing import factor_text, maxmemory, redis_size

_VERB = {"required": "requires", "recommended": "recommends"}


def check(target, profile) -> Iterator[Hit]:
    if profile.maxmemory == "optional" or maxmemory(target) != 0:
        return
    k = profile.fork_headroom_factor
    limit = target.facts.memory_limit.value if target.facts.known else None
    if limit:
        grows = f"Redis grows until the memory limit {format_bytes(limit)} OOM-kills the pod"
        suggestion = redis_size(int(limit / k))
        fix = (f"Set maxmemory {suggestion} (the {format_bytes(limit)} memory limit / {factor_text(k)}, "
               "leaving room for a fork)")
    else:
        grows = "Redis grows until the node runs out of memory and the pod is OOM-killed"
        fix = (f"Set maxmemory to at most the container memory limit / {factor_text(k)} "
               "(runbook: maxmemory 1gb with a 2Gi limit)")
    yield Hit(f"maxmemory is 0, which means no limit ({origin_of(target, 'maxmemory')}): {grows}, and the "
              f"eviction policy never runs; the {profile.name} profile {_VERB[profile.maxmemory]} maxmemory",
              target.directive_span("maxmemory"), fix, subject="maxmemory")


RULE = define("RL301", "maxmemory-unset", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "fork", "oom"))
