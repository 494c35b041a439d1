"""maxmemory-policy is not one the profile allows for this kind of data.

## What it does
Compares the effective `maxmemory-policy` (Redis's default is `noeviction`) with the profile's
`settings.allowed_eviction_policies`, which may use globs such as `allkeys-*`.

## Why is this bad?
The policy decides what happens when memory is full. `noeviction` refuses writes with OOM errors:
right for data of record, an outage for a cache or a session store. `allkeys-*` deletes any key,
which silently loses data that exists nowhere else. `volatile-*` evicts only keys with a TTL and
behaves like `noeviction` when none has one.

## Example
```conf
maxmemory 1gb
maxmemory-policy noeviction
```

## Use instead
```conf
maxmemory 1gb
maxmemory-policy allkeys-lfu
```

## Fix
Set `maxmemory-policy` to a policy the profile allows (runbook: `allkeys-lfu` for a cache,
`allkeys-lru` for sessions, `noeviction` for critical data).
"""

from typing import Iterator

from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import origin_of, templated_keys

_EFFECT = {
    "noeviction": "when memory is full, writes fail with OOM errors instead of evicting keys",
    "allkeys": "when memory is full, Redis deletes any key, including keys that have no TTL",
    "volatile": "only keys with a TTL are evicted; when none has one, writes fail as with noeviction",
}
_CONCRETE = {"allkeys-*": "allkeys-lru", "volatile-*": "volatile-lru", "*": "allkeys-lru"}


def check(target, profile) -> Iterator[Hit]:
    policy = target.value("maxmemory-policy")
    if policy is None or "maxmemory-policy" in templated_keys(target) or profile.allows_eviction_policy(policy):
        return
    effect = _EFFECT.get(policy.split("-", 1)[0] if policy != "noeviction" else policy, "")
    allowed = ", ".join(profile.allowed_eviction_policies)
    suggestion = _CONCRETE.get(profile.allowed_eviction_policies[0], profile.allowed_eviction_policies[0])
    yield Hit(f"maxmemory-policy is {policy} ({origin_of(target, 'maxmemory-policy')}): {effect}; the "
              f"{profile.name} profile allows {allowed}", target.directive_span("maxmemory-policy"),
              f"Set maxmemory-policy {suggestion}", subject="maxmemory-policy")


RULE = define("RL305", "eviction-policy-not-allowed", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "eviction"))
