"""An eviction policy with maxmemory 0: Redis never evicts, and grows until it is OOM-killed.

## What it does
Flags a `maxmemory-policy` other than `noeviction` when the effective `maxmemory` is 0 (no limit).
Where the profile requires maxmemory, RL301 reports the same decision (and says the policy never
acts); on a role that forks, RL303 does; this rule then stays silent.

## Why is this bad?
Eviction starts only when used memory reaches `maxmemory`. With no `maxmemory`, `allkeys-lfu`
reads like a cache that cleans up after itself, but nothing is ever evicted: the dataset grows
until the container is OOM-killed, and on restart the AOF replays it all. The runbook's own
"For Cache" and "For Session Storage" blocks set a policy and no `maxmemory`.

## Example
```yaml
architecture: standalone
master:
  configuration: |
    appendonly no
    save ""
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
    appendonly no
    save ""
    maxmemory 1gb
    maxmemory-policy allkeys-lfu
  resources:
    limits:
      memory: 2Gi
```

## Fix
Set `maxmemory` next to the policy, at most the memory limit divided by the fork headroom factor
(runbook: limits.memory 2Gi, "2x of data size for fork").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import follows_only
from redislint.model import Severity
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import origin_of, setting_related, templated_keys
from redislint.rules._sizing import factor_text, keys_for, maxmemory, redis_size

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    policy = target.value("maxmemory-policy")
    if policy in (None, "noeviction") or "maxmemory-policy" in templated_keys(target) or maxmemory(target) != 0 \
            or follows_only(target):
        return
    k = profile.fork_headroom_factor
    limit = target.facts.memory_limit.value if target.facts.known else None
    if limit:
        fix = f"Set maxmemory {redis_size(int(limit / k))} (the {format_bytes(limit)} memory limit / {factor_text(k)})"
    else:
        fix = (f"Set {keys_for(target).limit} and maxmemory next to the policy, at most that limit / "
               f"{factor_text(k)} and chosen for the data")
    # A cap below what Redis holds now evicts at once (with volatile-*, the keys with a TTL: locks, leases) and
    # then refuses writes.
    fix += (f"; check that used_memory (INFO memory) is below it first: a lower cap makes {policy} evict at once"
            + (", and refuse writes once no key with a TTL is left" if policy.startswith("volatile") else ""))
    until = "the container is OOM-killed" if limit else "the node runs out of memory (no memory limit is known)"
    yield Hit(f"maxmemory-policy {policy} never evicts anything: maxmemory is 0, which means no "
              f"limit ({origin_of(target, 'maxmemory')}), so Redis grows until {until}",
              target.directive_span("maxmemory-policy"), fix,
              setting_related(target, "maxmemory", "maxmemory 0 means no limit"), subject="maxmemory-policy",
              causes=("no-maxmemory", "unbounded-dataset"))


RULE = define("RL306", "eviction-policy-without-maxmemory", "memory", Severity.WARNING, __doc__, check,
              tags=("memory", "eviction", "oom"))
