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
```yaml profile=cache
architecture: standalone
master:
  configuration: |
    maxmemory-policy allkeys-lfu
  resources:
    limits:
      memory: 2Gi
```

## Use instead
```yaml profile=cache
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
(runbook: limits.memory 2Gi, "2x of data size for fork").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from redislint.durability import follows_only
from redislint.model import Severity, Span
from redislint.quantity import format_bytes
from redislint.rules._api import Hit, define
from redislint.rules._helpers import an, config_place, is_user_span, origin_of, save_points, templated_keys
from redislint.rules._sizing import (
    factor_text,
    keys_for,
    limit_origin,
    lowering_allowed,
    maxmemory,
    redis_size,
    replicas_too,
    resources_keys,
)

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.target import Target

_VERB = {"required": "requires", "recommended": "recommends"}
# The policy suggested next to maxmemory when the current one is not allowed (globs made concrete).
_CONCRETE = {"allkeys-*": "allkeys-lru", "volatile-*": "volatile-lru", "*": "allkeys-lru"}
_REPLICAS_WHY = "the replicas hold the same data set, and a smaller one is OOM-killed on every full sync"


def _forks(target: Target) -> str:
    """"BGSAVE", "AOF rewrite", both, or "" when nothing persisted forks."""
    aof = (target.value("appendonly") or "no").lower() == "yes"
    rdb = bool(save_points(target))
    return " or ".join(w for w, on in (("BGSAVE", rdb), ("AOF rewrite", aof)) if on)


def _policy(target: Target, profile: Profile) -> tuple[str, str]:
    """(what the message adds, what the fix adds) about a policy the profile would refuse once maxmemory is set."""
    policy = target.value("maxmemory-policy")
    if policy is None or "maxmemory-policy" in templated_keys(target) or profile.allows_eviction_policy(policy) \
            or profile.severity_for("RL305") is None:
        return "", ""
    wanted = _CONCRETE.get(profile.allowed_eviction_policies[0], profile.allowed_eviction_policies[0])
    return (f" with maxmemory-policy {' or '.join(profile.allowed_eviction_policies)}, not {policy} "
            f"({origin_of(target, 'maxmemory-policy')})", f", with maxmemory-policy {wanted}")


def _at_cap(target: Target, profile: Profile) -> str:
    """What Redis does once the data set reaches the cap, and the check that keeps the fix from biting at once."""
    policy = target.value("maxmemory-policy") or "noeviction"
    if not profile.allows_eviction_policy(policy) and profile.severity_for("RL305") is not None:
        policy = _CONCRETE.get(profile.allowed_eviction_policies[0], profile.allowed_eviction_policies[0])
    if policy == "noeviction":
        does = "Redis refuses writes at that size (noeviction)"
        if not lowering_allowed(profile):
            does += f", which the {profile.name} profile wants rather than losing data"
    else:
        does = f"Redis evicts keys at that size ({policy})"
    return (f"{does}: check that used_memory (INFO memory) is below it first, and raise the memory limit if the "
            "data set needs more")


def check(target: Target, profile: Profile) -> Iterator[Hit]:
    if profile.maxmemory == "optional" or maxmemory(target) != 0 or follows_only(target):
        return  # a replica nothing promotes ignores maxmemory: its master's bounds its data (RL309, RL303)
    k = profile.fork_headroom_factor
    limit = target.facts.memory_limit.value if target.facts.known else None
    forks = _forks(target)
    policy_text, policy_fix = _policy(target, profile)
    place = config_place(target, "in")
    if limit:
        grows = f"Redis grows until the memory limit {format_bytes(limit)} ({limit_origin(target)}) OOM-kills the pod"
        if forks:
            grows += (f", and {an(forks)} {forks} fork fits only while the dataset stays under about "
                      f"{format_bytes(int(limit / k))} (limit / {factor_text(k)})")
        suggestion = redis_size(int(limit / k))
        replicas = bool(target.facts.replicas_of_master.value) and replicas_too(target, limit)
        fix = (f"Set maxmemory {suggestion}{place} (the {format_bytes(limit)} memory limit / {factor_text(k)}, "
               f"leaving room for a fork){policy_fix}")
        if replicas:
            fix += f", and give replica.resources the {format_bytes(limit)} limit too ({_REPLICAS_WHY})"
        preset = target.facts.memory_limit_source
        if preset.startswith("preset:"):
            fix = (f"Set {resources_keys(target, replicas)} for the data you expect (resourcesPreset "
                   f"{preset.split(':', 1)[1]} is a test size), then set maxmemory to that limit / {factor_text(k)}"
                   f"{place}{policy_fix}")
    else:
        grows = "Redis grows until the node runs out of memory and the pod is OOM-killed"
        if forks:
            grows += f", and no {forks} fork can be sized"
        fix = (f"Set {keys_for(target).limit} and maxmemory to at most that limit / {factor_text(k)}{place} "
               f"(runbook: limits.memory 2Gi, \"2x of data size for fork\"){policy_fix}")
    fix += "; " + _at_cap(target, profile)
    policy = target.value("maxmemory-policy") or "noeviction"
    if policy != "noeviction":
        never = f"maxmemory-policy {policy} never evicts anything"
    elif profile.allows_eviction_policy("noeviction"):
        never = "noeviction never gets to refuse a write, so a full Redis is OOM-killed instead of failing writes"
    else:
        never = "the eviction policy never runs"
    yield Hit(f"maxmemory is 0, which means no limit ({origin_of(target, 'maxmemory')}): {grows}; {never}; "
              f"the {profile.name} profile {_VERB[profile.maxmemory]} maxmemory{policy_text}",
              _span(target), fix, subject="maxmemory", causes=("no-maxmemory",))


def _span(target: Target) -> Span:
    """The maxmemory line; where nobody wrote one in a config text of its own (a redis.conf, a ConfigMap), the
    maxmemory-policy line a person wrote there (maxmemory goes next to it, and RL306 points there for the same
    decision), else where a missing directive belongs (a values configuration block: its key, where a
    suppression comment for the block sits)."""
    if target.written("maxmemory") is None and target.values is None:
        policy = target.written("maxmemory-policy")
        if policy is not None and policy.line is not None and is_user_span(policy.line.span):
            return policy.line.span
    return target.directive_span("maxmemory")


RULE = define("RL301", "maxmemory-unset", "memory", Severity.ERROR, __doc__, check,
              tags=("memory", "fork", "oom"))
