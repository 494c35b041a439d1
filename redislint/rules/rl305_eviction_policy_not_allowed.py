"""maxmemory-policy is not one the profile allows for this kind of data.

## What it does
Compares the effective `maxmemory-policy` (Redis's default is `noeviction`) with the profile's
`settings.allowed_eviction_policies`, which may use globs such as `allkeys-*`. Only when
`maxmemory` is set: without it the policy never acts (RL301 and RL306 say so). A `volatile-*`
policy under a profile that wants `allkeys-*` eviction is a warning, because it behaves the same
as long as every key has a TTL.

## Why is this bad?
The policy decides what happens when memory is full. `noeviction` refuses writes with OOM errors:
right for data of record, an outage for a cache or a session store. `allkeys-*` deletes any key,
which silently loses data that exists nowhere else. `volatile-*` evicts only keys with a TTL and
behaves like `noeviction` when none has one.

## Example
```conf profile=ephemeral
save ""
maxmemory 1gb
maxmemory-policy noeviction
```

## Use instead
```conf profile=ephemeral
save ""
maxmemory 1gb
maxmemory-policy allkeys-lfu
```

## Fix
Set `maxmemory-policy` to a policy the profile allows (runbook: `allkeys-lfu` for a cache,
`allkeys-lru` for sessions, `noeviction` for critical data). An evicting Redis sits at
maxmemory: switched to `noeviction` it refuses the next write that needs memory, so check
`evicted_keys` and `used_memory` first and raise maxmemory and the memory limit before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import follows_only
from redislint.model import Severity
from redislint.rules._api import Hit, define
from redislint.rules._helpers import at_most, origin_of, templated_keys
from redislint.rules._sizing import maxmemory

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

_EFFECT = {
    "noeviction": "when memory is full, writes fail with OOM errors instead of evicting keys",
    "allkeys": "when memory is full, Redis deletes any key, including keys that have no TTL",
    "volatile": "only keys with a TTL are evicted; when none has one, writes fail as with noeviction",
}
_CONCRETE = {"allkeys-*": "allkeys-lru", "volatile-*": "volatile-lru", "*": "allkeys-lru"}


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    policy = target.value("maxmemory-policy")
    if policy is None or "maxmemory-policy" in templated_keys(target) or profile.allows_eviction_policy(policy):
        return
    if maxmemory(target) in (0, None):
        return  # without maxmemory the policy never acts: RL301 (or RL306) says so, not this rule
    if follows_only(target):
        return  # a replica nothing promotes never evicts and takes no writes: the master's policy decides
    family = policy.split("-", 1)[0] if policy != "noeviction" else policy
    effect = _EFFECT.get(family, "")
    allowed = ", ".join(profile.allowed_eviction_policies)
    suggestion = _CONCRETE.get(profile.allowed_eviction_policies[0], profile.allowed_eviction_policies[0])
    severity = None
    if family == "volatile" and any(profile.allows_eviction_policy(f"allkeys-{p}") for p in ("lru", "lfu", "random")):
        # It evicts as the profile wants while every key has a TTL, which no config file shows.
        effect += "; fine only if every key is written with a TTL, which the config cannot show"
        severity = at_most(profile, "RL305", Severity.WARNING)
    yield Hit(f"maxmemory-policy is {policy} ({origin_of(target, 'maxmemory-policy')}): {effect}; the "
              f"{profile.name} profile allows {allowed}", target.directive_span("maxmemory-policy"),
              f"Set maxmemory-policy {suggestion}{_refusing(policy, suggestion)}", subject="maxmemory-policy",
              severity=severity)


def _refusing(policy: str, suggestion: str) -> str:
    """The precondition of a switch that makes Redis refuse writes where it evicted: an evicting Redis sits at
    maxmemory, so the new policy refuses every write that needs memory the moment it is applied."""
    if suggestion != "noeviction" and not (suggestion.startswith("volatile") and policy.startswith("allkeys")):
        return ""
    refuses = "refuses every write that needs memory" if suggestion == "noeviction" else \
        "evicts only keys with a TTL and refuses writes once none is left"
    return (f", but only after checking INFO memory and INFO stats: a Redis that evicts ({policy}) sits at maxmemory, "
            f"and with {suggestion} it {refuses} (OOM command not allowed) from the moment the policy changes; if "
            "evicted_keys is above 0 or used_memory is near maxmemory, raise maxmemory and the memory limit first, to "
            "what the data set needs")


RULE = define("RL305", "eviction-policy-not-allowed", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "eviction"))
